import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { expect } from 'chai';
import { loadSigningKey } from '../../src/adapters/token/signingKey.js';
import { ConfigError, databasePoolMaxOf, loadConfig } from '../../src/infrastructure/config.js';
import { publicKeyPemOf, testPrivateKeyPem } from '../support/keys.js';
import { noFiles } from '../support/noFiles.js';

/** What production requires of every server start, so that a test can vary the rest. */
const PRODUCTION = { NODE_ENV: 'production', JWT_PRIVATE_KEY: testPrivateKeyPem(), COOKIE_SECRET: 'kq3Vx9-Lp0zR7wT2mY5nB8cD4fG6hJ1s' };

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env, noFiles);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({}, noFiles);
    expect(config).to.deep.include({
      environment: 'development',
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      redisUrl: undefined,
      rateLimit: { max: 10, windowMs: 60_000 },
      trustedProxyHops: 0,
      migrateOnStart: true,
    });
    expect(config.jwt).to.include({ ttlSeconds: 86_400, signingKey: undefined });
    expect(config.cookies).to.deep.equal({ secrets: undefined, security: 'auto' });
  });

  it('parses numbers strictly: a bad number is an error, never the default', () => {
    for (const [name, value] of [['PORT', '30x0'], ['PORT', '70000'], ['RATE_LIMIT_MAX', '0'], ['RATE_LIMIT_MAX', '1.5'], ['JWT_TTL_SECONDS', '-1'], ['TRUST_PROXY', 'yes']]) {
      const problems = problemsOf({ [name!]: value! });
      expect(problems, `${name}=${value}`).to.have.length(1);
      expect(problems[0]).to.include(name);
    }
  });

  it('sizes the PostgreSQL pool per process from DATABASE_POOL_MAX, 10 unless set', () => {
    expect(loadConfig({}, noFiles).databasePoolMax).to.equal(10);
    expect(loadConfig({ DATABASE_POOL_MAX: '4' }, noFiles).databasePoolMax).to.equal(4);
    expect(problemsOf({ DATABASE_POOL_MAX: '0' })[0]).to.include('DATABASE_POOL_MAX');
    expect(problemsOf({ DATABASE_POOL_MAX: '101' })[0]).to.include('DATABASE_POOL_MAX');
  });

  it('reads DATABASE_POOL_MAX alone for the CLI before the rest, as the default when bad (loadConfig reports that)', () => {
    expect(databasePoolMaxOf({ DATABASE_POOL_MAX: '24', NODE_ENV: 'staging' })).to.equal(24);
    expect(databasePoolMaxOf({})).to.equal(10);
    expect(databasePoolMaxOf({ DATABASE_POOL_MAX: '0' })).to.equal(10);
  });

  it('reads TRUST_PROXY as false or a number of hops', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }, noFiles).trustedProxyHops).to.equal(0);
    expect(loadConfig({ TRUST_PROXY: '0' }, noFiles).trustedProxyHops).to.equal(0);
    expect(loadConfig({ TRUST_PROXY: '2' }, noFiles).trustedProxyHops).to.equal(2);
    expect(problemsOf({ TRUST_PROXY: 'yes' })).to.deep.equal([
      'TRUST_PROXY must be a whole number from 0 to 10, got "yes" (the number of proxies in front of the service, or false for none)',
    ]);
  });

  it("takes REDIS_URL's database only as a number, in its path or its db parameter", () => {
    for (const url of ['redis://cache:6379', 'redis://cache:6379/', 'redis://cache:6379/13', 'rediss://:pw@cache:6380/2', 'redis://cache?db=3']) {
      expect(loadConfig({ REDIS_URL: url }, noFiles).redisUrl, url).to.equal(url);
    }
    for (const [url, database] of [
      ['redis://cache:6379/abc', 'abc'],
      ['redis://cache:6379/1.5', '1.5'],
      ['redis://cache:6379/13/x', '13/x'],
      ['redis://cache:6379/-1', '-1'],
      ['redis://cache:6379/0?db=x', 'x'],
    ] as const) {
      expect(problemsOf({ REDIS_URL: url }), url).to.deep.equal([
        `REDIS_URL must name its database by number (redis://host:6379/0), not "${database}"`,
      ]);
    }
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({ NODE_ENV: 'staging', DATABASE_URL: 'mysql://x', REDIS_URL: 'nope', COOKIE_SECURE: 'maybe' });
    expect(problems).to.have.length(4);
    expect(problems.join('\n')).to.include('NODE_ENV').and.include('DATABASE_URL').and.include('REDIS_URL').and.include('COOKIE_SECURE');
  });

  it('refuses to start in production without a signing key and a cookie secret, saying which', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/livechat' });
    expect(problems).to.have.length(2);
    expect(problems[0]).to.include('JWT_PRIVATE_KEY');
    expect(problems[1]).to.include('COOKIE_SECRET');
  });

  it('refuses short cookie secrets and accepts a comma-separated list for rotation', () => {
    expect(problemsOf({ COOKIE_SECRET: 'short' })[0]).to.include('COOKIE_SECRET');
    const secrets = ['0f3a9c61d2b84e7a5c19f0e2d6b3a874', 'Zr4-tN8qW1xK6vB3mJ9pL2sD7fH5gC0yQe1A'];
    expect(loadConfig({ COOKIE_SECRET: secrets.join(',') }, noFiles).cookies.secrets).to.deep.equal(secrets);
  });

  it('refuses a cookie secret that is a placeholder repeating itself: a character, a word or a run of digits', () => {
    const placeholders = [
      'a'.repeat(32),
      'secret'.repeat(6),
      'passwordpassword'.repeat(2),
      '0123456789'.repeat(4),
      `${'changeme'.repeat(3)}-please`,
      'CHANGE_ME_'.repeat(4),
      `${'0'.repeat(32)}secret`,
    ];
    for (const placeholder of placeholders) {
      const problems = problemsOf({ COOKIE_SECRET: `0f3a9c61d2b84e7a5c19f0e2d6b3a874,${placeholder}` });
      expect(problems, placeholder).to.deep.equal([
        'COOKIE_SECRET: each comma-separated secret needs at least 32 random characters, not a placeholder that repeats itself such as `aaaa…` or `changemechangeme…` (`openssl rand -base64 32`)',
      ]);
    }
  });

  it('accepts random cookie secrets down to 32 hex digits, the fewest random bits the length allows', () => {
    const hex = Array.from({ length: 1_000 }, () => randomBytes(16).toString('hex'));
    const base64 = Array.from({ length: 1_000 }, () => randomBytes(24).toString('base64'));
    const secrets = [...hex, ...base64];
    const refused = secrets.filter((secret) => problemsOf({ COOKIE_SECRET: secret }).length > 0);
    expect(refused).to.deep.equal([]);
  });

  it('takes the private key inline (with escaped newlines) or from a file, not both', () => {
    const { kid } = loadSigningKey(testPrivateKeyPem());
    const escaped = testPrivateKeyPem().replaceAll('\n', '\\n');
    expect(loadConfig({ JWT_PRIVATE_KEY: escaped }, noFiles).jwt.signingKey?.kid).to.equal(kid);
    expect(loadConfig({ JWT_PRIVATE_KEY_FILE: '/keys/k.pem' }, () => testPrivateKeyPem()).jwt.signingKey?.kid).to.equal(kid);
    expect(problemsOf({ JWT_PRIVATE_KEY: 'x', JWT_PRIVATE_KEY_FILE: '/k' })[0]).to.include('both set');
    expect(problemsOf({ JWT_PRIVATE_KEY_FILE: '/missing.pem' })[0]).to.include('cannot read /missing.pem');
  });

  describe('hCaptcha', () => {
    const both = { HCAPTCHA_SECRET: '0x' + 'a'.repeat(40), HCAPTCHA_SITEKEY: '10000000-ffff-ffff-ffff-000000000001' };

    it('is off by default', () => {
      expect(loadConfig({}, noFiles).captcha).to.equal(undefined);
    });

    it('is on with a secret and a sitekey, verifying at hCaptcha unless told otherwise', () => {
      expect(loadConfig(both, noFiles).captcha).to.deep.equal({
        secret: both.HCAPTCHA_SECRET,
        sitekey: both.HCAPTCHA_SITEKEY,
        verifyUrl: 'https://api.hcaptcha.com/siteverify',
      });
      const local = loadConfig({ ...both, HCAPTCHA_VERIFY_URL: 'http://127.0.0.1:9/siteverify' }, noFiles);
      expect(local.captcha?.verifyUrl).to.equal('http://127.0.0.1:9/siteverify');
    });

    it('refuses a secret without a sitekey and the other way round', () => {
      for (const name of ['HCAPTCHA_SECRET', 'HCAPTCHA_SITEKEY'] as const) {
        const problems = problemsOf({ [name]: both[name] });
        expect(problems, name).to.have.length(1);
        expect(problems[0]).to.include('HCAPTCHA_SECRET and HCAPTCHA_SITEKEY must be set together');
      }
    });

    it('refuses a sitekey that is not one (it is written into the page) and a bad verify URL', () => {
      expect(problemsOf({ ...both, HCAPTCHA_SITEKEY: '"><script>' })[0]).to.include('HCAPTCHA_SITEKEY');
      expect(problemsOf({ ...both, HCAPTCHA_VERIFY_URL: 'not a url' })[0]).to.include('HCAPTCHA_VERIFY_URL');
    });

    it('insists on https for the verify URL in production', () => {
      const problems = problemsOf({ ...PRODUCTION, ...both, HCAPTCHA_VERIFY_URL: 'http://hcaptcha.internal/siteverify' });
      expect(problems).to.have.length(1);
      expect(problems[0]).to.include('HCAPTCHA_VERIFY_URL must be a https: URL');
    });
  });

  describe('chat client', () => {
    const SCRIPT = 'https://chat.radio.example/client/v2/chat.js';
    const SOCKET = 'wss://chat.radio.example/socket';
    const problemsOfScript = (value: string, env: Record<string, string> = {}): readonly string[] =>
      problemsOf({ ...env, CHAT_CLIENT_SCRIPT_URL: value });
    const problemsOfSocket = (value: string, env: Record<string, string> = {}): readonly string[] =>
      problemsOf({ ...env, CHAT_WEBSOCKET_URL: value });

    it('is not on the page by default', () => {
      expect(loadConfig({}, noFiles).chatClient).to.deep.equal({ scriptUrl: undefined, scriptIntegrity: undefined, websocketUrl: undefined });
    });

    it('takes the script and WebSocket URLs, in production too, each on its own', () => {
      const both = { CHAT_CLIENT_SCRIPT_URL: SCRIPT, CHAT_WEBSOCKET_URL: SOCKET };
      expect(loadConfig({ ...PRODUCTION, ...both }, noFiles).chatClient).to.deep.equal({ scriptUrl: SCRIPT, scriptIntegrity: undefined, websocketUrl: SOCKET });
      expect(loadConfig({ CHAT_CLIENT_SCRIPT_URL: SCRIPT }, noFiles).chatClient).to.deep.equal({ scriptUrl: SCRIPT, scriptIntegrity: undefined, websocketUrl: undefined });
      expect(loadConfig({ CHAT_WEBSOCKET_URL: SOCKET }, noFiles).chatClient).to.deep.equal({ scriptUrl: undefined, scriptIntegrity: undefined, websocketUrl: SOCKET });
    });

    it('gives them as the page will name them: a port, a percent-encoded path, an upper-case host written the usual way', () => {
      const config = loadConfig(
        { CHAT_CLIENT_SCRIPT_URL: 'https://CDN.Radio.example:8443/chat%20client/v2.1/chat.min.js', CHAT_WEBSOCKET_URL: 'wss://chat.radio.example' },
        noFiles,
      );
      expect(config.chatClient).to.deep.equal({
        scriptUrl: 'https://cdn.radio.example:8443/chat%20client/v2.1/chat.min.js',
        scriptIntegrity: undefined,
        websocketUrl: 'wss://chat.radio.example/',
      });
    });

    it('allows plain http and ws outside production (a chat server on the developer\'s machine)', () => {
      const local = { CHAT_CLIENT_SCRIPT_URL: 'http://127.0.0.1:8081/chat.js', CHAT_WEBSOCKET_URL: 'ws://localhost:8081/socket' };
      for (const NODE_ENV of ['development', 'test']) {
        expect(loadConfig({ NODE_ENV, ...local }, noFiles).chatClient, NODE_ENV).to.deep.equal({
          scriptUrl: 'http://127.0.0.1:8081/chat.js',
          scriptIntegrity: undefined,
          websocketUrl: 'ws://localhost:8081/socket',
        });
      }
      expect(problemsOfSocket('wss://chat.radio.example/socket', { NODE_ENV: 'test' })).to.deep.equal([]);
    });

    it('insists on https for the script and wss for the WebSocket in production', () => {
      const plain = { CHAT_CLIENT_SCRIPT_URL: 'http://chat.radio.example/chat.js', CHAT_WEBSOCKET_URL: 'ws://chat.radio.example/socket' };
      expect(problemsOf({ ...PRODUCTION, ...plain })).to.deep.equal([
        'CHAT_CLIENT_SCRIPT_URL must be a https: URL',
        'CHAT_WEBSOCKET_URL must be a wss: URL',
      ]);
    });

    it('refuses other schemes and relative URLs', () => {
      const otherSchemes = ['javascript:alert(1)', 'data:text/javascript,alert(1)', 'ftp://chat.radio.example/chat.js', 'wss://chat.radio.example/chat.js'];
      for (const value of otherSchemes) {
        expect(problemsOfScript(value), value).to.deep.equal(['CHAT_CLIENT_SCRIPT_URL must be a https: or http: URL']);
      }
      for (const value of ['https://chat.radio.example/socket', 'file:///socket']) {
        expect(problemsOfSocket(value), value).to.deep.equal(['CHAT_WEBSOCKET_URL must be a wss: or ws: URL']);
      }
      for (const value of ['/chat.js', '//chat.radio.example/chat.js', 'chat.js', 'https://']) {
        expect(problemsOfScript(value), value).to.deep.equal(['CHAT_CLIENT_SCRIPT_URL must be an absolute URL']);
      }
    });

    it('refuses credentials, a query or a fragment, which a CSP source cannot say', () => {
      expect(problemsOfSocket('wss://user:secret@chat.radio.example/socket')).to.deep.equal([
        'CHAT_WEBSOCKET_URL must not carry a user name or password',
      ]);
      for (const value of ['https://chat.radio.example/chat.js?v=2', 'https://chat.radio.example/chat.js#top', 'https://chat.radio.example/chat.js?']) {
        expect(problemsOfScript(value), value).to.deep.equal([
          'CHAT_CLIENT_SCRIPT_URL must have no query or fragment: a CSP source cannot carry one',
        ]);
      }
    });

    it('refuses characters that could end a CSP source or an HTML attribute, and hosts a CSP source cannot name', () => {
      const breakOuts = [
        "https://chat.radio.example/chat.js 'unsafe-inline'",
        'https://chat.radio.example/chat.js; script-src *',
        'https://chat.radio.example/chat.js, script-src *',
        'https://chat.radio.example/chat.js"><script>alert(1)</script>',
        "https://chat.radio.example/it's.js",
        'https://chat.radio.example/chat\tclient.js',
        'https://chat.radio.example/chat\\client.js',
        'https://*.radio.example/chat.js',
        'https://[::1]:8443/chat.js',
        'https://chat.radio.example/%zz.js',
      ];
      for (const value of breakOuts) {
        expect(problemsOfScript(value), value).to.deep.equal([
          'CHAT_CLIENT_SCRIPT_URL may hold only letters, digits, - . _ ~ / : and %-escapes: it is written into the page\'s CSP and HTML',
        ]);
      }
      for (const value of ['https://chat_server.radio.example/chat.js', 'https://chat..radio.example/chat.js', 'https://.radio.example/chat.js']) {
        expect(problemsOfScript(value), value).to.deep.equal([
          'CHAT_CLIENT_SCRIPT_URL: a CSP source names a host with letters, digits, dots and dashes only',
        ]);
      }
    });

    it('refuses a / or \\ hidden behind a %-escape: browsers decode a CSP source\'s path, and %2F at its end makes a folder of it', () => {
      for (const value of ['https://cdn.radio.example/npm%2F', 'https://cdn.radio.example/npm%2f', 'https://cdn.radio.example/a%5Cb.js']) {
        expect(problemsOfScript(value), value).to.deep.equal(['CHAT_CLIENT_SCRIPT_URL must not hide a / or \\ behind a %-escape']);
      }
      expect(problemsOfSocket('wss://chat.radio.example/socket%2F')).to.deep.equal(['CHAT_WEBSOCKET_URL must not hide a / or \\ behind a %-escape']);
    });

    it('wants the script file itself: a path ending in / would let in every script under it', () => {
      for (const value of ['https://chat.radio.example', 'https://chat.radio.example/client/']) {
        expect(problemsOfScript(value), value).to.deep.equal([
          'CHAT_CLIENT_SCRIPT_URL must name the script file, not a folder: a CSP source ending in / allows every script under it',
        ]);
      }
    });

    it('takes an integrity hash for the script (Subresource Integrity): one or more sha256/384/512 digests', () => {
      const sha384 = `sha384-${'A'.repeat(64)}`;
      const sha256 = `sha256-${'B'.repeat(43)}=`;
      const config = loadConfig({ ...PRODUCTION, CHAT_CLIENT_SCRIPT_URL: SCRIPT, CHAT_CLIENT_SCRIPT_INTEGRITY: `${sha384}  ${sha256}` }, noFiles);
      expect(config.chatClient.scriptIntegrity).to.equal(`${sha384} ${sha256}`);
      expect(loadConfig({ CHAT_CLIENT_SCRIPT_URL: SCRIPT }, noFiles).chatClient.scriptIntegrity).to.equal(undefined);
    });

    it('refuses an integrity value that is not a digest a browser checks, and one without a script', () => {
      const invalid = 'CHAT_CLIENT_SCRIPT_INTEGRITY must be sha256-, sha384- or sha512- digests in base64, separated by spaces';
      for (const value of ['md5-abc', `sha384-${'A'.repeat(63)}`, 'sha384-"><script>', `sha256-${'B'.repeat(43)}= x`]) {
        expect(problemsOf({ CHAT_CLIENT_SCRIPT_URL: SCRIPT, CHAT_CLIENT_SCRIPT_INTEGRITY: value }), value).to.deep.equal([invalid]);
      }
      expect(problemsOf({ CHAT_CLIENT_SCRIPT_INTEGRITY: `sha384-${'A'.repeat(64)}` })).to.deep.equal([
        'CHAT_CLIENT_SCRIPT_INTEGRITY needs CHAT_CLIENT_SCRIPT_URL: it checks that script',
      ]);
    });

    it('reports both together, with the other problems', () => {
      expect(problemsOf({ PORT: 'x', CHAT_CLIENT_SCRIPT_URL: 'chat.js', CHAT_WEBSOCKET_URL: 'wss://chat.radio.example/a b' })).to.deep.equal([
        'CHAT_CLIENT_SCRIPT_URL must be an absolute URL',
        'CHAT_WEBSOCKET_URL may hold only letters, digits, - . _ ~ / : and %-escapes: it is written into the page\'s CSP and HTML',
        'PORT must be a whole number from 0 to 65535, got "x"',
      ]);
    });
  });

  it('runs one worker per CPU in production on PostgreSQL and Redis, one otherwise, and WEB_CONCURRENCY when set', () => {
    const servers = { DATABASE_URL: 'postgres://db/livechat', REDIS_URL: 'redis://cache:6379' };
    expect(loadConfig({ ...PRODUCTION, ...servers }, noFiles).webConcurrency).to.equal(availableParallelism());
    expect(loadConfig(servers, noFiles).webConcurrency).to.equal(1);
    expect(loadConfig({ ...servers, WEB_CONCURRENCY: '3' }, noFiles).webConcurrency).to.equal(3);
    expect(problemsOf({ ...servers, WEB_CONCURRENCY: '0' })[0]).to.include('WEB_CONCURRENCY');
  });

  it('keeps the in-memory rate limit to one process, so that workers do not multiply the limit', () => {
    const postgres = { DATABASE_URL: 'postgres://db/livechat' };
    expect(loadConfig({ ...PRODUCTION, ...postgres }, noFiles).webConcurrency).to.equal(1);
    expect(problemsOf({ ...postgres, WEB_CONCURRENCY: '2' })).to.deep.equal([
      'WEB_CONCURRENCY above 1 needs REDIS_URL: the in-memory rate limit counts per process, so each worker would allow RATE_LIMIT_MAX',
    ]);
  });

  it('drains for SHUTDOWN_DRAIN_MS before stopping: 5 s in production, none otherwise, at most what fits before a SIGKILL', () => {
    expect(loadConfig(PRODUCTION, noFiles).shutdownDrainMs).to.equal(5_000);
    expect(loadConfig({}, noFiles).shutdownDrainMs).to.equal(0);
    expect(loadConfig({ NODE_ENV: 'test' }, noFiles).shutdownDrainMs).to.equal(0);
    expect(loadConfig({ ...PRODUCTION, SHUTDOWN_DRAIN_MS: '0' }, noFiles).shutdownDrainMs).to.equal(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '15000' }, noFiles).shutdownDrainMs).to.equal(15_000);
    for (const value of ['5s', '-1', '1.5', '20000']) {
      expect(problemsOf({ SHUTDOWN_DRAIN_MS: value }), value).to.deep.equal([
        `SHUTDOWN_DRAIN_MS must be a whole number from 0 to 15000, got "${value}" (milliseconds; the drain and the 8 s then ` +
          'left to requests in flight must end within the 30 s a Kubernetes pod gets by default between SIGTERM and SIGKILL)',
      ]);
    }
  });

  it('keeps the embedded database to one process, and refuses more workers for it', () => {
    expect(loadConfig(PRODUCTION, noFiles).webConcurrency).to.equal(1);
    expect(problemsOf({ WEB_CONCURRENCY: '2', REDIS_URL: 'redis://cache:6379' })[0]).to.include('WEB_CONCURRENCY').and.include('DATABASE_URL');
  });

  describe('signing keys', () => {
    it('names the variable of a key that is not a PEM RSA private key, instead of OpenSSL\'s decoder error', () => {
      for (const notAPrivateKey of ['garbage', publicKeyPemOf(testPrivateKeyPem())]) {
        expect(problemsOf({ JWT_PRIVATE_KEY: notAPrivateKey })).to.deep.equal([
          'JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE): cannot be read as an RSA private key in PEM',
        ]);
      }
    });

    it('names the variable of a key that is weak or not RSA', () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(problemsOf({ JWT_PRIVATE_KEY: ec })[0]).to.match(/^JWT_PRIVATE_KEY \(or JWT_PRIVATE_KEY_FILE\): .*must be an RSA key/);
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(problemsOf({ JWT_PRIVATE_KEY: weak })[0]).to.match(/^JWT_PRIVATE_KEY \(or JWT_PRIVATE_KEY_FILE\): .*1024 bits/);
    });

    it('refuses a private key where a public one belongs, naming the variable', () => {
      expect(problemsOf({ JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_NEXT_PUBLIC_KEY: testPrivateKeyPem() })).to.deep.equal([
        'JWT_NEXT_PUBLIC_KEY (or JWT_NEXT_PUBLIC_KEY_FILE): holds a private key: give its public key (jwt-public.pem)',
      ]);
    });

    it('names the variable of a next or previous public key that cannot be read', () => {
      for (const variable of ['JWT_NEXT_PUBLIC_KEY', 'JWT_PREVIOUS_PUBLIC_KEY']) {
        expect(problemsOf({ JWT_PRIVATE_KEY: testPrivateKeyPem(), [variable]: 'garbage' })).to.deep.equal([
          `${variable} (or ${variable}_FILE): cannot be read as an RSA public key in PEM`,
        ]);
      }
    });

    it('reports every unusable key together with the configuration\'s other problems, before anything starts', () => {
      expect(problemsOf({ PORT: 'abc', JWT_PRIVATE_KEY: 'garbage', JWT_PREVIOUS_PUBLIC_KEY: 'garbage' })).to.deep.equal([
        'PORT must be a whole number from 0 to 65535, got "abc"',
        'JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE): cannot be read as an RSA private key in PEM',
        'JWT_PREVIOUS_PUBLIC_KEY (or JWT_PREVIOUS_PUBLIC_KEY_FILE): cannot be read as an RSA public key in PEM',
      ]);
    });
  });
});
