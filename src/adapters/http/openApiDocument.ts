import packageJson from '../../../package.json' with { type: 'json' };
import { MAX_COMBINING_MARK_RUN, PROFILE_FIELDS, PROFILE_RULES, patternOf, type ProfileField } from '../../domain/profileRules.js';
import { profileErrorMessage } from '../messages/profileMessages.js';
import { requestErrorMessage, type RequestErrorCode } from '../messages/requestMessages.js';
import { ONE_YEAR_SECONDS } from './cookiePolicy.js';
import { ASSET_PATH, CHAT_PAGE_PATH } from './chatPage/chatPageAssets.js';
import { CAPTCHA_RETRY_AFTER_SECONDS, STATUS_BY_CODE, STORE_RETRY_AFTER_SECONDS } from './errorMiddleware.js';
import { GUEST_COOKIE_NAME } from './guestCookie.js';
import { ACCEPTED_CONTENT_ENCODINGS, JSON_BODY_LIMIT_BYTES } from './jsonBody.js';
import { PROFILE_COOKIE_NAMES } from './profileCookies.js';
import { DATABASE_STATES, REDIS_STATES } from './readiness.js';
import { SANE_REQUEST_ID } from './requestContext.js';

/*
 * The OpenAPI 3.1 document is generated from the very values the service runs on: the profile rules the
 * domain validates with, the body limit the parser enforces, and the code → status table of the error
 * middleware. Change one of those and the document changes with it; `openapi.json` in the repository is
 * this function's output, and a unit test fails when the two differ.
 */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

export const OPENAPI_PATH = '/openapi.json';
const SESSION_PATH = '/livechat/session';
const GUEST_PATH = '/livechat/guest';

const schemaRef = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const headerRef = (name: string): JsonObject => ({ $ref: `#/components/headers/${name}` });

const FIELD_DESCRIPTIONS: Readonly<Record<ProfileField, string>> = {
  name: 'Letters, combining marks, digits, spaces and the marks',
  city: 'Letters, combining marks, spaces and the marks',
  country: 'Letters, combining marks, spaces and the marks',
};

const profileProperty = (field: ProfileField): JsonObject => {
  const rule = PROFILE_RULES[field];
  return {
    type: 'string',
    minLength: rule.minLength,
    maxLength: rule.maxLength,
    pattern: patternOf(rule),
    description:
      `${FIELD_DESCRIPTIONS[field]} \`${rule.punctuation}\`; ${rule.minLength}–${rule.maxLength} characters (Unicode code ` +
      'points); no default-ignorable (invisible) code point, and at most ' +
      `${MAX_COMBINING_MARK_RUN} combining marks in a row. Checked after normalization: Unicode NFC; U+2018, ` +
      "U+2019 and U+FF07 read as `'`, U+2010, U+2011 and U+FF0D as `-`, U+FF0E as `.`, U+FF08 and U+FF09 as `(` " +
      'and `)`; runs of spaces folded to one; ends trimmed.',
  };
};

/** The messages that a map under one key holds: at least one, none empty. */
const MESSAGES: JsonObject = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };

const COMMON_HEADERS: JsonObject = {
  'X-Request-Id': headerRef('X-Request-Id'),
  'X-Content-Type-Options': headerRef('X-Content-Type-Options'),
};

/** The headers of a body that may be sent compressed (see the `AcceptEncoding` parameter). */
const COMPRESSIBLE_HEADERS: JsonObject = { ...COMMON_HEADERS, 'Content-Encoding': headerRef('Content-Encoding') };
const ACCEPT_ENCODING: JsonObject = { $ref: '#/components/parameters/AcceptEncoding' };

/** A revalidation whose `If-None-Match` matched: the cached copy is current, and nothing is sent again. */
const NOT_MODIFIED: JsonObject = { description: 'Not modified: the `If-None-Match` matched the current ETag. No body.', headers: COMMON_HEADERS };

/** koa-ratelimit's headers: on every answer of the limited route, except while the limiter's store is down. */
const RATE_LIMIT_HEADERS: JsonObject = {
  'X-RateLimit-Limit': headerRef('X-RateLimit-Limit'),
  'X-RateLimit-Remaining': headerRef('X-RateLimit-Remaining'),
  'X-RateLimit-Reset': headerRef('X-RateLimit-Reset'),
};

