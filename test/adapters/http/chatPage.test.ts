import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { buildChatPage, type PageSettings } from '../../../src/adapters/http/chatPage/chatPageAssets.js';
import { pageSecurityHeaders } from '../../../src/adapters/http/chatPage/pageSecurity.js';
import { FOLDED_PUNCTUATION, PUNCTUATION_FOLDS, SPACE_RUN } from '../../../src/domain/listenerProfile.js';
import {
  COMBINING_MARK_RUN,
  PROFILE_FIELDS,
  PROFILE_RULES,
  allowedCharactersPatternOf,
  requiredCharactersPatternOf,
} from '../../../src/domain/profileRules.js';
import { captchaErrorMessage } from '../../../src/adapters/messages/captchaMessages.js';
import { profileErrorMessage } from '../../../src/adapters/messages/profileMessages.js';
import { assetUrls, startPage } from '../../support/chatPageServer.js';
import { send, type TestResponse } from '../../support/httpClient.js';

const SITEKEY = '10000000-ffff-ffff-ffff-000000000001';
const CHAT_SCRIPT = 'https://chat.radio.example/client/v2/chat.js';
const CHAT_SOCKET = 'wss://chat.radio.example/socket';

/** The opening tags of the given element in an HTML document. */
const tags = (html: string, element: string): string[] => html.match(new RegExp(`<${element}\\b[^>]*>`, 'g')) ?? [];

/** Runs the served script with a stand-in for startLivechatPage, to read the settings it was given. */
const settingsOf = (script: string): PageSettings => {
  let captured: PageSettings | undefined;
  const wrapped = script.replace('function startLivechatPage(settings) {', 'function ignored(settings) {');
  runInNewContext(wrapped, { startLivechatPage: (settings: PageSettings) => (captured = settings) });
  if (captured === undefined) throw new Error('the script never started the page');
  return captured;
};

