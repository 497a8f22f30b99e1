import { expect } from 'chai';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { sample } from '../../support/prometheus.js';
import { closedPortUrl, startFakeSiteverify, type FakeSiteverify } from '../../support/fakeSiteverify.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const SECRET = '0x1111111111111111111111111111111111111111';
const SITEKEY = '10000000-ffff-ffff-ffff-000000000001';
const ACCEPTED = 'solved-captcha-token';

const captchaEnv = (verifyUrl: string): Record<string, string> => ({
  HCAPTCHA_SECRET: SECRET,
  HCAPTCHA_SITEKEY: SITEKEY,
  HCAPTCHA_VERIFY_URL: verifyUrl,
});

describe('POST /livechat/session with hCaptcha configured (local siteverify server)', () => {
  let siteverify: FakeSiteverify;
  let app: TestApp;

  before(async () => {
    siteverify = await startFakeSiteverify({ secret: SECRET, sitekey: SITEKEY, acceptedToken: ACCEPTED });
    app = await startTestApp({ env: captchaEnv(siteverify.url) });
  });
  after(async () => {
    await app.stop();
    await siteverify.close();
  });
  beforeEach(() => {
    siteverify.behaviour = 'siteverify';
  });

  it('an accepted token → 201, the provider asked with secret, sitekey and the client address', async () => {
    const response = await postSession(app.baseUrl, { ...aProfile().build(), captchaToken: ACCEPTED });
    expect(response.status).to.equal(201);
    expect(Object.fromEntries(siteverify.requests.at(-1)!)).to.deep.equal({
      secret: SECRET,
      response: ACCEPTED,
      sitekey: SITEKEY,
      remoteip: '127.0.0.1',
    });
  });

  it('no token → 422 under errors.captchaToken, in Indonesian or English, with no cookie', async () => {
    const response = await postSession(app.baseUrl, aProfile().build());
    expect(response.status).to.equal(422);
    expect(response.json).to.deep.equal({ errors: { captchaToken: ['Selesaikan captcha terlebih dahulu.'] } });
    expect(response.setCookies).to.deep.equal([]);
    const english = await postSession(app.baseUrl, aProfile().withCity('S').build(), { headers: { 'accept-language': 'en' } });
    expect(english.json).to.deep.equal({
      errors: { city: ['City must be at least 2 characters.'], captchaToken: ['Please complete the captcha.'] },
    });
  });

  it('a token the provider rejects → 422 under errors.captchaToken, with no cookie', async () => {
    const response = await postSession(app.baseUrl, { ...aProfile().build(), captchaToken: 'forged' });
    expect(response.status).to.equal(422);
    expect(response.json).to.deep.equal({ errors: { captchaToken: ['Captcha tidak valid atau sudah kedaluwarsa. Silakan ulangi.'] } });
    expect(response.setCookies).to.deep.equal([]);
  });

  it('counts missing and rejected captchas as validation failures of captchaToken', async () => {
    const before = await send(app.baseUrl, { path: '/metrics' });
    const count = (text: string): number => sample(text, 'livechat_validation_failures_total{field="captchaToken"}') ?? 0;
    await postSession(app.baseUrl, aProfile().build());
    await postSession(app.baseUrl, { ...aProfile().build(), captchaToken: 'forged' });
    expect(count((await send(app.baseUrl, { path: '/metrics' })).text) - count(before.text)).to.equal(2);
  });

  it('siteverify answering an error page → 503 with Retry-After, not a free pass', async () => {
    siteverify.behaviour = 'http_error';
    const response = await postSession(app.baseUrl, { ...aProfile().build(), captchaToken: ACCEPTED });
    expect(response.status).to.equal(503);
    expect(response.headers['retry-after']).to.equal('5');
    expect(response.json).to.deep.equal({
      errors: { body: ['Verifikasi captcha sedang tidak tersedia. Silakan coba lagi sebentar lagi.'] },
    });
  });

  // The bound is the adapter's 3 s timeout; this test's own timeout fails it should the request hang instead.
  it('siteverify that never answers → 503 once the verifier gives up', async function () {
    this.timeout(8_000);
    siteverify.behaviour = 'silent';
    const response = await postSession(app.baseUrl, { ...aProfile().build(), captchaToken: ACCEPTED });
    expect(response.status).to.equal(503);
    expect(response.setCookies).to.deep.equal([]);
  });

  it('siteverify unreachable (nothing listening) → 503', async () => {
    const down = await startTestApp({ env: captchaEnv(await closedPortUrl()) });
    try {
      const response = await postSession(down.baseUrl, { ...aProfile().build(), captchaToken: ACCEPTED });
      expect(response.status).to.equal(503);
      expect(response.headers['retry-after']).to.equal('5');
    } finally {
      await down.stop();
    }
  });
});

describe('POST /livechat/session without a captcha configured', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.stop();
  });

  it('asks for no captcha: 201 without a token, and a token sent anyway is ignored', async () => {
    expect((await postSession(app.baseUrl, aProfile().build())).status).to.equal(201);
    expect((await postSession(app.baseUrl, { ...aProfile().build(), captchaToken: 'whatever' })).status).to.equal(201);
  });
});
