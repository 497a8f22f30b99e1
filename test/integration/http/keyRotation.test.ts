import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { loadPublishedKey, type JsonWebKeySet } from '../../../src/adapters/token/signingKey.js';
import { aProfile } from '../../support/builders.js';
import { postSession, send } from '../../support/httpClient.js';
import { newPublicKeyPem } from '../../support/keys.js';
import { jwksVerifier } from '../support/jwks.js';
import { startTestApp } from '../support/testApp.js';

describe('signing key rotation, as verifiers see it', () => {
  it('publishes the key that signs first, then the next and the previous key, and tokens verify against the set', async () => {
    const [next, previous] = [newPublicKeyPem(), newPublicKeyPem()];
    const app = await startTestApp({ env: { JWT_NEXT_PUBLIC_KEY: next, JWT_PREVIOUS_PUBLIC_KEY: previous } });
    try {
      const created = await postSession(app.baseUrl, aProfile().build());
      expect(created.status, created.text).to.equal(201);
      const { sessionToken } = created.json as { sessionToken: string };
      const signingKid = jwt.decode(sessionToken, { complete: true })?.header.kid;

      const jwks = (await send(app.baseUrl, { path: '/.well-known/jwks.json' })).json as JsonWebKeySet;
      expect(jwks.keys.map((key) => key.kid)).to.deep.equal([signingKid, loadPublishedKey(next).kid, loadPublishedKey(previous).kid]);
      expect((await jwksVerifier(app))(sessionToken).sub).to.be.a('string');
    } finally {
      await app.stop();
    }
  });
});
