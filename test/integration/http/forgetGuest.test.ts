import { expect } from 'chai';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const FORGET = '/livechat/guest';

const REMOVALS = [
  'livechat_name=; Max-Age=0; Path=/; SameSite=Lax',
  'livechat_city=; Max-Age=0; Path=/; SameSite=Lax',
  'livechat_country=; Max-Age=0; Path=/; SameSite=Lax',
  'livechat_guest=; Max-Age=0; Path=/livechat; HttpOnly; SameSite=Lax',
];

const userIdOf = (json: unknown): string => (json as { userId: string }).userId;

describe('DELETE /livechat/guest ("Not you?") against PostgreSQL and Redis', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app.stop();
  });

  it('answers 204 with no body and no-store, expiring the guest and profile cookies on the paths they were set on', async () => {
    const response = await send(app.baseUrl, { method: 'DELETE', path: FORGET, headers: { 'x-request-id': 'not-you-1' } });

    expect(response.status).to.equal(204);
    expect(response.text).to.equal('');
    expect(response.headers['content-type']).to.equal(undefined);
    expect(response.headers['cache-control']).to.equal('no-store');
    expect(response.headers['x-request-id']).to.equal('not-you-1');
    expect(response.headers['x-content-type-options']).to.equal('nosniff');
    expect(response.setCookies).to.deep.equal(REMOVALS);
  });

  it('expires every cookie a started session set, on the path it was set on; until then the browser is the same guest', async () => {
    const first = await postSession(app.baseUrl, aProfile().withName('Siti').build());
    expect(first.status).to.equal(201);
    const asThisBrowser = { cookie: first.cookieHeader };

    // The control: without "Not you?", the next session on this browser is the same guest's.
    const again = await postSession(app.baseUrl, aProfile().withName('Siti').build(), { headers: asThisBrowser });
    expect(userIdOf(again.json)).to.equal(userIdOf(first.json));

    // The browser sends its cookies along, as it would; they are expired whatever they hold.
    const forgotten = await send(app.baseUrl, { method: 'DELETE', path: FORGET, headers: asThisBrowser });
    expect(forgotten.status).to.equal(204);
    const namesOf = (lines: readonly string[]): string[] => lines.map((line) => line.slice(0, line.indexOf('='))).sort();
    expect(namesOf(forgotten.setCookies)).to.deep.equal(namesOf(first.setCookies));
    expect(forgotten.setCookies).to.deep.equal(REMOVALS);
  });

  it('gives each removal the attributes its cookie was set with, Secure included over HTTPS through a trusted proxy', async () => {
    const behindProxy = await startTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      const headers = { 'x-forwarded-proto': 'https' };
      const started = await postSession(behindProxy.baseUrl, aProfile().build(), { headers });
      const forgotten = await send(behindProxy.baseUrl, { method: 'DELETE', path: FORGET, headers });
      expect(forgotten.status).to.equal(204);
      expect(forgotten.setCookies).to.deep.equal([
        'livechat_name=; Max-Age=0; Path=/; Secure; SameSite=Lax',
        'livechat_city=; Max-Age=0; Path=/; Secure; SameSite=Lax',
        'livechat_country=; Max-Age=0; Path=/; Secure; SameSite=Lax',
        'livechat_guest=; Max-Age=0; Path=/livechat; HttpOnly; Secure; SameSite=Lax',
      ]);
      // Line for line, the cookie as set with its value emptied and its year cut to nothing.
      const asRemoval = (line: string): string => line.replace(/^([^=]+)=[^;]*; Max-Age=31536000;/, '$1=; Max-Age=0;');
      expect(forgotten.setCookies).to.deep.equal(started.setCookies.map(asRemoval));
    } finally {
      await behindProxy.stop();
    }
  });

  it('other methods → the JSON 405 with Allow: DELETE, OPTIONS, and no cookie touched', async () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const response = await send(app.baseUrl, { method, path: FORGET, headers: { 'accept-language': 'en' } });
      expect(response.status, method).to.equal(405);
      expect(response.headers.allow, method).to.equal('DELETE, OPTIONS');
      expect(response.headers['content-type'], method).to.equal('application/json; charset=utf-8');
      expect((response.json as { errors: { body: string[] } }).errors.body, method).to.have.length(1);
      expect(response.setCookies, method).to.deep.equal([]);
    }
  });
});