describe('chat entry page (GET /livechat)', () => {
  let page: Awaited<ReturnType<typeof startPage>>;
  let response: TestResponse;

  before(async () => {
    page = await startPage();
    response = await send(page.baseUrl, { path: '/livechat' });
  });
  after(async () => {
    await page.close();
  });

  it('is an HTML page in Indonesian by default, revalidated on each visit', () => {
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(response.headers['cache-control']).to.equal('no-cache');
    expect(response.headers.vary).to.equal('Accept-Language, Accept-Encoding');
    expect(response.text).to.include('<html lang="id">').and.include('<label for="city">Kota');
  });

  it('is English when Accept-Language prefers it', async () => {
    const english = await send(page.baseUrl, { path: '/livechat', headers: { 'accept-language': 'en-GB,en;q=0.9,id;q=0.5' } });
    expect(english.text).to.include('<html lang="en">').and.include('<label for="city">City');
    expect(assetUrls(english.text).script).to.match(/\/livechat\.en\.[\w-]+\.js$/);
  });

  it('has a strict CSP: own scripts only, nothing inline or eval, no framing, no referrer', () => {
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).to.include("default-src 'none'").and.include("script-src 'self';").and.include("style-src 'self';");
    expect(csp).to.include("frame-ancestors 'none'").and.include("base-uri 'none'").and.include("require-trusted-types-for 'script'");
    expect(csp).to.not.match(/unsafe-inline|unsafe-eval|hcaptcha/);
    expect(response.headers['x-frame-options']).to.equal('DENY');
    expect(response.headers['referrer-policy']).to.equal('no-referrer');
    expect(response.headers['cross-origin-opener-policy']).to.equal('same-origin');
    expect(response.headers['permissions-policy']).to.include('camera=()').and.include('microphone=()').and.include('geolocation=()');
    expect(response.text).to.not.match(/<script(?![^>]*\bsrc=)/);
    expect(response.text).to.not.match(/\sstyle=|\son\w+=/);
    expect(tags(response.text, 'script'), 'its own script only').to.have.length(1);
  });

  it('keeps the profile out of URLs: the form posts, and its button is disabled until the script takes over', () => {
    // Submitted by the browser itself (script slow or blocked), a method-less form would put the listener's
    // name, city and country in a GET query string: the address bar, the history and every proxy's log.
    const forms = tags(response.text, 'form');
    expect(forms).to.have.length(1);
    expect(forms[0]).to.match(/\smethod="post"[\s>]/);
    // Every other button is type="button", which never submits a form.
    const submitting = tags(response.text, 'button').filter((button) => !/\stype="button"[\s>]/.test(button));
    expect(submitting).to.have.length(1);
    expect(submitting[0]).to.match(/\stype="submit"[\s>]/).and.match(/\sdisabled[\s>]/);
  });

  it('tells a browser without JavaScript why the form cannot work before the form, not after its button', () => {
    const noscript = response.text.indexOf('<noscript>');
    expect(noscript).to.be.greaterThan(-1);
    expect(noscript).to.be.lessThan(response.text.indexOf('<form'));
  });

  it('puts autocomplete only where HTML allows it: on inputs (and forms), never on a button', () => {
    for (const button of tags(response.text, 'button')) expect(button).to.not.match(/\sautocomplete=/);
  });

  it('asks phones and browsers not to correct or spell-check names and places, and to capitalize each word', () => {
    const inputs = tags(response.text, 'input');
    expect(inputs).to.have.length(3);
    for (const input of inputs) {
      expect(input).to.match(/\sspellcheck="false"[\s>]/).and.match(/\sautocapitalize="words"[\s>]/).and.match(/\sautocorrect="off"[\s>]/);
    }
  });

  it('answers a repeated visit with 304 by ETag', async () => {
    const again = await send(page.baseUrl, { path: '/livechat', headers: { 'if-none-match': response.headers.etag as string } });
    expect(again.status).to.equal(304);
    expect(again.text).to.equal('');
  });

  it('serves its fingerprinted stylesheet, icon and script for a year, immutable, named and tagged by their hash', async () => {
    const { style, icon, script } = assetUrls(response.text);
    const expected = [
      [style, 'text/css; charset=utf-8'],
      [icon, 'image/svg+xml'],
      [script, 'text/javascript; charset=utf-8'],
    ] as const;
    for (const [url, type] of expected) {
      const asset = await send(page.baseUrl, { path: url });
      expect(asset.status, url).to.equal(200);
      expect(asset.headers['content-type'], url).to.equal(type);
      expect(asset.headers['cache-control'], url).to.equal('public, max-age=31536000, immutable');
      const hash = createHash('sha256').update(asset.text).digest('base64url').slice(0, 16);
      expect(url).to.match(new RegExp(`\\.${hash}\\.(css|svg|js)$`));
      expect(asset.headers.etag, url).to.equal(`"${hash}"`);
    }
  });

  it('gives the script the profile rules derived from the domain, and the cookie names', async () => {
    const settings = settingsOf((await send(page.baseUrl, { path: assetUrls(response.text).script })).text);
    expect(settings.fields).to.deep.equal(PROFILE_FIELDS);
    expect(Object.keys(settings.rules)).to.deep.equal(PROFILE_FIELDS);
    for (const field of PROFILE_FIELDS) {
      const rule = PROFILE_RULES[field];
      expect(settings.rules[field], field).to.deep.equal({
        minLength: rule.minLength,
        maxLength: rule.maxLength,
        allowed: allowedCharactersPatternOf(rule),
        required: requiredCharactersPatternOf(rule),
      });
    }
    expect(settings.punctuationFolds).to.deep.equal(PUNCTUATION_FOLDS);
    expect(settings.foldedPunctuation).to.equal(FOLDED_PUNCTUATION.source);
    expect(settings.spaceRun).to.equal(SPACE_RUN.source);
    expect(settings.markRun).to.equal(COMBINING_MARK_RUN);
    expect(settings.cookies).to.deep.equal({ name: 'livechat_name', city: 'livechat_city', country: 'livechat_country' });
    expect(settings).to.include({
      locale: 'id',
      endpoint: '/livechat/session',
      forgetEndpoint: '/livechat/guest',
      requestTimeoutMs: 15_000,
      captchaLoadTimeoutMs: 15_000,
      captchaSitekey: null,
      websocketUrl: null,
    });
  });

  it('lets the script refuse a value for its characters only on ones every Unicode version classifies alike', async () => {
    const settings = settingsOf((await send(page.baseUrl, { path: assetUrls(response.text).script })).text);
    const stable = new RegExp(settings.stableCharacter, 'u');
    expect(['a', '_', '@', '<', '7', '\u007F', '\u{1F600}', '\u00A9'].filter((character) => !stable.test(character))).to.deep.equal([]);
    expect(['é', '\u0661', '\uFE0F', '\u202E', '\u3164'].filter((character) => stable.test(character))).to.deep.equal([]);
    // What the script relies on beyond ASCII, checked against this Node's tables: an emoji a rule refuses is no
    // letter, mark or digit, which some version's tables could take for one. (U+2139 ℹ is a letter, so allowed.)
    const letterMarkOrDigit = /[\p{L}\p{M}\p{N}]/u;
    for (const field of PROFILE_FIELDS) {
      const allowed = new RegExp(`[${PROFILE_RULES[field].allowedCharacters}]`, 'u');
      const doubtful: string[] = [];
      for (let codePoint = 0x80; codePoint <= 0x10ffff; codePoint += 1) {
        const character = String.fromCodePoint(codePoint);
        if (stable.test(character) && !allowed.test(character) && letterMarkOrDigit.test(character)) doubtful.push(character);
      }
      expect(doubtful, field).to.deep.equal([]);
    }
    expect(new RegExp(allowedCharactersPatternOf(PROFILE_RULES.city), 'u').test('\u2139'), 'the emoji that is a letter').to.equal(true);
  });

  it("gives the script the server's own field and missing-captcha messages in the page's language, so it can say what a 422 would", async () => {
    const english = await send(page.baseUrl, { path: '/livechat', headers: { 'accept-language': 'en' } });
    for (const [locale, html] of [['id', response.text], ['en', english.text]] as const) {
      const settings = settingsOf((await send(page.baseUrl, { path: assetUrls(html).script })).text);
      for (const field of PROFILE_FIELDS) {
        const codes = ['required', 'too_short', 'too_long', 'invalid_characters', 'needs_letter', 'too_many_marks'] as const;
        const expected = Object.fromEntries(codes.map((code) => [code, profileErrorMessage(locale, field, code)]));
        expect(settings.messages[field], `${locale} ${field}`).to.deep.equal(expected);
      }
      expect(settings.captchaRequired, locale).to.equal(captchaErrorMessage(locale, 'required'));
    }
    expect(settingsOf((await send(page.baseUrl, { path: assetUrls(response.text).script })).text).messages.city.too_short).to.equal(
      'Kota minimal 2 karakter.',
    );
  });

  it("states each field's rule in its hint, before the example, in either language (WCAG 3.3.2)", async () => {
    const english = await send(page.baseUrl, { path: '/livechat', headers: { 'accept-language': 'en' } });
    const hint = (html: string, field: string): string =>
      (new RegExp(`<p id="${field}-hint" class="hint">([^<]*)</p>`).exec(html)?.[1] ?? '').replaceAll('&#39;', "'");
    expect(hint(response.text, 'name')).to.equal(
      "Hanya boleh berisi huruf, angka, spasi, titik (.), apostrof ('), dan tanda hubung (-). Contoh: Budi Santoso",
    );
    expect(hint(response.text, 'city')).to.equal(
      "Minimal 2 karakter. Hanya boleh berisi huruf, spasi, titik (.), apostrof ('), tanda hubung (-), dan tanda kurung ( ). Contoh: Solo",
    );
    expect(hint(english.text, 'name')).to.equal(
      "May contain only letters, digits, spaces, full stops (.), apostrophes ('), and hyphens (-). For example: Budi Santoso",
    );
    expect(hint(english.text, 'country')).to.equal(
      "At least 2 characters. May contain only letters, spaces, full stops (.), apostrophes ('), hyphens (-), and brackets ( ). For example: Indonesia",
    );
  });

  it('lets no other site load the page or its files into its own', async () => {
    const urls = assetUrls(response.text);
    for (const path of ['/livechat', urls.script, urls.style, urls.icon]) {
      const asset = await send(page.baseUrl, { path });
      expect(asset.status, path).to.equal(200);
      expect(asset.headers['cross-origin-resource-policy'], path).to.equal('same-origin');
    }
  });

  it('answers unknown assets and other methods with the JSON errors map', async () => {
    const missing = await send(page.baseUrl, { path: '/livechat/assets/livechat.0000000000000000.js' });
    expect(missing.status).to.equal(404);
    expect(missing.json).to.deep.equal({ errors: { body: ['Alamat tidak ditemukan.'] } });
    const post = await send(page.baseUrl, { method: 'POST', path: '/livechat', body: {} });
    expect(post.status).to.equal(405);
    expect(post.headers.allow).to.include('GET');
  });

  describe('with hCaptcha configured', () => {
    let captchaPage: Awaited<ReturnType<typeof startPage>>;
    before(async () => {
      captchaPage = await startPage({ captchaSitekey: SITEKEY });
    });
    after(async () => {
      await captchaPage.close();
    });

    it("allows hCaptcha's origins (and only those) and gives the script the sitekey", async () => {
      const withCaptcha = await send(captchaPage.baseUrl, { path: '/livechat' });
      const csp = withCaptcha.headers['content-security-policy'] as string;
      expect(csp).to.include("script-src 'self' https://hcaptcha.com https://*.hcaptcha.com;");
      expect(csp).to.include('frame-src https://hcaptcha.com https://*.hcaptcha.com;');
      expect(csp).to.not.match(/unsafe-inline|unsafe-eval/);
      const settings = settingsOf((await send(captchaPage.baseUrl, { path: assetUrls(withCaptcha.text).script })).text);
      expect(settings.captchaSitekey).to.equal(SITEKEY);
    });
  });

  describe('with a chat client configured', () => {
    let chatPage: Awaited<ReturnType<typeof startPage>>;
    let withClient: TestResponse;
    before(async () => {
      chatPage = await startPage({ chatClient: { scriptUrl: CHAT_SCRIPT, websocketUrl: CHAT_SOCKET } });
      withClient = await send(chatPage.baseUrl, { path: '/livechat' });
    });
    after(async () => {
      await chatPage.close();
    });

    it("loads the chat client's script after its own, both deferred, so that the client runs once the page's script has", () => {
      const scripts = tags(withClient.text, 'script');
      expect(scripts).to.have.length(2);
      expect(scripts[0]).to.equal(`<script src="${assetUrls(withClient.text).script}" defer>`);
      expect(scripts[1]).to.equal(`<script src="${CHAT_SCRIPT}" defer>`);
    });

    it('allows that script and the chat server in its CSP, and tells the script where the chat server is', async () => {
      const csp = withClient.headers['content-security-policy'] as string;
      expect(csp).to.include(`script-src 'self' ${CHAT_SCRIPT};`).and.include(`connect-src 'self' ${CHAT_SOCKET};`);
      expect(csp).to.not.include('trusted-types');
      const settings = settingsOf((await send(chatPage.baseUrl, { path: assetUrls(withClient.text).script })).text);
      expect(settings.websocketUrl).to.equal(CHAT_SOCKET);
    });

    it('writes the URL HTML-escaped, whatever it holds', () => {
      const page = buildChatPage({ chatClient: { scriptUrl: 'https://chat.radio.example/chat.js?a=1&b="2"><x' } });
      const escaped = 'https://chat.radio.example/chat.js?a=1&amp;b=&quot;2&quot;&gt;&lt;x';
      expect(page.pages.id.body).to.include(`<script src="${escaped}" defer></script>`);
    });

    it('with an integrity hash, loads the script only if it matches (Subresource Integrity), fetched with CORS', () => {
      const integrity = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';
      const page = buildChatPage({ chatClient: { scriptUrl: CHAT_SCRIPT, scriptIntegrity: integrity } });
      const scripts = tags(page.pages.id.body, 'script');
      expect(scripts).to.have.length(2);
      expect(scripts[1]).to.equal(`<script src="${CHAT_SCRIPT}" integrity="${integrity}" crossorigin="anonymous" defer>`);
    });

    it('loads no chat client when only the WebSocket URL is set, yet tells the script where it is', () => {
      const page = buildChatPage({ chatClient: { websocketUrl: CHAT_SOCKET } });
      expect(tags(page.pages.en.body, 'script')).to.have.length(1);
      const script = [...page.assets.values()].find((asset) => asset.type.startsWith('text/javascript'))!;
      expect(settingsOf(script.body).websocketUrl).to.equal(CHAT_SOCKET);
      expect(pageSecurityHeaders(page.sources)['Content-Security-Policy']).to.include("require-trusted-types-for 'script'");
    });
  });

  it('leaves no trace of a chat client without one: not even an empty line where its script would be', () => {
    const page = buildChatPage({ chatClient: { scriptUrl: undefined, websocketUrl: undefined } });
    expect(page).to.deep.equal(buildChatPage());
    expect(page.pages.id.body).to.match(/\n {2}<script src="[^"]+" defer><\/script>\n<\/head>\n/);
  });
});
