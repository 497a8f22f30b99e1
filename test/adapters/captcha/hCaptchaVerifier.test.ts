import { expect } from 'chai';
import { HCaptchaVerifier } from '../../../src/adapters/captcha/hCaptchaVerifier.js';
import { CaptchaUnavailable } from '../../../src/application/errors.js';
import { closedPortUrl, startFakeSiteverify, type FakeSiteverify } from '../../support/fakeSiteverify.js';

const SECRET = '0x0000000000000000000000000000000000000000';
const SITEKEY = '10000000-ffff-ffff-ffff-000000000001';
const ACCEPTED = 'solved-captcha-token';

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('HCaptchaVerifier against a local siteverify server', () => {
  let siteverify: FakeSiteverify;
  let verifier: HCaptchaVerifier;

  beforeEach(async () => {
    siteverify = await startFakeSiteverify({ secret: SECRET, sitekey: SITEKEY, acceptedToken: ACCEPTED });
    verifier = new HCaptchaVerifier({ secret: SECRET, sitekey: SITEKEY, verifyUrl: siteverify.url, timeoutMs: 300 });
  });
  afterEach(async () => {
    await siteverify.close();
  });

  it('accepts the token the provider accepts, sending secret, response, remoteip and sitekey as a form', async () => {
    expect(await verifier.verify(ACCEPTED, '203.0.113.7')).to.equal(true);
    expect(Object.fromEntries(siteverify.requests[0]!)).to.deep.equal({
      secret: SECRET,
      response: ACCEPTED,
      sitekey: SITEKEY,
      remoteip: '203.0.113.7',
    });
  });

  it('rejects a token the provider rejects', async () => {
    expect(await verifier.verify('a-forged-token', '203.0.113.7')).to.equal(false);
  });

  it('leaves remoteip out when the address is unknown', async () => {
    await verifier.verify(ACCEPTED, '');
    expect(siteverify.requests[0]!.has('remoteip')).to.equal(false);
  });

  it('reports a wrong secret as unavailable (our misconfiguration), not as a listener who failed', async () => {
    const misconfigured = new HCaptchaVerifier({ secret: 'wrong', sitekey: SITEKEY, verifyUrl: siteverify.url });
    const error = await rejection(misconfigured.verify(ACCEPTED, ''));
    expect(error).to.be.instanceOf(CaptchaUnavailable);
    expect((error as CaptchaUnavailable).code).to.equal('captcha_unavailable');
  });

  for (const behaviour of ['http_error', 'not_json'] as const) {
    it(`throws CaptchaUnavailable when siteverify answers ${behaviour.replace('_', ' ')}`, async () => {
      siteverify.behaviour = behaviour;
      expect(await rejection(verifier.verify(ACCEPTED, ''))).to.be.instanceOf(CaptchaUnavailable);
    });
  }

  it('throws CaptchaUnavailable when siteverify never answers (its timeout, not a hang)', async () => {
    siteverify.behaviour = 'silent';
    const error = await rejection(verifier.verify(ACCEPTED, ''));
    expect(error).to.be.instanceOf(CaptchaUnavailable);
    expect((error as Error).cause).to.have.property('name', 'TimeoutError');
  });

  it('throws CaptchaUnavailable when nothing listens at the siteverify URL', async () => {
    const down = new HCaptchaVerifier({ secret: SECRET, sitekey: SITEKEY, verifyUrl: await closedPortUrl() });
    expect(await rejection(down.verify(ACCEPTED, ''))).to.be.instanceOf(CaptchaUnavailable);
  });
});
