import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { HCAPTCHA_VERIFY_URL } from '../adapters/captcha/hCaptchaVerifier.js';
import type { ChatClient } from '../adapters/http/chatPage/chatPageAssets.js';
import type { CookieSecurity } from '../adapters/http/cookiePolicy.js';
import { loadPublishedKey, loadSigningKey, type PublishedKey, type SigningKey } from '../adapters/token/signingKey.js';
import { usableCpus } from './usableCpus.js';

export type Environment = 'production' | 'development' | 'test';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly environment: Environment;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL connections per process: each worker and the CLI have a pool of their own. */
  readonly databasePoolMax: number;
  /** Unset: the rate limiter counts in memory. */
  readonly redisUrl: string | undefined;
  readonly jwt: {
    /** Parsed once, here, so that a key that cannot be used is reported with every other problem. */
    readonly signingKey: SigningKey | undefined;
    /** Published before it signs, so verifiers hold it when the rotation switches to it. */
    readonly nextPublicKey: PublishedKey | undefined;
    /** Published after it stopped signing, while its tokens may be alive. */
    readonly previousPublicKey: PublishedKey | undefined;
    readonly issuer: string;
    readonly audience: string;
    readonly ttlSeconds: number;
  };
  readonly cookies: {
    /** The first signs; all verify, so a secret can be rotated. Unset outside production: generated. */
    readonly secrets: readonly string[] | undefined;
    readonly security: CookieSecurity;
  };
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  readonly trustedProxyHops: number;
  readonly migrateOnStart: boolean;
  readonly logLevel: LogLevel;
  readonly otel: {
    /** Base URL of an OTLP/HTTP collector; unset: no tracing at all. */
    readonly endpoint: string | undefined;
    readonly serviceName: string;
  };
  /** Worker processes sharing the port (node:cluster); 1 serves from the main process itself. */
  readonly webConcurrency: number;
  /**
   * After a stop signal, how long the service keeps serving while /readyz already says "stopping", so that load
   * balancers take it out of rotation before it stops accepting connections.
   */
  readonly shutdownDrainMs: number;
  /** Unset: no captcha is asked for. */
  readonly captcha: CaptchaConfig | undefined;
  /** The chat client the entry page hands its session to: someone else's script, and the server it talks to. */
  readonly chatClient: ChatClient;
}

export interface CaptchaConfig {
  readonly secret: string;
  /** Public: the page renders the widget with it. */
  readonly sitekey: string;
  readonly verifyUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const MIN_COOKIE_SECRET_LENGTH = 32;
/**
 * A secret that deflates to fewer bytes than this repeats itself: a placeholder (`aaaa…`, `changemechangeme…`,
 * `0123456789012…`), not a random secret. Such placeholders deflate to 11–19 bytes; 32 random hex digits (the
 * weakest secret the length allows) deflated to 29 or more in a million tries, base64 ones to 30 or more.
 */
const MIN_COOKIE_SECRET_DEFLATED_BYTES = 24;
const repeatsItself = (secret: string): boolean => deflateRawSync(secret).length < MIN_COOKIE_SECRET_DEFLATED_BYTES;
export const DEFAULT_DATABASE_POOL_MAX = 10;
/** After the drain, how long requests in flight get to finish before the process gives up on them. */
export const SHUTDOWN_GRACE_MS = 8_000;
const DEFAULT_PRODUCTION_SHUTDOWN_DRAIN_MS = 5_000;
/**
 * The drain, the grace period and the cluster primary's 4 s margin must all fit in Kubernetes' default 30 s
 * terminationGracePeriodSeconds, after which the pod is killed: 15 + 8 + 4 = 27 s.
 */
const MAX_SHUTDOWN_DRAIN_MS = 15_000;
// A sitekey lands in the page's HTML and CSP-protected script settings: only plain key characters are let in.
const SITEKEY = /^[A-Za-z0-9-]{1,100}$/;
// Checked on the text as given, since parsing quietly drops a tab and percent-encodes a space or a quote: nothing that
// ends a CSP source (space, `;`, `,`), starts a keyword (`'`), widens a host (`*`) or closes an HTML attribute gets in.
const PAGE_URL_CHARACTERS = /^(?:[A-Za-z0-9\-._~/:]|%[0-9A-Fa-f]{2})+$/;
// A CSP host-source knows no IPv6 literal, no underscore and no empty label (a browser drops `a..b` as invalid).
const CSP_HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+\.?$/;
// Browsers decode a CSP source's path before matching it, so `%2F` counts as a `/`: at the end, a folder.
const ESCAPED_SEPARATOR = /%2f|%5c/i;
type Env = Readonly<Record<string, string | undefined>>;

/** Reads every setting from the environment once; every problem is reported together, each naming its variable. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(
    private readonly env: Env,
    private readonly readFile: (file: string) => string,
  ) {}

  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** A PEM given inline (with real or `\n`-escaped newlines) or as a file in `${name}_FILE`. */
  pem(name: string): string | undefined {
    const inline = this.text(name);
    const file = this.text(`${name}_FILE`);
    if (inline !== undefined && file !== undefined) this.problems.push(`${name} and ${name}_FILE are both set; set one`);
    if (inline !== undefined) return inline.replace(/\\n/g, '\n');
    if (file === undefined) return undefined;
    try {
      return this.readFile(file);
    } catch (error) {
      this.problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }

  /**
   * A key parsed from `pem(name)`. OpenSSL's own words for a PEM it cannot read ("DECODER routines::unsupported")
   * say neither which setting nor what was expected, so the problem names both.
   */
  key<T>(name: string, expected: string, parse: (pem: string) => T): T | undefined {
    const pem = this.pem(name);
    if (pem === undefined) return undefined;
    try {
      return parse(pem);
    } catch (error) {
      const { code } = error as { code?: unknown };
      const unreadable = typeof code === 'string' && code.startsWith('ERR_OSSL');
      this.problems.push(`${name} (or ${name}_FILE): ${unreadable ? `cannot be read as ${expected} in PEM` : (error as Error).message}`);
      return undefined;
    }
  }

  /** `why`, when given, ends the message of a value out of range: the reason for the bounds. */
  integer(name: string, fallback: number, min: number, max: number, why?: string): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"${why === undefined ? '' : ` (${why})`}`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['true', 'false'], fallback ? 'true' : 'false') === 'true';
  }