const jsonResponse = (description: string, schema: JsonObject, extra: { headers?: JsonObject; example?: Json } = {}): JsonObject => ({
  description,
  headers: { ...COMMON_HEADERS, ...extra.headers },
  content: {
    'application/json': { schema, ...(extra.example === undefined ? {} : { example: extra.example }) },
  },
});

const bodyError = (code: RequestErrorCode): Json => ({ errors: { body: [requestErrorMessage('id', code)] } });

/**
 * What any operation may answer besides its own statuses: the failures of a request as a whole that every route
 * shares. Only the session route reads a body, so the body's failures are its own (listed there).
 */
const ANY_OTHER_FAILURE: JsonObject = jsonResponse(
  'A failure of the request as a whole, on any path: a method the path does not take (405, with `Allow`), an ' +
    '`Expect` other than `100-continue` (417), a request line or headers that do not parse (400) or are too large ' +
    '(431), a request that did not arrive within the timeout (408), or an unexpected failure (500).',
  schemaRef('RequestErrorMap'),
  { headers: { Allow: headerRef('Allow') }, example: bodyError('method_not_allowed') },
);

/** Why each request-level failure of POST /livechat/session happens; the status comes from STATUS_BY_CODE. */
const SESSION_FAILURES: readonly { code: RequestErrorCode; description: string; headers?: JsonObject }[] = [
  { code: 'malformed_body', description: 'The body is not valid JSON.' },
  { code: 'undecodable_body', description: 'The body does not decompress as its `Content-Encoding` says.' },
  { code: 'payload_too_large', description: `The body is larger than ${JSON_BODY_LIMIT_BYTES} bytes (16 KiB), once decompressed.` },
  {
    code: 'expectation_failed',
    description: 'An `Expect` header other than `100-continue` (RFC 9110, 10.1.1): refused before anything else is looked at.',
  },
  {
    code: 'unsupported_media_type',
    description:
      'The Content-Type is not `application/json`, declares a charset other than UTF-8 or US-ASCII (`charset=utf-8` is ' +
      'fine), or has parameters that do not parse (`application/json; charset`, `application/json;;charset=utf-8`).',
  },
  {
    code: 'unsupported_content_encoding',
    description: `The \`Content-Encoding\` is none of ${ACCEPTED_CONTENT_ENCODINGS} (case-insensitive; \`x-gzip\` is gzip), or stacks two.`,
    headers: { 'Accept-Encoding': headerRef('Accept-Encoding') },
  },
  {
    code: 'rate_limited',
    description: 'Too many sessions started from this client address (per IPv4 address, per IPv6 /64). No row, token or cookie.',
    headers: { 'Retry-After': headerRef('Retry-After') },
  },
  { code: 'internal', description: 'An unexpected failure. Nothing internal (stack, SQL) is disclosed.' },
  {
    code: 'store_unavailable',
    description: `PostgreSQL is unreachable or too slow (bounded timeouts: the answer comes within 5 s). Retry after ${STORE_RETRY_AFTER_SECONDS} s.`,
    headers: { 'Retry-After': headerRef('Retry-After') },
  },
  {
    code: 'captcha_unavailable',
    description:
      `Only with hCaptcha configured: its siteverify API is unreachable, did not answer within 3 s, or answered nonsense; ` +
      `never a free pass. Retry after ${CAPTCHA_RETRY_AFTER_SECONDS} s.`,
    headers: { 'Retry-After': headerRef('Retry-After') },
  },
];

