import { createHash } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { fillProfile, launchChromium, LISTENER_PHONE, waitUntilTrue } from '../../support/browser.js';
import { startFakeChatServer, type FakeChatServer } from '../../support/fakeChatServer.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

interface Watched {
  readonly page: Page;
  readonly dialogs: string[];
  /** Console errors and uncaught exceptions: a CSP violation would show up here. */
  readonly problems: string[];
}

/**
 * The heading of the page once a session has started: true without a chat client too (no CHAT_CLIENT_SCRIPT_URL),
 * when nothing has connected to a chat server.
 */
const CONNECTED = 'Sesi live chat Anda sudah dimulai';

const XSS_PAYLOADS = {
  name: '<img src=x onerror="window.__xss=\'name\';alert(\'name\')">',
  city: '<script>window.__xss="city";alert("city")</script>',
  country: '"><svg onload=alert(document.cookie)>',
};

describe('the chat entry page in headless Chromium', function () {
  // Starting a browser on a shared two-core machine takes a few seconds.
  this.timeout(60_000);

  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    app = await startTestApp();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });
  beforeEach(async () => {
    context = await browser.newContext(LISTENER_PHONE);
  });
  afterEach(async () => {
    await context.close();
  });

  const open = async (baseUrl = app.baseUrl): Promise<Watched> => {
    const page = await context.newPage();
    const dialogs: string[] = [];
    const problems: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      // Chromium logs every non-2xx fetch; the 422 of an invalid form is the expected answer, not a problem.
      if (message.type() === 'error' && !message.text().includes('status of 422')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/livechat`);
    return { page, dialogs, problems };
  };

  const fieldValues = (page: Page) =>
    Promise.all(['Nama', 'Kota', 'Negara'].map((label) => page.getByLabel(label).inputValue()));

  it('Scenario 1 then 2: submitting connects; reopening the page finds name, city and country filled in', async () => {
    const { page, problems } = await open();
    // Served disabled, the button is enabled by the page's script once it has started (before the load event).
    expect(await page.getByRole('button', { name: 'Mulai chat' }).isEnabled()).to.equal(true);
    expect(await fieldValues(page)).to.deep.equal(['', '', '']);
    expect(await page.locator('#script-failed').count(), 'the notice for a script that never started, removed by it').to.equal(0);
    // As an iPhone types it: the apostrophe curled, which the page and the server read as '.
    await fillProfile(page, ['Budi  O\u2019Brien', 'Solo', 'Indonesia']);
    await page.getByRole('button', { name: 'Mulai chat' }).click();

    await page.getByRole('heading', { name: CONNECTED }).waitFor();
    expect(await page.locator('#connected-name').textContent()).to.equal("Budi O'Brien");
    // Expressions as strings: they run in the page, whose DOM types this Node project does not load.
    const stored = await page.evaluate<{ session: string | null; local: number; cookies: string }>(
      "({ session: sessionStorage.getItem('livechat.session'), local: localStorage.length, cookies: document.cookie })",
    );
    const session = JSON.parse(stored.session ?? '{}') as { sessionToken?: string };
    expect(session.sessionToken).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored.local, 'nothing in localStorage').to.equal(0);
    expect(stored.cookies, 'the token is in no readable cookie').to.not.include(session.sessionToken!.slice(0, 20));
    expect(stored.cookies).to.not.include('livechat_guest');

    const again = await open();
    expect(await fieldValues(again.page)).to.deep.equal(["Budi O'Brien", 'Solo', 'Indonesia']);
    expect([...problems, ...again.problems]).to.deep.equal([]);
  });

  it('arrives in brotli, the page, its stylesheet and its script, and runs as it is', async () => {
    const page = await context.newPage();
    const codings = new Map<string, string | undefined>();
    page.on('response', (response) => codings.set(new URL(response.url()).pathname, response.headers()['content-encoding']));
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${app.baseUrl}/livechat`);
    expect(await page.getByRole('button', { name: 'Mulai chat' }).isEnabled(), 'the script ran').to.equal(true);
    expect(await page.locator('label[for="city"]').evaluate("(label) => getComputedStyle(label).display")).to.not.equal('inline');
    const texts = [...codings].filter(([path]) => /^\/livechat(\/assets\/.+\.(css|js))?$/.test(path));
    expect(texts.map(([path]) => path.replace(/\.[\w-]{16}\./, '.')).sort()).to.deep.equal([
      '/livechat',
      '/livechat/assets/livechat.css',
      '/livechat/assets/livechat.id.js',
    ]);
    for (const [path, coding] of texts) expect(coding, path).to.equal('br');
    expect(problems).to.deep.equal([]);
  });

  /** Fills the form, submits it and waits for the connected panel; the userId comes from the answer itself. */
  const startSession = async (page: Page, [name, city, country]: readonly [string, string, string]): Promise<string> => {
    await fillProfile(page, [name, city, country]);
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST' && answer.url().endsWith('/livechat/session')),
      page.getByRole('button', { name: 'Mulai chat' }).click(),
    ]);
    const { userId, sessionToken } = (await response.json()) as { userId: string; sessionToken: string };
    expect(jwt.decode(sessionToken, { json: true })?.sub, 'the token is issued to the same user').to.equal(userId);
    await page.getByRole('heading', { name: CONNECTED }).waitFor();
    return userId;
  };

  const livechatCookies = async (): Promise<string[]> =>
    (await context.cookies()).map((cookie) => cookie.name).filter((name) => name.startsWith('livechat_')).sort();

  it('a reload in the same tab resumes the session; "Not you?" forgets the listener: the next person starts blank, as a new guest', async () => {
    const { page, problems } = await open();
    let sessionsStarted = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST') sessionsStarted += 1;
    });
    const siti = await startSession(page, ['Siti', 'Medan', 'Indonesia']);
    const kept = await page.evaluate<string | null>("sessionStorage.getItem('livechat.session')");

    // The announcement is listened for before the page's own script runs, as a chat script loaded earlier would.
    await page.addInitScript(`document.addEventListener('livechat:connected', (event) => { window.__announced = event.detail; })`);
    await page.reload();
    await page.getByRole('heading', { name: CONNECTED }).waitFor();
    expect(await page.locator('#connected-name').textContent()).to.equal('Siti');
    expect(await page.locator('#livechat-form').isHidden()).to.equal(true);
    expect(await page.evaluate('window.__announced')).to.deep.equal({ ...JSON.parse(kept!), websocketUrl: null });
    expect(sessionsStarted, 'no second session for a reload').to.equal(1);

    // The control: another tab of this browser finds Siti's details and is Siti again, by the guest cookie.
    const otherTab = await open();
    expect(await fieldValues(otherTab.page)).to.deep.equal(['Siti', 'Medan', 'Indonesia']);
    expect(await startSession(otherTab.page, ['Siti', 'Medan', 'Indonesia'])).to.equal(siti);
    await otherTab.page.close();

    await page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' }).click();
    await page.locator('#livechat-form').waitFor();
    expect(await page.locator('#connected').isHidden()).to.equal(true);
    expect(await fieldValues(page)).to.deep.equal(['', '', '']);
    expect(await page.evaluate('document.activeElement.id')).to.equal('name');
    expect(await page.evaluate("sessionStorage.getItem('livechat.session')")).to.equal(null);
    expect(await livechatCookies(), 'the guest and profile cookies are gone').to.deep.equal([]);
    await page.reload();
    expect(await page.getByRole('button', { name: 'Mulai chat' }).isVisible(), 'the form, after a reload too').to.equal(true);
    expect(await fieldValues(page), 'nothing left to prefill from').to.deep.equal(['', '', '']);
    expect(sessionsStarted).to.equal(1);

    const andi = await startSession(page, ['Andi', 'Bandung', 'Indonesia']);
    expect(andi, 'the next person is a new guest').to.not.equal(siti);
    expect(await page.locator('#connected-name').textContent()).to.equal('Andi');
    expect([...problems, ...otherTab.problems]).to.deep.equal([]);
  });

  it('"Not you?" forgets the listener in every tab: another tab returns to the form, and one that missed it does not resume', async () => {
    const { page, problems } = await open();
    await startSession(page, ['Siti', 'Medan', 'Indonesia']);
    /** A tab opened from this one, with a copy of its sessionStorage: it resumes Siti's session. */
    const openTab = async (): Promise<Page> => {
      const [tab] = await Promise.all([context.waitForEvent('page'), page.evaluate("window.open('/livechat')")]);
      await tab.getByRole('heading', { name: CONNECTED }).waitFor();
      return tab;
    };
    const other = await openTab();
    // As a chat client in that tab would hear it.
    await other.evaluate(`window.__disconnected = 0; document.addEventListener('livechat:disconnected', () => { window.__disconnected += 1; })`);

    await page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' }).click();
    await page.locator('#livechat-form').waitFor();
    await other.locator('#livechat-form').waitFor();
    expect(await other.locator('#connected').isHidden()).to.equal(true);
    expect(await fieldValues(other)).to.deep.equal(['', '', '']);
    expect(await other.evaluate("sessionStorage.getItem('livechat.session')")).to.equal(null);
    expect(await other.evaluate('window.__disconnected'), 'announced in the other tab too').to.equal(1);
    await other.reload();
    expect(await other.getByRole('button', { name: 'Mulai chat' }).isVisible(), 'the form, after a reload too').to.equal(true);
    await other.close();

    // A tab that missed the message (closed, or a browser without BroadcastChannel) finds the cookies gone on reload.
    await startSession(page, ['Siti', 'Medan', 'Indonesia']);
    const missed = await openTab();
    await context.clearCookies();
    await missed.reload();
    await missed.getByRole('button', { name: 'Mulai chat' }).waitFor();
    expect(await missed.locator('#connected').isHidden()).to.equal(true);
    expect(await missed.evaluate("sessionStorage.getItem('livechat.session')")).to.equal(null);
    expect(problems).to.deep.equal([]);
  });

  it('"Not you?" that the server does not confirm says so and stays connected, keeping the session and the cookies', async () => {
    const { page } = await open();
    await startSession(page, ['Siti', 'Medan', 'Indonesia']);
    const kept = await page.evaluate<string | null>("sessionStorage.getItem('livechat.session')");
    const leave = page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' });
    const leaveStatus = page.locator('#leave-status.status-error');

    for (const answer of [
      (route: Route) => route.abort('internetdisconnected'),
      (route: Route) => route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>Service unavailable</h1>' }),
    ]) {
      await page.route('**/livechat/guest', answer);
      await leave.click();
      await leaveStatus.waitFor();
      await page.unrouteAll();
      expect(await leaveStatus.textContent()).to.equal(
        'Sesi baru belum bisa dimulai: data Anda masih tersimpan di perangkat ini. Silakan coba lagi.',
      );
      expect(await page.locator('#connected').isVisible()).to.equal(true);
      expect(await page.locator('#livechat-form').isHidden()).to.equal(true);
      expect(await page.evaluate("sessionStorage.getItem('livechat.session')")).to.equal(kept);
      expect(await livechatCookies()).to.deep.equal(['livechat_city', 'livechat_country', 'livechat_guest', 'livechat_name']);
      expect(await leave.isEnabled(), 'the listener can try again').to.equal(true);
    }

    // Trying again, with the server reachable, goes through and takes the message away.
    await leave.click();
    await page.locator('#livechat-form').waitFor();
    expect(await page.locator('#leave-status').textContent()).to.equal('');
    expect(await fieldValues(page)).to.deep.equal(['', '', '']);
  });

  it('drops a kept session that has expired or was tampered with, and shows the form', async () => {
    const { page, problems } = await open();
    const token = 'aaa.bbb.ccc';
    const future = new Date(Date.now() + 3_600_000).toISOString();
    for (const kept of [
      { sessionToken: token, sessionId: 'x', expiresAt: new Date(Date.now() - 1_000).toISOString(), name: 'Budi' },
      { sessionToken: token, sessionId: 'x', expiresAt: future, name: XSS_PAYLOADS.name },
      { sessionToken: 42, sessionId: 'x', expiresAt: future, name: 'Budi' },
      'not json {',
    ]) {
      const raw = typeof kept === 'string' ? kept : JSON.stringify(kept);
      await page.evaluate(`sessionStorage.setItem('livechat.session', ${JSON.stringify(raw)})`);
      await page.reload();
      await page.getByRole('button', { name: 'Mulai chat' }).waitFor();
      expect(await page.locator('#connected').isHidden(), raw).to.equal(true);
      expect(await page.evaluate("sessionStorage.getItem('livechat.session')"), raw).to.equal(null);
    }
    // The control: the same shape, unexpired and valid, is resumed while the cookies still name its listener.
    await context.addCookies([{ name: 'livechat_name', value: 'Budi', url: app.baseUrl }]);
    await page.evaluate(`sessionStorage.setItem('livechat.session', ${JSON.stringify(JSON.stringify({ sessionToken: token, sessionId: 'x', expiresAt: future, name: 'Budi' }))})`);
    await page.reload();
    await page.getByRole('heading', { name: CONNECTED }).waitFor();
    expect(await page.evaluate('window.__xss')).to.equal(undefined);
    expect(problems).to.deep.equal([]);
  });

  it("shows a 422's field errors next to the field (a server whose rules are newer than the page's script)", async () => {
    const { page, problems } = await open();
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    await page.route('**/livechat/session', (route) =>
      route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ errors: { city: ['Kota minimal 2 karakter.'] } }) }),
    );
    await page.getByRole('button', { name: 'Mulai chat' }).click();

    const error = page.locator('#city-error');
    await error.waitFor();
    expect(await error.textContent()).to.equal('Kota minimal 2 karakter.');
    const city = page.getByLabel('Kota');
    expect(await city.getAttribute('aria-invalid')).to.equal('true');
    expect(await city.getAttribute('aria-describedby'), 'the error heard before the hint').to.equal('city-error city-hint');
    expect(await page.evaluate('document.activeElement.id')).to.equal('city');
    expect(await page.getByLabel('Nama').getAttribute('aria-invalid')).to.equal(null);
    expect(await page.getByRole('status').textContent()).to.equal('Periksa kembali isian yang ditandai.');

    await page.unrouteAll();
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#connected').waitFor();
    expect(await error.isHidden()).to.equal(true);
    expect(problems).to.deep.equal([]);
  });

  it('checks the fields before sending, so that correcting a typo spends no request of the rate limit', async () => {
    const { page } = await open();
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST') posts += 1;
    });
    await fillProfile(page, ['Budi', 'S', 'Indonesia']);
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#city-error').waitFor();
    expect(await page.locator('#city-error').textContent()).to.equal('Kota minimal 2 karakter.');
    expect(await page.evaluate('document.activeElement.id')).to.equal('city');
    expect(posts, 'no request for a value the server would refuse').to.equal(0);

    await page.getByLabel('Kota').fill('Solo');
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    await page.locator('#connected').waitFor();
    expect(posts).to.equal(1);
  });

  it("shows the server's own messages for values it would refuse, word for word, in either language", async () => {
    // Each with whether the page must send it: only when it cannot be sure. Which characters are letters, marks or
    // digits depends on the browser's Unicode tables, which may be older than the server's, except for ASCII and
    // emoji.
    const profiles = [
      [['', ' ', '\u00A0'], false],
      [['<script>', 'S', 'x'.repeat(101)], false],
      [['Budi_01', 'budi@x.com', 'Indonesia'], false],
      [['Budi \u{1F600}', 'Solo 2', 'Indonesia'], false],
      [['...', '--', '()'], false],
      [[`${'a'.repeat(101)}<`, 'Solo\u202E', 'Indonesia'], false],
      [['Budi\uFE0F', 'Solo\u202E', `A${'\u0300'.repeat(5)}`], true],
      [['Budi', 'Solo', '\u0661\u0662'], true],
    ] as const;
    for (const locale of ['id-ID', 'en-US']) {
      await context.close();
      context = await browser.newContext({ locale });
      const { page } = await open();
      let posts = 0;
      page.on('request', (request) => {
        if (request.method() === 'POST') posts += 1;
      });
      for (const [profile, sent] of profiles) {
        const before = posts;
        const answer = await fetch(`${app.baseUrl}/livechat/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Accept-Language': locale },
          body: JSON.stringify({ name: profile[0], city: profile[1], country: profile[2] }),
        });
        const server = ((await answer.json()) as { errors: Record<string, string[]> }).errors;
        for (const [index, field] of ['name', 'city', 'country'].entries()) await page.locator(`#${field}`).fill(profile[index]!);
        await page.locator('#livechat-form button[type="submit"]').click();
        await page.locator('#form-status.status-error').waitFor();
        const shown: Record<string, string[]> = {};
        for (const field of ['name', 'city', 'country']) {
          const text = await page.locator(`#${field}-error`).textContent();
          if (text !== '') shown[field] = [text!];
        }
        const expected = Object.fromEntries(Object.entries(server).map(([field, messages]) => [field, [messages.join(' ')]]));
        expect(shown, `${locale} ${JSON.stringify(profile)}`).to.deep.equal(expected);
        expect(posts - before, `${locale} ${JSON.stringify(profile)} sent`).to.equal(sent ? 1 : 0);
      }
    }
  });

  it('without its script (slow or blocked), the page cannot submit the form, so the profile never reaches a URL, and says so after a few seconds', async () => {
    await context.route('**/livechat/assets/*.js', (route) => route.abort('blockedbyclient'));
    const { page } = await open();
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    // Counts submissions, and stops them until told otherwise so that the page stays to be looked at.
    await page.evaluate(`(() => {
      window.__submissions = 0;
      document.getElementById('livechat-form').addEventListener('submit', (event) => {
        window.__submissions += 1;
        if (!window.__letThrough) event.preventDefault();
      });
    })()`);
    const button = page.getByRole('button', { name: 'Mulai chat' });

    expect(await button.isDisabled()).to.equal(true);
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('#livechat-form button')).cursor"), 'not busy, just unusable').to.equal('not-allowed');
    await page.getByLabel('Negara').press('Enter'); // implicit submission, which a disabled default button prevents
    await button.click({ force: true }); // a disabled button ignores clicks
    expect(await page.evaluate('window.__submissions')).to.equal(0);

    // Not left silently dead: a notice, out of sight at first (a normal load never shows it), after a few seconds.
    const notice = page.getByRole('alert');
    expect(await page.locator('#script-failed').isVisible()).to.equal(false);
    expect(await notice.count(), 'nothing to announce yet').to.equal(0);
    const delay = await page.evaluate<string>("getComputedStyle(document.getElementById('script-failed')).animationDelay");
    expect(parseFloat(delay)).to.be.within(3, 10);
    // The delay run out at once, rather than waited for.
    await page.evaluate('document.getAnimations().forEach((animation) => animation.finish())');
    expect(await notice.isVisible()).to.equal(true);
    expect(await notice.textContent()).to.equal('Halaman ini belum dapat digunakan. Jika pesan ini tidak hilang, muat ulang halaman.');

    // Should the browser submit it anyway (here the button is enabled by hand, so the same key press now
    // submits: the check above is not vacuous), the form posts: nothing in the URL.
    await page.evaluate("window.__letThrough = true; document.querySelector('#livechat-form button').disabled = false");
    const [request] = await Promise.all([
      page.waitForRequest((sent) => sent.isNavigationRequest()),
      page.getByLabel('Negara').press('Enter'),
    ]);
    expect(request.method()).to.equal('POST');
    expect(request.url()).to.equal(`${app.baseUrl}/livechat`);
    expect(request.postData()).to.equal('name=Budi&city=Solo&country=Indonesia');
  });

  it('with JavaScript off, never shows the notice for a script that failed: the <noscript> says why', async () => {
    await context.close();
    context = await browser.newContext({ ...LISTENER_PHONE, javaScriptEnabled: false });
    const { page } = await open();
    // (Playwright turns scripts off after parsing, so the <noscript> itself is not rendered here: only its CSS query.)
    expect(await page.evaluate('matchMedia("(scripting: none)").matches')).to.equal(true);
    expect(await page.evaluate("getComputedStyle(document.getElementById('script-failed')).display")).to.equal('none');
  });

  it('tampered cookies: no script runs, no dialog opens, and values that fail the rules are not prefilled', async () => {
    const url = app.baseUrl;
    await context.addCookies([
      { name: 'livechat_name', value: encodeURIComponent(XSS_PAYLOADS.name), url },
      { name: 'livechat_city', value: encodeURIComponent(XSS_PAYLOADS.city), url },
      { name: 'livechat_country', value: encodeURIComponent(XSS_PAYLOADS.country), url },
    ]);
    const { page, dialogs } = await open();

    expect(await fieldValues(page)).to.deep.equal(['', '', '']);
    expect(await page.evaluate('window.__xss')).to.equal(undefined);
    expect(await page.locator('img, svg, script:not([src])').count()).to.equal(0);

    // A partly tampered set: the valid value is kept, the broken encoding and the bidi trick are dropped.
    await context.addCookies([
      { name: 'livechat_name', value: encodeURIComponent('Siti'), url },
      { name: 'livechat_city', value: '%E0%A4%A', url },
      { name: 'livechat_country', value: encodeURIComponent('Indo\u202Enesia'), url },
    ]);
    const second = await open();
    expect(await fieldValues(second.page)).to.deep.equal(['Siti', '', '']);

    // Chromium's own regular expressions apply the domain's limits: a lookalike of "Budi" made with invisible
    // marks and a zalgo country are dropped, a decomposed Vietnamese city is kept, composed.
    await context.addCookies([
      { name: 'livechat_name', value: encodeURIComponent('Budi\uFE0F\uFE0F\u034F'), url },
      { name: 'livechat_city', value: encodeURIComponent('Ha\u0300 No\u0323\u0302i'), url },
      { name: 'livechat_country', value: encodeURIComponent(`A${'\u0300'.repeat(79)}`), url },
    ]);
    const third = await open();
    expect(await fieldValues(third.page)).to.deep.equal(['', 'Hà Nội', '']);

    // The CSP's Trusted Types make any HTML sink throw, should a future change reach for innerHTML.
    const sinkRefusal = await page.evaluate<string | null>(`(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<b>x</b>');
        return null;
      } catch (error) {
        return String(error);
      }
    })()`);
    // Chromium: "TypeError: Failed to execute 'insertAdjacentHTML' on 'Element': This document requires 'TrustedHTML' assignment."
    expect(sinkRefusal).to.match(/^TypeError: .*requires 'TrustedHTML' assignment/);
    expect(await page.locator('b').count()).to.equal(0);
    expect([...dialogs, ...second.dialogs, ...third.dialogs]).to.deep.equal([]);
  });

  it('says clearly when the service fails or the network is down', async () => {
    const { page } = await open();
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    const status = page.getByRole('status');
    const submitWith = async (answer: Parameters<Page['route']>[1]): Promise<string | null> => {
      await page.route('**/livechat/session', answer);
      await page.getByRole('button', { name: 'Mulai chat' }).click();
      // Only a final answer is an error; "Menghubungkan…" (connecting) is not.
      await page.locator('#form-status.status-error').waitFor();
      await page.unrouteAll();
      return status.textContent();
    };

    const failed = await submitWith((route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }));
    expect(failed).to.equal('Layanan sedang bermasalah. Silakan coba lagi sebentar lagi.');

    const refused = await submitWith((route) => route.fulfill({ status: 403, contentType: 'text/html', body: '<h1>Forbidden</h1>' }));
    expect(refused).to.equal('Terjadi kesalahan. Silakan coba lagi.');

    const offline = await submitWith((route) => route.abort('internetdisconnected'));
    expect(offline).to.equal('Tidak dapat terhubung ke server. Periksa koneksi internet Anda, lalu coba lagi.');
    expect(await page.getByRole('button', { name: 'Mulai chat' }).isEnabled()).to.equal(true);
  });

  it('after a 429, keeps the button unusable until Retry-After has passed, counting down quietly: one time, in words', async () => {
    const page = await context.newPage();
    // The page's own clock, moved by the test: nothing here waits for real time to pass.
    await page.clock.install();
    await page.goto(`${app.baseUrl}/livechat`);
    await page.clock.pauseAt(Date.now() + 60_000);
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    const answers = [
      // The server's own message says its own time, which the countdown would soon contradict.
      { status: 429, contentType: 'application/json', headers: { 'Retry-After': '42' }, body: JSON.stringify({ errors: { body: ['Terlalu banyak permintaan. Coba lagi dalam 42 detik.'] } }) },
      // A limit enforced in front of the service (a proxy, a CDN) answers without the JSON errors map.
      { status: 429, headers: { 'Retry-After': '5' }, body: '' },
      // Neither whole seconds nor an HTTP date (V8's Date.parse would read "42.5" as the year 2042).
      { status: 429, headers: { 'Retry-After': '42.5' }, body: '' },
    ];
    let posts = 0;
    await page.route('**/livechat/session', (route) => route.fulfill(answers[posts++]));
    const button = page.locator('#livechat-form button[type="submit"]');
    const status = page.locator('#form-status');
    const countdown = page.locator('#retry-wait');

    const waitForButton = 'Terlalu banyak percobaan. Tunggu hingga tombol aktif kembali.';
    await button.click();
    await page.locator('#form-status.status-error').waitFor();
    expect(await status.textContent(), 'no second time beside the countdown').to.equal(waitForButton);
    expect(await countdown.textContent()).to.equal('Tombol aktif kembali dalam 42 detik.');
    expect(await button.getAttribute('aria-describedby')).to.equal('retry-wait');
    // Not a live region: a screen reader hears the status once, not a number every second.
    expect(await page.evaluate("document.getElementById('retry-wait').closest('[aria-live], [role]')")).to.equal(null);

    const background = () => page.evaluate("getComputedStyle(document.querySelector('#livechat-form button[type=submit]')).backgroundColor");
    const resting = await background();
    await button.hover();
    expect(await background(), 'an unusable button does not light up under the pointer').to.equal(resting);

    await page.clock.runFor(41_000);
    expect(await countdown.textContent()).to.equal('Tombol aktif kembali dalam 1 detik.');
    expect(await status.textContent(), 'announced once, left alone').to.equal(waitForButton);
    expect(await button.isDisabled()).to.equal(true);
    await button.click({ force: true });
    await page.getByLabel('Negara').press('Enter');
    expect(posts, 'nothing sent while waiting').to.equal(1);

    await page.clock.runFor(1_000);
    expect(await button.isEnabled()).to.equal(true);
    expect(await countdown.isHidden()).to.equal(true);
    expect(await button.getAttribute('aria-describedby')).to.equal(null);
    expect(await status.textContent()).to.equal('Silakan coba lagi sekarang.');

    await button.click();
    await page.locator('#form-status.status-error').waitFor();
    expect(posts).to.equal(2);
    expect(await status.textContent()).to.equal(waitForButton);
    expect(await countdown.textContent(), "the header's time").to.equal('Tombol aktif kembali dalam 5 detik.');

    await page.clock.runFor(5_000);
    await button.click();
    await page.locator('#form-status', { hasText: 'Tunggu sebentar' }).waitFor();
    expect(posts).to.equal(3);
    expect(await status.textContent()).to.equal('Terlalu banyak percobaan. Tunggu sebentar, lalu coba lagi.');
    expect(await countdown.isHidden(), 'no countdown to a time the header did not give').to.equal(true);
    expect(await button.isEnabled()).to.equal(true);
  });

  it('after a 429 in English, counts down in seconds written as words, not "s"', async () => {
    await context.close();
    context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${app.baseUrl}/livechat`);
    await page.clock.pauseAt(Date.now() + 60_000);
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia'], ['Name', 'City', 'Country']);
    await page.route('**/livechat/session', (route) => route.fulfill({ status: 429, headers: { 'Retry-After': '2' }, body: '' }));
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await page.locator('#form-status.status-error').waitFor();
    expect(await page.locator('#form-status').textContent()).to.equal('Too many attempts. Wait until the button works again.');
    expect(await page.locator('#retry-wait').textContent()).to.equal('The button works again in 2 seconds.');
    await page.clock.runFor(1_000);
    expect(await page.locator('#retry-wait').textContent()).to.equal('The button works again in 1 second.');
  });

  it('gives up on a stalled connection after 15 s: says the server cannot be reached and gives the button back', async () => {
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${app.baseUrl}/livechat`);
    await page.clock.pauseAt(Date.now() + 60_000);
    const stalled: Route[] = [];
    await page.route('**/livechat/session', (route) => stalled.push(route));
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    const button = page.getByRole('button', { name: 'Mulai chat' });
    await button.click();
    await page.locator('#form-status', { hasText: 'Menghubungkan…' }).waitFor();

    await page.clock.runFor(15_000);
    await page.locator('#form-status.status-error').waitFor();
    expect(await page.locator('#form-status').textContent()).to.equal(
      'Tidak dapat terhubung ke server. Periksa koneksi internet Anda, lalu coba lagi.',
    );
    expect(await button.isEnabled()).to.equal(true);

    await page.unrouteAll();
    await startSession(page, ['Budi', 'Solo', 'Indonesia']);
    await page.route('**/livechat/guest', (route) => stalled.push(route));
    await page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' }).click();
    await page.clock.runFor(15_000);
    await page.locator('#leave-status.status-error').waitFor();
    expect(await page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' }).isEnabled()).to.equal(true);
    expect(stalled).to.have.length(2);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  it('wraps a long single-word name inside the card on a 320 px wide screen instead of scrolling sideways', async () => {
    await context.close();
    context = await browser.newContext({ locale: 'id-ID', viewport: { width: 320, height: 640 } });
    const { page } = await open();
    await startSession(page, ['Wolfeschlegelsteinhausenbergerdorff', 'Solo', 'Indonesia']);
    const widths = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
    expect(widths[0], 'page width against the viewport').to.be.at.most(widths[1]);
  });

  it('shows a mixed-direction name in the same order in the field and once connected', async () => {
    const { page } = await open();
    // Arabic, then a digit: left to right, the digit would come first ("3 محمد") where the listener typed it last.
    await fillProfile(page, ['محمد 3', 'Solo', 'Indonesia']);
    const direction = (selector: string) => page.evaluate<string>(`getComputedStyle(document.querySelector('${selector}')).direction`);
    expect(await direction('#name'), 'the field').to.equal('rtl');
    expect(await direction('#city'), 'a Latin one stays left to right').to.equal('ltr');
    await startSession(page, ['محمد 3', 'Solo', 'Indonesia']);
    expect(await direction('#connected-name'), 'the name echoed').to.equal('rtl');
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('#connected-name')).unicodeBidi"), 'isolated from the text around it').to.equal('isolate');
  });

  const activeElementId = (page: Page): Promise<string> =>
    page.evaluate<string>(
      "document.activeElement === document.body ? 'body' : document.activeElement.id || `${document.activeElement.localName}[type=${document.activeElement.type}]`",
    );

  it('keeps keyboard focus on the button that was pressed when the request fails, so the next Tab stays in place', async () => {
    const { page } = await open();
    await startSession(page, ['Budi', 'Solo', 'Indonesia']);
    await page.route('**/livechat/guest', (route) => route.abort('internetdisconnected'));
    await page.locator('#new-session').focus();
    await page.keyboard.press('Enter');
    await page.locator('#leave-status.status-error').waitFor();
    await page.unrouteAll();
    expect(await activeElementId(page), 'after a failed "Not you?"').to.equal('new-session');
    await page.keyboard.press('Enter');
    await page.locator('#livechat-form').waitFor();

    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    const button = page.getByRole('button', { name: 'Mulai chat' });
    for (const [label, answer] of [
      ['500', (route: Route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"errors":{"body":["Terjadi kesalahan."]}}' })],
      ['network', (route: Route) => route.abort('internetdisconnected')],
      ['429', (route: Route) => route.fulfill({ status: 429, headers: { 'Retry-After': '30' }, body: '' })],
    ] as const) {
      await page.route('**/livechat/session', answer);
      await button.focus();
      await page.keyboard.press('Enter');
      await page.locator('#form-status.status-error').waitFor();
      await page.unrouteAll();
      expect(await activeElementId(page), label).to.equal('button[type=submit]');
    }
  });

  it('has its live regions in the accessibility tree, empty, from the start, says what it is waiting for, and no progress message in a busy subtree', async () => {
    const { page } = await open();
    // A live region that enters the tree together with its first message may not be announced at all.
    expect(await page.getByRole('status').count(), 'the form status, before any message').to.equal(1);
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    let hold: (route: Route) => void = () => undefined;
    const held = new Promise<Route>((resolve) => (hold = resolve));
    await page.route('**/livechat/session', (route) => hold(route));
    await page.getByRole('button', { name: 'Mulai chat' }).click();
    const route = await held;
    expect(await page.locator('#form-status').textContent()).to.equal('Menghubungkan…');
    expect(await page.evaluate("document.getElementById('form-status').closest('[aria-busy=\"true\"]')"), 'not muted by aria-busy').to.equal(null);
    await route.continue();
    await page.locator('#connected').waitFor();
    expect(await page.locator('#leave-status').textContent()).to.equal('');
    expect(await page.getByRole('status').count(), 'the leave status, before any message').to.equal(1);

    // "Not you?" says what it is doing while it waits, as submitting does.
    const leaving = new Promise<Route>((resolve) => (hold = resolve));
    await page.route('**/livechat/guest', (answer) => hold(answer));
    await page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' }).click();
    const forgetting = await leaving;
    expect(await page.locator('#leave-status').textContent()).to.equal('Menghapus data Anda dari perangkat ini…');
    expect(await page.locator('#leave-status.status-error').count(), 'progress, not an error').to.equal(0);
    await forgetting.continue();
    await page.locator('#livechat-form').waitFor();
    expect(await page.locator('#leave-status').textContent()).to.equal('');
  });

  it('names each field once (the visible "(wajib)" is not read again after "required"), and hides the intro with the form', async () => {
    const { page } = await open();
    for (const name of ['Nama', 'Kota', 'Negara']) {
      expect(await page.getByRole('textbox', { name, exact: true }).count(), name).to.equal(1);
    }
    const intro = page.locator('.intro');
    expect(await intro.isVisible()).to.equal(true);
    await startSession(page, ['Budi', 'Solo', 'Indonesia']);
    expect(await intro.isHidden(), 'nothing left to fill in').to.equal(true);
    await page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' }).click();
    await page.locator('#livechat-form').waitFor();
    expect(await intro.isVisible(), 'back with the form').to.equal(true);
  });

  it('in forced colors, the main button keeps a visible boundary (WCAG 1.4.11)', async () => {
    await context.close();
    context = await browser.newContext({ locale: 'id-ID', forcedColors: 'active' });
    const { page } = await open();
    expect(await page.evaluate('matchMedia("(forced-colors: active)").matches')).to.equal(true);
    const border = await page.evaluate<{ style: string; width: string; color: string }>(`(() => {
      const style = getComputedStyle(document.querySelector('#livechat-form button[type="submit"]'));
      return { style: style.borderTopStyle, width: style.borderTopWidth, color: style.borderTopColor };
    })()`);
    expect(border.style).to.equal('solid');
    expect(border.width).to.not.equal('0px');
    expect(border.color, 'the system colour forced on it, not transparent').to.not.equal('rgba(0, 0, 0, 0)');
  });

  it('sends one request at a time: while it is on its way the button is unusable and submitting again does nothing', async () => {
    const { page } = await open();
    await fillProfile(page, ['Budi', 'Solo', 'Indonesia']);
    // Counted in the page, where the script calls fetch, so that a second call shows at once.
    await page.evaluate(`(() => {
      const fetchOnce = window.fetch;
      window.__fetches = 0;
      window.fetch = (...args) => {
        window.__fetches += 1;
        return fetchOnce(...args);
      };
    })()`);
    // The request is held, unanswered, until the test has looked at the page meanwhile.
    let hold: (route: Route) => void = () => undefined;
    const held = new Promise<Route>((resolve) => (hold = resolve));
    await page.route('**/livechat/session', (route) => hold(route));
    const button = page.getByRole('button', { name: 'Mulai chat' });

    await button.click();
    const route = await held;
    expect(await button.isDisabled()).to.equal(true);
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('#livechat-form button')).cursor")).to.equal('progress');
    // Not by the disabled button nor the Enter key, but a script (an extension, a password manager) still can.
    await page.evaluate("document.getElementById('livechat-form').requestSubmit()");
    expect(await page.evaluate('window.__fetches')).to.equal(1);

    await route.abort('internetdisconnected');
    await page.locator('#form-status.status-error').waitFor();
    expect(await button.isEnabled()).to.equal(true);
  });

  it('is in English, field errors included, for an English-speaking browser', async () => {
    await context.close();
    context = await browser.newContext({ locale: 'en-US' });
    const { page } = await open();
    await fillProfile(page, ['Budi', 'S', 'Indonesia'], ['Name', 'City', 'Country']);
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await page.locator('#city-error').waitFor();
    expect(await page.locator('#city-error').textContent()).to.equal('City must be at least 2 characters.');
    await page.getByLabel('City').fill('Solo');
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await page.getByRole('heading', { name: 'Your live chat session has started' }).waitFor();
  });

  describe('with a chat client configured', () => {
    // What a chat client does with the page: listens for the session, and connects where it is told to.
    const CHAT_CLIENT_STUB = `(() => {
      const client = { connected: [], disconnected: 0, opened: 0 };
      window.__chatClient = client;
      document.addEventListener('livechat:connected', (event) => {
        client.connected.push(event.detail);
        new WebSocket(event.detail.websocketUrl).addEventListener('open', () => { client.opened += 1; });
      });
      document.addEventListener('livechat:disconnected', () => { client.disconnected += 1; });
    })();`;
    let chat: FakeChatServer;
    let chatApp: TestApp;

    before(async () => {
      chat = await startFakeChatServer(CHAT_CLIENT_STUB);
      chatApp = await startTestApp({ env: { CHAT_CLIENT_SCRIPT_URL: chat.scriptUrl, CHAT_WEBSOCKET_URL: chat.websocketUrl } });
    });
    after(async () => {
      await chatApp?.stop();
      await chat?.close();
    });

    const storedSession = async (page: Page): Promise<Record<string, unknown>> =>
      JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('livechat.session')")) ?? 'null') as Record<string, unknown>;

    it('runs the chat client after its own script, hands it each session and where to connect, and lets it connect there', async () => {
      const { page, problems } = await open(chatApp.baseUrl);
      expect(await page.evaluate('window.__chatClient'), 'the client ran, and has no session yet').to.deep.equal({
        connected: [],
        disconnected: 0,
        opened: 0,
      });

      await startSession(page, ['Siti', 'Medan', 'Indonesia']);
      await waitUntilTrue(page, 'window.__chatClient.opened === 1');
      const announced = { ...(await storedSession(page)), websocketUrl: chat.websocketUrl };
      expect(await page.evaluate('window.__chatClient.connected')).to.deep.equal([announced]);
      expect(chat.connections).to.equal(1);

      // A reload resumes the session, and the chat client, which runs after the page's script, hears of it too.
      await page.reload();
      await waitUntilTrue(page, 'window.__chatClient.opened === 1');
      expect(await page.evaluate('window.__chatClient.connected')).to.deep.equal([announced]);

      await page.getByRole('button', { name: 'Bukan Anda? Mulai sesi baru' }).click();
      await page.locator('#livechat-form').waitFor();
      expect(await page.evaluate('window.__chatClient.disconnected')).to.equal(1);
      expect(problems, 'no CSP violation, no error').to.deep.equal([]);
    });

    it('with CHAT_CLIENT_SCRIPT_INTEGRITY, runs the chat client only when its script is the one hashed', async () => {
      const digestOf = (text: string): string => `sha384-${createHash('sha384').update(text).digest('base64')}`;
      for (const [integrity, runs] of [
        [digestOf(CHAT_CLIENT_STUB), true],
        [digestOf('a script swapped on the CDN'), false],
      ] as const) {
        const checked = await startTestApp({
          env: { CHAT_CLIENT_SCRIPT_URL: chat.scriptUrl, CHAT_WEBSOCKET_URL: chat.websocketUrl, CHAT_CLIENT_SCRIPT_INTEGRITY: integrity },
        });
        try {
          const { page, problems } = await open(checked.baseUrl);
          await page.waitForLoadState('load');
          expect(await page.evaluate('window.__chatClient !== undefined'), integrity).to.equal(runs);
          if (runs) expect(problems).to.deep.equal([]);
          else expect(problems.join('\n')).to.include('integrity');
        } finally {
          await checked.stop();
        }
      }
    });

    it("hands over a session started while the chat client's script is still on its way, once it has run", async () => {
      let release: () => void = () => undefined;
      chat.scriptHeldUntil = new Promise<void>((resolve) => (release = resolve));
      try {
        const page = await context.newPage();
        await page.goto(`${chatApp.baseUrl}/livechat`, { waitUntil: 'commit' });
        // At 'commit' the parser may not have reached the form yet: a missing button is not ready either.
        await waitUntilTrue(page, "document.querySelector('#livechat-form button')?.disabled === false");
        await startSession(page, ['Andi', 'Bandung', 'Indonesia']);
        expect(await page.evaluate('window.__chatClient'), 'not loaded yet').to.equal(undefined);

        release();
        await waitUntilTrue(page, 'window.__chatClient?.connected.length === 1');
        expect(await page.evaluate('window.__chatClient.connected')).to.deep.equal([
          { ...(await storedSession(page)), websocketUrl: chat.websocketUrl },
        ]);
      } finally {
        release();
        chat.scriptHeldUntil = undefined;
      }
    });
  });
});