  /**
   * A URL that the chat page writes into its CSP and its HTML, held to what a CSP source expression says exactly;
   * given back as the browser will read it (the host in lower case, for one), so that the page and its CSP agree.
   */
  pageUrl(name: string, protocols: readonly string[]): URL | undefined {
    const raw = this.url(name, protocols);
    if (raw === undefined) return undefined;
    const url = new URL(raw);
    // The first that applies is reported.
    const checks: readonly (readonly [failed: boolean, problem: string])[] = [
      [url.username !== '' || url.password !== '', `${name} must not carry a user name or password`],
      [/[?#]/.test(raw), `${name} must have no query or fragment: a CSP source cannot carry one`],
      [!PAGE_URL_CHARACTERS.test(raw), `${name} may hold only letters, digits, - . _ ~ / : and %-escapes: it is written into the page's CSP and HTML`],
      [ESCAPED_SEPARATOR.test(raw), `${name} must not hide a / or \\ behind a %-escape`],
      [!CSP_HOST.test(url.hostname), `${name}: a CSP source names a host with letters, digits, dots and dashes only`],
    ];
    const problem = checks.find(([failed]) => failed)?.[1];
    if (problem === undefined) return url;
    this.problems.push(problem);
    return undefined;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    try {
      const { protocol } = new URL(raw);
      if (protocols.includes(protocol)) return raw;
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    } catch {
      this.problems.push(`${name} must be an absolute URL`);
    }
    return undefined;
  }
}

/** What production insists on: the server needs both; a CLI command only what it uses (seeding signs, migrating neither). */
export interface ProductionNeeds {
  readonly signingKey: boolean;
  readonly cookieSecret: boolean;
}
export const SERVER_NEEDS: ProductionNeeds = { signingKey: true, cookieSecret: true };
/** Migrating and pruning sign nothing and set no cookie. */
export const NO_SECRETS_NEEDED: ProductionNeeds = { signingKey: false, cookieSecret: false };

/** hCaptcha is on when both its secret and its sitekey are set; one without the other is a mistake. */
const readCaptcha = (read: EnvReader, production: boolean): CaptchaConfig | undefined => {
  const secret = read.text('HCAPTCHA_SECRET');
  const sitekey = read.text('HCAPTCHA_SITEKEY');
  const verifyUrl = read.url('HCAPTCHA_VERIFY_URL', production ? ['https:'] : ['https:', 'http:']) ?? HCAPTCHA_VERIFY_URL;
  if (secret === undefined && sitekey === undefined) return undefined;
  if (secret === undefined || sitekey === undefined) {
    read.problems.push('HCAPTCHA_SECRET and HCAPTCHA_SITEKEY must be set together (both for a captcha, neither for none)');
    return undefined;
  }
  if (!SITEKEY.test(sitekey)) {
    read.problems.push('HCAPTCHA_SITEKEY must be an hCaptcha sitekey (letters, digits and dashes)');
    return undefined;
  }
  return { secret, sitekey, verifyUrl };
};

/** Both optional and independent; production insists on TLS for the script and for the connection. */
const readChatClient = (read: EnvReader, production: boolean): ChatClient => {
  const script = read.pageUrl('CHAT_CLIENT_SCRIPT_URL', production ? ['https:'] : ['https:', 'http:']);
  // A CSP path ending in / is a prefix: the page would run any script under it, not the one named.
  if (script?.pathname.endsWith('/')) {
    read.problems.push(
      'CHAT_CLIENT_SCRIPT_URL must name the script file, not a folder: a CSP source ending in / allows every script under it',
    );
  }
  const websocket = read.pageUrl('CHAT_WEBSOCKET_URL', production ? ['wss:'] : ['wss:', 'ws:']);
  const integrity = read.text('CHAT_CLIENT_SCRIPT_INTEGRITY')?.trim().split(/\s+/);
  if (integrity !== undefined && !integrity.every((digest) => INTEGRITY_DIGEST.test(digest))) {
    read.problems.push('CHAT_CLIENT_SCRIPT_INTEGRITY must be sha256-, sha384- or sha512- digests in base64, separated by spaces');
  } else if (integrity !== undefined && read.text('CHAT_CLIENT_SCRIPT_URL') === undefined) {
    read.problems.push('CHAT_CLIENT_SCRIPT_INTEGRITY needs CHAT_CLIENT_SCRIPT_URL: it checks that script');
  }
  return { scriptUrl: script?.href, scriptIntegrity: integrity?.join(' '), websocketUrl: websocket?.href };
};

// What a browser checks a script against: `<algorithm>-<base64 digest>`, the digest as long as the algorithm's.
const INTEGRITY_DIGEST = /^(?:sha256-[A-Za-z0-9+/]{43}=|sha384-[A-Za-z0-9+/]{64}|sha512-[A-Za-z0-9+/]{86}==)$/;

/**
 * ioredis reads a redis URL's path, or its `db` query parameter, as the database to SELECT, and hands on whatever is
 * there: `/abc` became `SELECT NaN`, whose error crashed the process after it said listening, and `/1.5` or `/13/x`
 * quietly selected another database than the one written.
 */
const readRedisUrl = (read: EnvReader): string | undefined => {
  const raw = read.url('REDIS_URL', ['redis:', 'rediss:']);
  if (raw === undefined) return undefined;
  const url = new URL(raw);
  const database = url.searchParams.get('db') ?? (url.pathname === '' || url.pathname === '/' ? '0' : url.pathname.slice(1));
  if (/^\d{1,5}$/.test(database)) return raw;
  read.problems.push(`REDIS_URL must name its database by number (redis://host:6379/0), not "${database}"`);
  return undefined;
};

// Workers × this must stay below PostgreSQL's max_connections (100 by default) with room for the rest.
const readDatabasePoolMax = (read: EnvReader): number => read.integer('DATABASE_POOL_MAX', DEFAULT_DATABASE_POOL_MAX, 1, 100);

const noFileRead = (file: string): never => {
  throw new Error(`no file is read for DATABASE_POOL_MAX (${file})`);
};

/**
 * DATABASE_POOL_MAX alone, for what is needed before the whole configuration can be loaded: the CLI's
 * --concurrency bound, which --help shows. A bad value reads as the default here; loadConfig reports it.
 */
export const databasePoolMaxOf = (env: Env): number => readDatabasePoolMax(new EnvReader(env, noFileRead));

export const loadConfig = (env: Env, readFile: (file: string) => string, needs: ProductionNeeds = SERVER_NEEDS): Config => {
  const read = new EnvReader(env, readFile);
  const environment = read.oneOf<Environment>('NODE_ENV', ['production', 'development', 'test'], 'development');
  const production = environment === 'production';

  const trustProxy = read.text('TRUST_PROXY');
  let trustedProxyHops = 0;
  if (trustProxy !== undefined && trustProxy !== 'false') {
    // 0 hops says what `false` says.
    trustedProxyHops = read.integer('TRUST_PROXY', 0, 0, 10, 'the number of proxies in front of the service, or false for none');
  }

  const secretList = read.text('COOKIE_SECRET')?.split(',').map((secret) => secret.trim());
  const weak = (secret: string) => secret.length < MIN_COOKIE_SECRET_LENGTH || repeatsItself(secret);
  if (secretList?.some(weak)) {
    read.problems.push(
      `COOKIE_SECRET: each comma-separated secret needs at least ${MIN_COOKIE_SECRET_LENGTH} random characters, ` +
        'not a placeholder that repeats itself such as `aaaa…` or `changemechangeme…` (`openssl rand -base64 32`)',
    );
  }
  const cookieSecure = read.oneOf('COOKIE_SECURE', ['auto', 'true', 'false'], 'auto');

  const captcha = readCaptcha(read, production);
  const chatClient = readChatClient(read, production);
  // RS256 signing is synchronous CPU work, so production runs one worker per core by default. The embedded
  // database belongs to one process, and the in-memory rate limit counts per process (N workers would let
  // N × RATE_LIMIT_MAX through), so without both servers it runs a single one.
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const embedded = read.text('DATABASE_URL') === undefined;
  const sharedLimit = read.text('REDIS_URL') !== undefined;
  const webConcurrency = read.integer('WEB_CONCURRENCY', production && !embedded && sharedLimit ? usableCpus() : 1, 1, 64);
  if (embedded && webConcurrency > 1) {
    read.problems.push('WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database serves a single process');
  }
  if (!sharedLimit && webConcurrency > 1) {
    read.problems.push(
      'WEB_CONCURRENCY above 1 needs REDIS_URL: the in-memory rate limit counts per process, so each worker would allow RATE_LIMIT_MAX',
    );
  }

  const config: Config = {
    environment,
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.text('HOST') ?? '0.0.0.0',
    dataDir: path.resolve(read.text('DATA_DIR') ?? './data'),
    databaseUrl,
    databasePoolMax: readDatabasePoolMax(read),
    redisUrl: readRedisUrl(read),
    jwt: {
      signingKey: read.key('JWT_PRIVATE_KEY', 'an RSA private key', loadSigningKey),
      nextPublicKey: read.key('JWT_NEXT_PUBLIC_KEY', 'an RSA public key', loadPublishedKey),
      previousPublicKey: read.key('JWT_PREVIOUS_PUBLIC_KEY', 'an RSA public key', loadPublishedKey),
      issuer: read.text('JWT_ISSUER') ?? 'livechat-session',
      audience: read.text('JWT_AUDIENCE') ?? 'livechat-websocket',
      ttlSeconds: read.integer('JWT_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    },
    cookies: {
      secrets: secretList,
      security: cookieSecure === 'auto' ? 'auto' : cookieSecure === 'true',
    },
    rateLimit: {
      max: read.integer('RATE_LIMIT_MAX', 10, 1, 1_000_000),
      windowMs: read.integer('RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 86_400_000),
    },
    trustedProxyHops,
    migrateOnStart: read.boolean('MIGRATE_ON_START', true),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, production ? 'info' : environment === 'test' ? 'silent' : 'info'),
    otel: {
      endpoint: read.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
      serviceName: read.text('OTEL_SERVICE_NAME') ?? 'livechat-session',
    },
    captcha,
    chatClient,
    webConcurrency,
    // Outside production nothing routes to the service through a load balancer: tests and development stop at once.
    shutdownDrainMs: read.integer(
      'SHUTDOWN_DRAIN_MS',
      production ? DEFAULT_PRODUCTION_SHUTDOWN_DRAIN_MS : 0,
      0,
      MAX_SHUTDOWN_DRAIN_MS,
      `milliseconds; the drain and the ${SHUTDOWN_GRACE_MS / 1000} s then left to requests in flight must end within ` +
        'the 30 s a Kubernetes pod gets by default between SIGTERM and SIGKILL',
    ),
  };

  if (production) {
    const privateKeyGiven = read.text('JWT_PRIVATE_KEY') !== undefined || read.text('JWT_PRIVATE_KEY_FILE') !== undefined;
    if (needs.signingKey && !privateKeyGiven) {
      read.problems.push('JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE is required in production (an RSA key of 2048 bits or more)');
    }
    if (needs.cookieSecret && config.cookies.secrets === undefined) {
      read.problems.push(`COOKIE_SECRET is required in production (${MIN_COOKIE_SECRET_LENGTH}+ random characters)`);
    }
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
};