const sessionResponses = (): JsonObject => {
  const responses: Record<string, JsonObject> = {
    '201': jsonResponse('The session is stored and its token signed. The profile and guest cookies are set.', schemaRef('SessionCreated'), {
      headers: { ...RATE_LIMIT_HEADERS, 'Set-Cookie': headerRef('Set-Cookie'), 'Cache-Control': headerRef('Cache-Control-No-Store') },
    }),
    [String(STATUS_BY_CODE.not_an_object)]: jsonResponse(
      'Invalid fields (missing, null, not text, too short or long, characters not allowed): every failing field with all ' +
        'its messages, in Indonesian unless `Accept-Language` prefers English. A body that is JSON but not an object ' +
        'is reported under `body`; with hCaptcha configured, a missing or rejected captcha under `captchaToken`.',
      schemaRef('ValidationErrorMap'),
      { headers: RATE_LIMIT_HEADERS, example: { errors: { name: [profileErrorMessage('id', 'name', 'required')] } } },
    ),
  };
  // Causes that share a status share one response, their descriptions joined; the first cause is the example.
  const byStatus = new Map<string, (typeof SESSION_FAILURES)[number][]>();
  for (const failure of SESSION_FAILURES) {
    const status = String(STATUS_BY_CODE[failure.code]);
    byStatus.set(status, [...(byStatus.get(status) ?? []), failure]);
  }
  for (const [status, failures] of byStatus) {
    const [first] = failures as [(typeof SESSION_FAILURES)[number]];
    const headers = Object.assign({ ...RATE_LIMIT_HEADERS }, ...failures.map((failure) => failure.headers ?? {})) as JsonObject;
    responses[status] = jsonResponse(failures.map((failure) => failure.description).join(' Or: '), schemaRef('RequestErrorMap'), {
      headers,
      example: bodyError(first.code),
    });
  }
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
};

/** Every operation of `paths` with `ANY_OTHER_FAILURE` (one component, referred to) as its `default` response. */
const withAnyOtherFailure = (paths: Record<string, Record<string, JsonObject>>): JsonObject =>
  Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => [
          method,
          { ...operation, responses: { ...(operation.responses as JsonObject), default: { $ref: '#/components/responses/AnyOtherFailure' } } },
        ]),
      ),
    ]),
  );

const profileCookieList = PROFILE_FIELDS.map((field) => `\`${PROFILE_COOKIE_NAMES[field]}\``).join(', ');

