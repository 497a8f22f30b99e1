import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import knex, { type Knex } from 'knex';
import { postSession } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { jwksVerifier } from '../support/jwks.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testDatabaseUrl } from '../support/testServices.js';

interface Created {
  sessionToken: string;
  sessionId: string;
  userId: string;
  expiresAt: string;
}

describe('POST /livechat/session against PostgreSQL and Redis', () => {
  let app: TestApp;
  let database: Knex;

  before(async () => {
    app = await startTestApp();
    database = knex({ client: 'pg', connection: testDatabaseUrl() });
  });

  after(async () => {
    await app.stop();
    await database.destroy();
  });

  const sessionRow = (id: string) => database('sessions').where({ id }).first<Record<string, unknown> | undefined>();

  it('Scenario 1: a new guest gets 201, a token the JWKS verifies, a stored session and the cookies', async () => {
    const response = await postSession(app.baseUrl, { name: 'Budi', city: 'Solo', country: 'Indonesia' });

    expect(response.status).to.equal(201);
    expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(response.headers['cache-control']).to.equal('no-store');
    const body = response.json as Created;
    expect(Object.keys(body).sort()).to.deep.equal(['expiresAt', 'sessionId', 'sessionToken', 'userId']);

    expect(jwt.decode(body.sessionToken, { complete: true })?.header).to.include({ alg: 'RS256', typ: 'JWT' });
    // Verified with the key published under the token's kid, as the WebSocket server does.
    const claims = (await jwksVerifier(app))(body.sessionToken);
    expect(claims).to.include({
      session_id: body.sessionId,
      user_id: body.userId,
      sub: body.userId,
      user_type: 'guest',
      jti: body.sessionId,
      iss: 'livechat-session',
      aud: 'livechat-websocket',
    });
    expect(claims.exp! - claims.iat!).to.equal(24 * 60 * 60);
    expect(new Date(body.expiresAt).getTime()).to.equal(claims.exp! * 1000);

    const row = await sessionRow(body.sessionId);
    expect(row).to.include({ user_id: body.userId, user_type: 'guest', name: 'Budi', city: 'Solo', country: 'Indonesia' });
    expect((row!.expires_at as Date).toISOString()).to.equal(body.expiresAt);
    expect(await database('guests').where({ id: body.userId }).first()).to.not.equal(undefined);

    const cookies = response.setCookies;
    for (const [name, value] of [['livechat_name', 'Budi'], ['livechat_city', 'Solo'], ['livechat_country', 'Indonesia']]) {
      const cookie = cookies.find((line) => line.startsWith(`${name}=`));
      expect(cookie, name).to.equal(`${name}=${value}; Max-Age=31536000; Path=/; SameSite=Lax`);
    }
    const guest = cookies.find((line) => line.startsWith('livechat_guest='));
    expect(guest).to.match(/^livechat_guest=[0-9a-f-]{36}\.[\w-]+; Max-Age=31536000; Path=\/livechat; HttpOnly; SameSite=Lax$/);
  });

  it("accepts the SPEC's international names and stores them intact", async () => {
    for (const name of ['José', 'Nguyễn Văn An', '李小龍', "O'Brien", 'Jean-Luc']) {
      const response = await postSession(app.baseUrl, aProfile().withName(name).build());
      expect(response.status, name).to.equal(201);
      expect(await sessionRow((response.json as Created).sessionId), name).to.include({ name });
    }
  });

  it('stores international places intact and URL-encodes them in the cookies', async () => {
    const profile = { name: 'Nguyễn Văn An', city: 'Hồ Chí Minh', country: 'Việt Nam' };
    const response = await postSession(app.baseUrl, profile);
    expect(response.status).to.equal(201);
    const row = await sessionRow((response.json as Created).sessionId);
    expect(row).to.include(profile);
    expect(response.setCookies).to.include(
      `livechat_name=${encodeURIComponent('Nguyễn Văn An')}; Max-Age=31536000; Path=/; SameSite=Lax`,
    );
  });

  it('stores the normalized profile and ignores unknown fields', async () => {
    const response = await postSession(app.baseUrl, { name: '  Jean-Luc   Picard ', city: 'La  Barre', country: 'France', admin: true });
    expect(response.status).to.equal(201);
    const row = await sessionRow((response.json as Created).sessionId);
    expect(row).to.include({ name: 'Jean-Luc Picard', city: 'La Barre', country: 'France' });
    expect(row).to.not.have.property('admin');
  });

  it('keeps the userId of a returning guest who sends the cookies back', async () => {
    const first = await postSession(app.baseUrl, aProfile().build());
    const second = await postSession(app.baseUrl, aProfile().withCity('Yogyakarta').build(), {
      headers: { cookie: first.cookieHeader },
    });
    expect(second.status).to.equal(201);
    const [a, b] = [first.json as Created, second.json as Created];
    expect(b.userId).to.equal(a.userId);
    expect(b.sessionId).to.not.equal(a.sessionId);
    expect(await database('sessions').where({ user_id: a.userId }).count<{ count: string }[]>('* as count')).to.deep.equal([
      { count: '2' },
    ]);
  });

  it('ignores a forged guest cookie and creates a new guest', async () => {
    const victim = (await postSession(app.baseUrl, aProfile().build())).json as Created;
    const forgedCookies = [
      `livechat_guest=${victim.userId}.forgedsignature`,
      `livechat_guest=${victim.userId}`,
      'livechat_guest=not-a-uuid.abc',
    ];
    for (const cookie of forgedCookies) {
      const response = await postSession(app.baseUrl, aProfile().build(), { headers: { cookie } });
      expect(response.status, cookie).to.equal(201);
      expect((response.json as Created).userId, cookie).to.not.equal(victim.userId);
    }
  });

  it('keeps the userId of a returning guest whose cookie comes after another of the same name that does not verify', async () => {
    const first = await postSession(app.baseUrl, aProfile().build());
    const { userId } = first.json as Created;
    const guestPair = first.cookieHeader.split('; ').find((pair) => pair.startsWith('livechat_guest='))!;
    const other = (await postSession(app.baseUrl, aProfile().build())).cookieHeader.split('; ').find((pair) => pair.startsWith('livechat_guest='))!;
    // What a sibling subdomain could plant, with a path more specific than the guest's own, so sent first.
    const planted = ['livechat_guest=x.y', `livechat_guest=${userId}.forgedsignature`, 'livechat_guest="x.y"'];
    for (const cookie of [...planted.map((pair) => `${pair}; livechat_name=Budi; ${guestPair}`), `${guestPair}; ${other}`]) {
      const again = await postSession(app.baseUrl, aProfile().build(), { headers: { cookie } });
      expect(again.status, cookie).to.equal(201);
      expect((again.json as Created).userId, cookie).to.equal(userId);
    }
  });

  it('creates a new guest when a correctly signed guest id is unknown to the database', async () => {
    const first = await postSession(app.baseUrl, aProfile().build());
    const userId = (first.json as Created).userId;
    await database('sessions').where({ user_id: userId }).delete();
    await database('guests').where({ id: userId }).delete();

    const again = await postSession(app.baseUrl, aProfile().build(), { headers: { cookie: first.cookieHeader } });
    expect(again.status).to.equal(201);
    expect((again.json as Created).userId).to.not.equal(userId);
  });

  it('writes nothing for an invalid profile', async () => {
    const before = await database('sessions').count<{ count: string }[]>('* as count');
    const response = await postSession(app.baseUrl, { name: 'Budi', city: 'S' });
    expect(response.status).to.equal(422);
    expect(response.setCookies).to.deep.equal([]);
    // Other tests may run in this database, but none concurrently with this one.
    expect(await database('sessions').count<{ count: string }[]>('* as count')).to.deep.equal(before);
  });
});
