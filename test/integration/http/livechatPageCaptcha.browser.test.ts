import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
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
    context = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 } });
  });
  afterEach(async () => {
    await context.close();
  });

  it('renders the widget with the sitekey, shows a missing or rejected captcha beside it, and connects once solved', async () => {
    await context.route('https://js.hcaptcha.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: HCAPTCHA_STUB }),
    );
    const page = await context.newPage();
    await page.goto(`${captchaApp.baseUrl}/livechat`);
    await page.getByRole('group', { name: 'Verifikasi bahwa Anda bukan robot' }).waitFor();
    expect(await page.evaluate('window.__captcha')).to.deep.equal({ container: 'captcha-widget', sitekey: SITEKEY, resets: 0 });

    await page.getByLabel('Nama').fill('Budi');
    await page.getByLabel('Kota').fill('Solo');
    await page.getByLabel('Negara').fill('Indonesia');
    const captchaError = page.locator('#captchaToken-error');
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await captchaError.waitFor();
    expect(await captchaError.textContent()).to.equal('Selesaikan captcha terlebih dahulu.');

    await page.evaluate("window.__solveCaptcha('made-by-a-bot')");
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#captchaToken-error', { hasText: 'Captcha tidak valid' }).waitFor();
    expect(await page.evaluate('window.__captcha.resets')).to.equal(2);

    await page.evaluate("window.__solveCaptcha('solved-by-a-human')");
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#connected').waitFor();
    expect(siteverify.requests.map((form) => form.get('response'))).to.deep.equal(['made-by-a-bot', 'solved-by-a-human']);
  });
  it('announces a missing captcha in the status, describes the captcha group with it, and moves focus there', async () => {
    await context.route('https://js.hcaptcha.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: HCAPTCHA_STUB }),
    );
    const page = await context.newPage();
    await page.goto(`${captchaApp.baseUrl}/livechat`);
    await page.getByRole('group', { name: 'Verifikasi bahwa Anda bukan robot' }).waitFor();
    await page.getByLabel('Nama').fill('Budi');
    await page.getByLabel('Kota').fill('Solo');
    await page.getByLabel('Negara').fill('Indonesia');
    await page.getByRole('button', { name: 'Mulai chat' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#form-status.status-error').waitFor();

    expect(await page.getByRole('status').textContent(), 'the live region says what is wrong').to.equal('Selesaikan captcha terlebih dahulu.');
    expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
    expect(await page.locator('#captcha-field').getAttribute('aria-describedby')).to.equal('captchaToken-error');
  });

  it('says so when the captcha cannot be loaded, and then sends nothing that could only be refused', async () => {
    await context.route('https://js.hcaptcha.com/**', (route) => route.abort('internetdisconnected'));
    const page = await context.newPage();
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST') posts += 1;
    });
    await page.goto(`${captchaApp.baseUrl}/livechat`);
    const unavailable = 'Captcha tidak dapat dimuat. Periksa koneksi internet Anda, lalu muat ulang halaman ini.';
    await page.locator('#captchaToken-error', { hasText: unavailable }).waitFor();

    await page.getByLabel('Nama').fill('Budi');
    await page.getByLabel('Kota').fill('Solo');
    await page.getByLabel('Negara').fill('Indonesia');
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#form-status.status-error').waitFor();
    expect(await page.getByRole('status').textContent()).to.equal(unavailable);
    expect(await page.locator('#captchaToken-error').textContent()).to.equal(unavailable);
    expect(await page.evaluate('document.activeElement.id')).to.equal('captcha-field');
    expect(posts).to.equal(0);
  });
});