export const buildOpenApiDocument = (): JsonObject => ({
  openapi: '3.1.0',
  info: {
    title: 'Live chat session service',
    version: packageJson.version,
    summary: 'Session gateway of the Suara Pendengar listener live chat.',
    description:
      'A listener sends name, city and country and gets a `sessionToken` (an RS256 JWT) that the chat WebSocket ' +
      'server accepts. Every error comes as `{"errors": {"<field>": ["<message>", ...]}}`, in Indonesian by default ' +
      'and in English when `Accept-Language` prefers `en`. Every response carries `X-Request-Id` and ' +
      '`X-Content-Type-Options: nosniff`. Every path also answers `OPTIONS` (204, with `Allow`), and `HEAD` wherever ' +
      'it answers `GET`; a path that is not here answers 404 with the errors map.',
  },
  servers: [{ url: '/', description: 'Wherever the service is deployed' }],
  security: [],
  tags: [
    { name: 'sessions', description: 'Starting a chat session, and forgetting the listener a browser remembers.' },
    { name: 'keys', description: 'Public keys that verify session tokens.' },
    { name: 'page', description: 'The chat entry page listeners open in a browser.' },
    { name: 'operations', description: 'Health, readiness, metrics and this document: for machines and operators.' },
  ],
  paths: withAnyOtherFailure({
    [SESSION_PATH]: {
      post: {
        operationId: 'startSession',
        tags: ['sessions'],
        summary: 'Start a chat session',
        description:
          `Validates the profile, stores the session (creating the guest, or reusing the one the signed \`${GUEST_COOKIE_NAME}\` ` +
          `cookie names), then signs its token. Unknown extra fields are ignored. The body is at most ${JSON_BODY_LIMIT_BYTES} bytes, ` +
          `and may be sent compressed (\`Content-Encoding\`: ${ACCEPTED_CONTENT_ENCODINGS}).`,
        parameters: [
          { $ref: '#/components/parameters/AcceptLanguage' },
          { $ref: '#/components/parameters/RequestId' },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: schemaRef('StartSessionRequest'),
              example: { name: 'Budi', city: 'Solo', country: 'Indonesia' },
            },
          },
        },
        responses: sessionResponses(),
      },
    },
    [GUEST_PATH]: {
      delete: {
        operationId: 'forgetGuest',
        tags: ['sessions'],
        summary: 'Forget the listener on this browser',
        description:
          `"Not you?" on a shared device: expires the guest cookie \`${GUEST_COOKIE_NAME}\` and the profile cookies ` +
          `${profileCookieList}, so that the next \`POST ${SESSION_PATH}\` from this browser starts a new guest (a new ` +
          '`userId`) and the chat page has nothing to prefill. Nothing is deleted on the server: the guest and its ' +
          'sessions stay stored, and tokens already issued stay valid until they expire. Needs no cookie and no body.',
        responses: {
          '204': {
            description: 'The cookies are expired; no body.',
            headers: { ...COMMON_HEADERS, 'Set-Cookie': headerRef('Set-Cookie-Removal'), 'Cache-Control': headerRef('Cache-Control-No-Store') },
          },
        },
      },
    },
    [CHAT_PAGE_PATH]: {
      get: {
        operationId: 'getChatPage',
        tags: ['page'],
        summary: 'The chat entry page',
        description:
          'An HTML form (name, city, country) prefilled from the profile cookies, posting to `POST /livechat/session`. ' +
          'Indonesian unless `Accept-Language` prefers English. Served with a strict Content-Security-Policy (which ' +
          'lets in the configured chat client, `CHAT_CLIENT_SCRIPT_URL` and `CHAT_WEBSOCKET_URL`, by their exact URLs), ' +
          '`X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, `Cross-Origin-Opener-Policy: same-origin`, ' +
          '`Cross-Origin-Resource-Policy: same-origin`, a `Permissions-Policy` refusing features the page never uses ' +
          '(unless a chat client is configured) and `Cache-Control: no-cache` with an ETag (a ' +
          'matching `If-None-Match` gets an empty 304).',
        parameters: [{ $ref: '#/components/parameters/AcceptLanguage' }, ACCEPT_ENCODING],
        responses: {
          '200': { description: 'The page.', headers: COMPRESSIBLE_HEADERS, content: { 'text/html': { schema: { type: 'string' } } } },
          '304': NOT_MODIFIED,
        },
      },
    },
    [`${ASSET_PATH}/{file}`]: {
      get: {
        operationId: 'getChatPageAsset',
        tags: ['page'],
        summary: "The page's stylesheet, script and icon",
        description: 'Fingerprinted names, as the page links them; cached for a year, immutable.',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }, ACCEPT_ENCODING],
        responses: {
          '200': {
            description: 'The file.',
            headers: COMPRESSIBLE_HEADERS,
            content: {
              'text/css': { schema: { type: 'string' } },
              'text/javascript': { schema: { type: 'string' } },
              'image/svg+xml': { schema: { type: 'string' } },
            },
          },
          '304': NOT_MODIFIED,
          '404': jsonResponse('No such file (for instance, a name from an older deployment).', schemaRef('RequestErrorMap'), {
            example: bodyError('not_found'),
          }),
        },
      },
    },
    '/.well-known/jwks.json': {
      get: {
        operationId: 'getJsonWebKeySet',
        tags: ['keys'],
        summary: 'Public keys of the session tokens',
        description:
          'The current signing key and, during a rotation, the next one (published before it signs) and the previous one ' +
          '(published while its tokens may be alive). Cacheable for 5 minutes.',
        responses: { '200': jsonResponse('The key set.', schemaRef('Jwks')) },
      },
    },
    '/healthz': {
      get: {
        operationId: 'getHealth',
        tags: ['operations'],
        summary: 'Liveness',
        description: 'The process answers; no dependency is checked.',
        responses: { '200': jsonResponse('Alive.', schemaRef('Health')) },
      },
    },
    '/readyz': {
      get: {
        operationId: 'getReadiness',
        tags: ['operations'],
        summary: 'Readiness',
        description:
          'Ready while PostgreSQL answers and no shutdown has begun. Answers within 1 s: each store\'s check is cut ' +
          'off after 800 ms and reads "down" then. Redis is reported (from a PING) but never decides: the rate ' +
          'limiter fails open without it.',
        responses: {
          '200': jsonResponse('Ready to serve.', schemaRef('Readiness')),
          '503': jsonResponse(
            'PostgreSQL is unreachable or too slow, or the service is shutting down (it still serves during the drain that follows a stop signal).',
            schemaRef('Readiness'),
          ),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description: 'Prometheus text exposition format 0.0.4.',
        responses: {
          '200': {
            description: 'The metrics.',
            headers: COMMON_HEADERS,
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    [OPENAPI_PATH]: {
      get: {
        operationId: 'getOpenApiDocument',
        tags: ['operations'],
        summary: 'This document',
        description: '`Cache-Control: no-cache` with an ETag: a matching `If-None-Match` gets an empty 304.',
        parameters: [ACCEPT_ENCODING],
        responses: {
          '200': jsonResponse(
            'The OpenAPI 3.1 document of the whole API.',
            {
              type: 'object',
              required: ['openapi', 'info', 'paths'],
              properties: { openapi: { type: 'string', const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } },
            },
            { headers: { 'Content-Encoding': headerRef('Content-Encoding') } },
          ),
          '304': NOT_MODIFIED,
        },
      },
    },
  }),
  components: {
    responses: { AnyOtherFailure: ANY_OTHER_FAILURE },
    parameters: {
      AcceptLanguage: {
        name: 'Accept-Language',
        in: 'header',
        required: false,
        description: 'Messages are in English when this prefers `en` over `id`; in Indonesian otherwise.',
        schema: { type: 'string' },
        example: 'en',
      },
      AcceptEncoding: {
        name: 'Accept-Encoding',
        in: 'header',
        required: false,
        description:
          'The body comes in brotli or gzip, as this accepts them by q-value (brotli when it weighs both alike); ' +
          'as it is otherwise, and for a body under 1 KiB. Each coding has its own ETag.',
        schema: { type: 'string' },
        example: 'gzip, deflate, br',
      },
      RequestId: {
        name: 'X-Request-Id',
        in: 'header',
        required: false,
        description: 'Echoed back and logged when it is short and plain; a new id is made otherwise.',
        schema: { type: 'string', pattern: SANE_REQUEST_ID.source },
      },
    },
    headers: {
      'X-Request-Id': {
        description: "The request's id, as it appears in the service's log line for it.",
        required: true,
        schema: { type: 'string', pattern: SANE_REQUEST_ID.source },
      },
      'X-Content-Type-Options': { required: true, schema: { type: 'string', const: 'nosniff' } },
      'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer', minimum: 1 } },
      Allow: {
        description: 'With a 405: the methods the path takes (OPTIONS among them).',
        required: false,
        schema: { type: 'string' },
      },
      'Content-Encoding': {
        description: 'The coding the body was compressed in, as `Accept-Encoding` allowed; absent: the body as it is.',
        required: false,
        schema: { type: 'string', enum: ['br', 'gzip'] },
      },
      'Accept-Encoding': {
        description: 'When the `Content-Encoding` was refused: the content codings the request body may be sent in (RFC 7694).',
        required: false,
        schema: { type: 'string', const: ACCEPTED_CONTENT_ENCODINGS },
      },
      'X-RateLimit-Limit': {
        description: 'Sessions one client address (IPv4 address, IPv6 /64) may start per window.',
        required: false,
        schema: { type: 'integer', minimum: 1 },
      },
      'X-RateLimit-Remaining': {
        description: 'Sessions this client address may still start in the current window.',
        required: false,
        schema: { type: 'integer', minimum: 0 },
      },
      'X-RateLimit-Reset': {
        description: 'When the window frees a slot for this client address, in whole seconds since the Unix epoch, rounded up.',
        required: false,
        schema: { type: 'integer', minimum: 0 },
      },
      'Cache-Control-No-Store': { required: true, schema: { type: 'string', const: 'no-store' } },
      'Set-Cookie': {
        description:
          `The profile cookies ${profileCookieList} (readable by the page's script to prefill its form, \`Path=/\`), and the ` +
          `signed HttpOnly \`${GUEST_COOKIE_NAME}\` (\`Path=/livechat\`). All \`Max-Age=${ONE_YEAR_SECONDS}\`, ` +
          '`SameSite=Lax`, and `Secure` over HTTPS.',
        required: true,
        schema: { type: 'string' },
      },
      'Set-Cookie-Removal': {
        description:
          `The profile cookies ${profileCookieList} and \`${GUEST_COOKIE_NAME}\`, each with an empty value and \`Max-Age=0\` ` +
          'on the path and with the attributes it was set with (`Secure` over HTTPS), so the browser drops it at once.',
        required: true,
        schema: { type: 'string', pattern: '^[^=;]+=; Max-Age=0;' },
      },
    },
    schemas: {
      StartSessionRequest: {
        type: 'object',
        required: [...PROFILE_FIELDS],
        properties: {
          ...Object.fromEntries(PROFILE_FIELDS.map((field) => [field, profileProperty(field)])),
          captchaToken: {
            type: 'string',
            description:
              'The solved hCaptcha response. Required when the service has hCaptcha configured (checked once the profile ' +
              'is valid); ignored otherwise.',
          },
        },
        additionalProperties: true,
        description: 'Extra fields are accepted and ignored (not stored), so older servers accept newer clients.',
      },
      SessionCreated: {
        type: 'object',
        required: ['sessionToken', 'sessionId', 'userId', 'expiresAt'],
        additionalProperties: false,
        properties: {
          sessionToken: {
            type: 'string',
            pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
            description:
              'RS256 JWT (header `kid`, `typ: JWT`) with `session_id`, `user_id`, `sub`, `user_type`, `iss`, `aud`, `iat`, `exp`, `jti`.',
          },
          sessionId: { type: 'string', format: 'uuid' },
          userId: { type: 'string', format: 'uuid', description: "The guest's id; the same for a returning guest." },
          expiresAt: { type: 'string', format: 'date-time' },
        },
      },
      ErrorMap: {
        type: 'object',
        required: ['errors'],
        additionalProperties: false,
        properties: {
          errors: {
            type: 'object',
            minProperties: 1,
            additionalProperties: MESSAGES,
            description: 'Every failing field with all its messages.',
          },
        },
      },
      ValidationErrorMap: {
        allOf: [
          schemaRef('ErrorMap'),
          { type: 'object', properties: { errors: { type: 'object', propertyNames: { enum: [...PROFILE_FIELDS, 'captchaToken', 'body'] } } } },
        ],
      },
      RequestErrorMap: {
        description: 'A failure of the request as a whole, reported under `body`.',
        allOf: [
          schemaRef('ErrorMap'),
          {
            type: 'object',
            properties: { errors: { type: 'object', required: ['body'], properties: { body: MESSAGES }, propertyNames: { const: 'body' } } },
          },
        ],
      },
      Jwks: {
        type: 'object',
        required: ['keys'],
        additionalProperties: false,
        properties: {
          keys: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['kty', 'n', 'e', 'kid', 'alg', 'use'],
              additionalProperties: false,
              properties: {
                kty: { type: 'string', const: 'RSA' },
                n: { type: 'string' },
                e: { type: 'string' },
                kid: { type: 'string', description: 'RFC 7638 thumbprint of the key.' },
                alg: { type: 'string', const: 'RS256' },
                use: { type: 'string', const: 'sig' },
              },
            },
          },
        },
      },
      Health: {
        type: 'object',
        required: ['status'],
        additionalProperties: false,
        properties: { status: { type: 'string', const: 'ok' } },
      },
      Readiness: {
        type: 'object',
        required: ['status', 'checks'],
        additionalProperties: false,
        properties: {
          status: { type: 'string', enum: ['ready', 'not_ready', 'stopping'] },
          checks: {
            type: 'object',
            required: ['database', 'redis'],
            additionalProperties: false,
            properties: {
              database: { type: 'string', enum: [...DATABASE_STATES] },
              redis: { type: 'string', enum: [...REDIS_STATES] },
            },
          },
        },
      },
    },
  },
});

/** The document as served and as committed in `openapi.json`: two-space indented, with a final newline. */
export const serializedOpenApiDocument = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
