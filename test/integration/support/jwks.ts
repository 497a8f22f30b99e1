import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { JsonWebKeySet } from '../../../src/adapters/token/signingKey.js';
import { send } from '../../support/httpClient.js';
import type { TestApp } from './testApp.js';

/**
 * Verifies session tokens as the WebSocket server does: with the key the app's JWKS publishes under the
 * token's `kid`, RS256 only, and the app's issuer and audience.
 */
export const jwksVerifier = async (app: TestApp): Promise<(token: string) => jwt.JwtPayload> => {
  const jwks = (await send(app.baseUrl, { path: '/.well-known/jwks.json' })).json as JsonWebKeySet;
  const keys = new Map(jwks.keys.map((key) => [key.kid, createPublicKey({ key, format: 'jwk' })]));
  return (token) => {
    const kid = jwt.decode(token, { complete: true })?.header.kid;
    const key = kid === undefined ? undefined : keys.get(kid);
    if (key === undefined) throw new Error(`no published key for kid ${String(kid)}`);
    return jwt.verify(token, key, {
      algorithms: ['RS256'],
      issuer: app.config.jwt.issuer,
      audience: app.config.jwt.audience,
    }) as jwt.JwtPayload;
  };
};
