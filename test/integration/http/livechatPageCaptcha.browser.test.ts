import { expect } from 'chai';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { fillProfile, launchChromium, LISTENER_PHONE, waitUntilTrue } from '../../support/browser.js';
import { startFakeSiteverify, type FakeSiteverify } from '../../support/fakeSiteverify.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

describe('the chat entry page with hCaptcha configured, in headless Chromium', function () {
  // Starting a browser on a shared two-core machine takes a few seconds.
  this.timeout(60_000);

  const SECRET = '0x2222222222222222222222222222222222222222';
  const SITEKEY = '10000000-ffff-ffff-ffff-000000000001';
  // Stands in for https://js.hcaptcha.com/1/api.js (unreachable here) with the same explicit-render API.
  const HCAPTCHA_STUB = `(() => {
    let solved = '';
    window.hcaptcha = {
      render: (container, options) => { window.__captcha = { container, sitekey: options.sitekey, resets: 0 }; return 'widget-1'; },
      getResponse: () => solved,
      reset: () => { solved = ''; window.__captcha.resets += 1; },
    };
    window.__solveCaptcha = (token) => { solved = token; };
    window[new URL(document.currentScript.src).searchParams.get('onload')]();
  })();`;
  let browser: Browser;
  let context: BrowserContext;
  let siteverify: FakeSiteverify;
  let captchaApp: TestApp;

  before(async () => {
    browser = await launchChromium();
    siteverify = await startFakeSiteverify({ secret: SECRET, sitekey: SITEKEY, acceptedToken: 'solved-by-a-human' });
    captchaApp = await startTestApp({
      env: { HCAPTCHA_SECRET: SECRET, HCAPTCHA_SITEKEY: SITEKEY, HCAPTCHA_VERIFY_URL: siteverify.url },
    });
  });
  after(async () => {
    await captchaApp?.stop();
    await siteverify?.close();
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext(LISTENER_PHONE);
  });
  afterEach(async () => {
    await context.close();
  });

  const serveCaptchaScript = async (): Promise<void> => {
    await context.route('https://js.hcaptcha.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: HCAPTCHA_STUB }),
    );
  };

  /** Holds hCaptcha's script on its way, as a slow or stalled connection does, until the test serves it. */
  const holdCaptchaScript = async (): Promise<{ serve: () => Promise<void> }> => {
    const held: Route[] = [];
    await context.route('https://js.hcaptcha.com/**', (route) => held.push(route));
    return {
      serve: async () => {
        for (const route of held.splice(0)) await route.fulfill({ status: 200, contentType: 'text/javascript', body: HCAPTCHA_STUB });
      },
    };
  };

  /** Counts the page's POSTs: each one is a try of the listener's rate limit. */
  const countPosts = (page: Page): { readonly count: number } => {
    const posts = { count: 0 };
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.count += 1;
    });
    return posts;
  };

  it('renders the widget with the sitekey, shows a rejected captcha beside it (announced, focused, reset), and connects once solved', async () => {
    await serveCaptchaScript();
    const page = await context.newPage();
    await page.goto(`${captchaApp.baseUrl}/livechat`);
    await page.getByRole('group', { name: 'Verifikasi bahwa Anda bukan robot' }).waitFor();
    expect(await page.evaluate('window.__captcha')).to.deep.equal({ container: 'captcha-widget', sitekey: SITEKEY, resets: 0 });
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);

    await page.evaluate("window.__solveCaptcha('made-by-a-bot')");
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    const rejected = 'Captcha tidak valid atau sudah kedaluwarsa. Silakan ulangi.';
    await page.locator('#captchaToken-error', { hasText: rejected }).waitFor();
    expect(await page.getByRole('status').textContent(), 'the live region says what is wrong').to.equal(rejected);
    expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
    expect(await page.locator('#captcha-field').getAttribute('aria-describedby')).to.equal('captchaToken-error');
    expect(await page.evaluate('window.__captcha.resets'), 'a spent captcha is replaced by a fresh one').to.equal(1);

    await page.evaluate("window.__solveCaptcha('solved-by-a-human')");
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#connected').waitFor();
    expect(siteverify.requests.map((form) => form.get('response'))).to.deep.equal(['made-by-a-bot', 'solved-by-a-human']);
  });

  /** What the server answers a valid profile sent without a captcha, in that language. */
  const serverMessagesForNoCaptcha = async (locale: string): Promise<string[] | undefined> => {
    const answer = await fetch(`${captchaApp.baseUrl}/livechat/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': locale },
      body: JSON.stringify({ name: 'Budi', city: 'Solo', country: 'Indonesia' }),
    });
    return ((await answer.json()) as { errors?: Record<string, string[]> }).errors?.captchaToken;
  };

  it("sends nothing while the captcha is unsolved (no try of the rate limit spent): says the server's message in the page's language, announced, with focus on the captcha", async () => {
    for (const [locale, required, labels] of [
      ['id-ID', 'Selesaikan captcha terlebih dahulu.', ['Nama', 'Kota', 'Negara']],
      ['en-US', 'Please complete the captcha.', ['Name', 'City', 'Country']],
    ] as const) {
      expect(await serverMessagesForNoCaptcha(locale), 'word for word what the server says').to.deep.equal([required]);
      await context.close();
      context = await browser.newContext({ locale });
      await serveCaptchaScript();
      const page = await context.newPage();
      const posts = countPosts(page);
      await page.goto(`${captchaApp.baseUrl}/livechat`);
      await fillProfile(page, ['Budi', 'Solo', 'Indonesia'], labels);
      const button = page.locator('#livechat-form button[type="submit"]');
      const captchaError = page.locator('#captchaToken-error');

      await button.focus();
      await page.keyboard.press('Enter');
      await page.locator('#form-status.status-error').waitFor();
      expect(posts.count, `${locale}: nothing sent that could only be refused`).to.equal(0);
      expect(await page.getByRole('status').textContent(), 'the live region says what is wrong').to.equal(required);
      expect(await captchaError.textContent()).to.equal(required);
      expect(await page.locator('#captcha-field').getAttribute('aria-describedby')).to.equal('captchaToken-error');
      expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
      expect(await page.evaluate('window.__captcha.resets'), 'nothing spent, nothing to reset').to.equal(0);

      // Together with a field the server would refuse, as its 422 would be: focus on the first of them, the field.
      await page.locator('#city').fill('S');
      await button.click();
      await page.locator('#city-error').waitFor();
      expect(await captchaError.textContent()).to.equal(required);
      expect(await page.evaluate('document.activeElement.id')).to.equal('city');
      expect(posts.count).to.equal(0);

      await page.locator('#city').fill('Solo');
      await page.evaluate("window.__solveCaptcha('solved-by-a-human')");
      await button.click();
      await page.locator('#connected').waitFor();
      expect(posts.count, 'once solved, sent as before').to.equal(1);
    }
  });

  it('says so when the captcha cannot be loaded, then sends nothing that could only be refused, until a reload loads it', async () => {
    await context.route('https://js.hcaptcha.com/**', (route) => route.abort('internetdisconnected'));
    const page = await context.newPage();
    const posts = countPosts(page);
    await page.goto(`${captchaApp.baseUrl}/livechat`);
    const unavailable = 'Captcha tidak dapat dimuat. Periksa koneksi internet Anda, lalu muat ulang halaman ini.';
    await page.locator('#captchaToken-error', { hasText: unavailable }).waitFor();

    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#form-status.status-error').waitFor();
    expect(await page.getByRole('status').textContent(), 'not asked to solve a captcha that is not there').to.equal(unavailable);
    expect(await page.locator('#captchaToken-error').textContent()).to.equal(unavailable);
    expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
    expect(posts.count).to.equal(0);

    // The way out the message names: with the connection back, a reload shows the captcha, and solving it connects.
    await context.unrouteAll();
    await serveCaptchaScript();
    await page.reload();
    expect(await page.locator('#captchaToken-error').isHidden()).to.equal(true);
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    await page.evaluate("window.__solveCaptcha('solved-by-a-human')");
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#connected').waitFor();
    expect(posts.count).to.equal(1);
  });

  it("sends nothing while hCaptcha's script is still loading: says so in the page's language, announced, keeps the input, and sends once the widget is there", async () => {
    for (const [locale, loading, labels, submit] of [
      ['id-ID', 'Captcha masih dimuat. Tunggu sebentar, lalu coba lagi.', ['Nama', 'Kota', 'Negara'], 'Mulai chat'],
      ['en-US', 'The captcha is still loading. Wait a moment, then try again.', ['Name', 'City', 'Country'], 'Start chatting'],
    ] as const) {
      await context.close();
      context = await browser.newContext({ locale });
      const captchaScript = await holdCaptchaScript();
      const page = await context.newPage();
      const posts = countPosts(page);
      // The held script holds back the page's load event, not the form.
      await page.goto(`${captchaApp.baseUrl}/livechat`, { waitUntil: 'domcontentloaded' });
      await fillProfile(page, ['Budi', 'Solo', 'Indonesia'], labels);

      await page.getByRole('button', { name: submit }).click();
      await page.locator('#form-status.status-error').waitFor();
      expect(posts.count, `${locale}: nothing sent that could only be refused`).to.equal(0);
      expect(await page.getByRole('status').textContent(), 'the live region says why nothing happened').to.equal(loading);
      expect(await page.locator('#captchaToken-error').textContent()).to.equal(loading);
      expect(await page.locator('#captcha-field').getAttribute('aria-describedby')).to.equal('captchaToken-error');
      expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
      for (const [index, label] of labels.entries()) {
        expect(await page.getByLabel(label).inputValue(), 'the input is kept').to.equal(['Budi', 'Solo', 'Indonesia'][index]);
      }

      await captchaScript.serve();
      await waitUntilTrue(page, 'window.__captcha !== undefined');
      expect(await page.locator('#captchaToken-error').isHidden(), 'no longer loading: nothing left to say').to.equal(true);
      expect(await page.getByRole('status').textContent()).to.equal('');
      await page.evaluate("window.__solveCaptcha('solved-by-a-human')");
      await page.getByRole('button', { name: submit }).click();
      await page.locator('#connected').waitFor();
      expect(posts.count, 'once rendered, sent as before').to.equal(1);
    }
  });

  it('says the captcha cannot be loaded at once when hCaptcha refuses to draw the widget, and sends nothing', async () => {
    // hCaptcha's render throws when it cannot draw a widget, as for a container it cannot find.
    const refusing = HCAPTCHA_STUB.replace(/render: \(container, options\) => \{[^\n]*\n/, `render: () => { throw new Error("[hCaptcha] render: invalid container 'null'."); },\n`);
    expect(refusing, 'the stub was made to refuse').to.not.equal(HCAPTCHA_STUB);
    await context.route('https://js.hcaptcha.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: refusing }),
    );
    const page = await context.newPage();
    const posts = countPosts(page);
    // The page's own clock, paused: "unavailable" must come from the refusal, not from the 15 s timer.
    await page.clock.install();
    await page.goto(`${captchaApp.baseUrl}/livechat`);
    await page.clock.pauseAt((await page.evaluate<number>('Date.now()')) + 1_000);
    const unavailable = 'Captcha tidak dapat dimuat. Periksa koneksi internet Anda, lalu muat ulang halaman ini.';
    await page.locator('#captchaToken-error', { hasText: unavailable }).waitFor();

    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#form-status', { hasText: unavailable }).waitFor();
    expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
    expect(posts.count).to.equal(0);
  });

  it('says the captcha cannot be loaded when its script has neither loaded nor failed after 15 s, and shows it if it arrives later', async () => {
    const captchaScript = await holdCaptchaScript();
    const page = await context.newPage();
    const posts = countPosts(page);
    // The page's own clock, moved by the test: nothing here waits for real time to pass.
    await page.clock.install();
    await page.goto(`${captchaApp.baseUrl}/livechat`, { waitUntil: 'domcontentloaded' });
    await page.clock.pauseAt((await page.evaluate<number>('Date.now()')) + 1_000);
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    const button = page.getByRole('button', { name: 'Mulai chat' });
    const status = page.locator('#form-status');
    await button.click();
    await status.filter({ hasText: 'Captcha masih dimuat' }).waitFor();

    await page.clock.runFor(15_000);
    const unavailable = 'Captcha tidak dapat dimuat. Periksa koneksi internet Anda, lalu muat ulang halaman ini.';
    await page.locator('#captchaToken-error', { hasText: unavailable }).waitFor();
    await button.click();
    await status.filter({ hasText: unavailable }).waitFor();
    expect(await status.textContent(), 'not asked to wait for a script that is not coming').to.equal(unavailable);
    expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
    expect(posts.count).to.equal(0);

    // A script slower than that still arrives now and then: the widget it renders is usable, and the page unsays it.
    await captchaScript.serve();
    await waitUntilTrue(page, 'window.__captcha !== undefined');
    expect(await page.locator('#captchaToken-error').isHidden()).to.equal(true);
    expect(await status.textContent()).to.equal('');
    await page.evaluate("window.__solveCaptcha('solved-by-a-human')");
    await button.click();
    await page.locator('#connected').waitFor();
    expect(posts.count).to.equal(1);
  });
});
