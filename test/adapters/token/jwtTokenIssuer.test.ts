import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { JwtTokenIssuer } from '../../../src/adapters/token/jwtTokenIssuer.js';
import { jsonWebKeySet, loadPublishedKey, loadSigningKey, newRsaPrivateKeyPem } from '../../../src/adapters/token/signingKey.js';
import type { Session } from '../../../src/domain/session.js';
import { newPublicKeyPem, testPrivateKeyPem } from '../../support/keys.js';

const session: Session = {
  id: '01938f2a-0000-7000-8000-000000000001',
  userId: '01938f2a-0000-7000-8000-000000000002',
  userType: 'guest',
  profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' },
  startedAt: new Date('2026-11-25T08:00:00.750Z'),
  expiresAt: new Date('2026-11-26T08:00:00.000Z'),
};

describe('JwtTokenIssuer', () => {
  const key = loadSigningKey(testPrivateKeyPem());
  const issuer = new JwtTokenIssuer(key, { issuer: 'livechat-session', audience: 'livechat-websocket' });

  it('signs RS256 with kid and typ, and every claim the WebSocket server expects', async () => {
    const token = await issuer.issue(session);
    const { header } = jwt.decode(token, { complete: true })!;
    expect(header).to.deep.equal({ alg: 'RS256', typ: 'JWT', kid: key.kid });

    const [jwk] = jsonWebKeySet([key]).keys;
    const claims = jwt.verify(token, createPublicKey({ key: jwk!, format: 'jwk' }), {
      algorithms: ['RS256'],
      clockTimestamp: Date.parse('2026-11-25T09:00:00Z') / 1000,
    });
    expect(claims).to.deep.equal({
      iss: 'livechat-session',
      aud: 'livechat-websocket',
      sub: session.userId,
      iat: 1795593600,
      exp: 1795680000,
      jti: session.id,
      session_id: session.id,
      user_id: session.userId,
      user_type: 'guest',
    });
  });

  it('does not carry the listener profile in the token', async () => {
    const token = await issuer.issue(session);
    const payload = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
    expect(payload).to.not.include('Budi');
    expect(payload).to.not.include('Solo');
  });

  it('refuses RSA keys under 2048 bits and keys that are not RSA', () => {
    const weak = newRsaPrivateKeyPem(1024);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadSigningKey(weak)).to.throw(/1024 bits/);
    expect(() => loadSigningKey(ec)).to.throw(/must be an RSA key/);
  });

  it('refuses an RSA key whose public exponent is under 65537, as NIST SP 800-56B does', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
    expect(() => loadSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).to.throw(/public exponent 3/);
    expect(() => loadPublishedKey(publicKey.export({ type: 'spki', format: 'pem' }).toString())).to.throw(/public exponent 3/);
  });

  it('publishes the current and the previous key, with stable thumbprint kids', () => {
    const previous = loadPublishedKey(newPublicKeyPem());
    const jwks = jsonWebKeySet([key, previous]);
    expect(jwks.keys.map((entry) => entry.kid)).to.deep.equal([key.kid, previous.kid]);
    expect(jwks.keys[0]).to.include({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(jwks.keys[0]).to.not.have.any.keys('d', 'p', 'q', 'dp', 'dq', 'qi');
    expect(loadSigningKey(testPrivateKeyPem()).kid).to.equal(key.kid);
  });
});
