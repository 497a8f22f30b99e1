// What raw and Koa references store and answer alike, so that they differ only in how they get there: the
// insert, the token's claims, the session body, and the four Set-Cookie headers the service sends (the guest
// cookie signed with the cookie secret).
import { createHmac } from 'node:crypto';

const YEAR = 31_536_000;

// A new guest and its session in one statement, in the service's tables; each reference prepares it once per
// connection, like the service.
export const INSERT_GUEST_SESSION = `with guest as (insert into guests (id, created_at) values ($2, $6) returning id)
insert into sessions (id, user_id, user_type, name, city, country, started_at, expires_at)
select $1, guest.id, 'guest', $3, $4, $5, $6, $7 from guest`;

export const insertValues = ({ sessionId, userId, name, city, country, now, exp }) => [
  sessionId,
  userId,
  name,
  city,
  country,
  new Date(now * 1000),
  new Date(exp * 1000),
];

const cookie = (name, value, attributes) => `${name}=${encodeURIComponent(value)}; Max-Age=${YEAR}; ${attributes}; SameSite=Lax`;

export const sessionClaims = ({ sessionId, userId, now, exp }) => ({
  iss: 'livechat-session',
  aud: 'livechat-websocket',
  sub: userId,
  iat: now,
  exp,
  jti: sessionId,
  session_id: sessionId,
  user_id: userId,
  user_type: 'guest',
});

export const sessionBody = ({ token, sessionId, userId, exp }) => ({ sessionToken: token, sessionId, userId, expiresAt: new Date(exp * 1000).toISOString() });

export const sessionCookies = ({ name, city, country, userId }, cookieSecret) => [
  cookie('livechat_name', name, 'Path=/'),
  cookie('livechat_city', city, 'Path=/'),
  cookie('livechat_country', country, 'Path=/'),
  cookie('livechat_guest', `${userId}.${createHmac('sha256', cookieSecret).update(userId).digest('base64url')}`, 'Path=/livechat; HttpOnly'),
];
