import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import { postSession, send } from '../support/httpClient.js';
import { aProfile } from '../support/builders.js';
import type { ServiceReadiness } from '../../src/infrastructure/readiness.js';
import { TYPES } from '../../src/infrastructure/types.js';
import { freePort } from '../support/freePort.js';
import { directoryPerTest } from '../support/tempDirectory.js';
import { holdSessionRequest } from './support/heldRequest.js';
import { startTestApp } from './support/testApp.js';
import { runCli, type CliResult } from './support/cliProcess.js';
import { childEnv, watchProcess } from './support/nodeProcess.js';
import { PROJECT_ROOT } from '../support/projectRoot.js';
import { spawnService, waitForHttp, waitForLog } from './support/serviceProcess.js';
import { testDatabaseUrl, testRedisUrl } from './support/testServices.js';

describe('the service process', () => {
  describe('with a DATA_DIR of its own', () => {
    const dataDir = directoryPerTest('livechat-data-');

    // A longer timeout than the suite's: room for a slow first start of the embedded database (see waitForHttp).
    it('starts with nothing configured: embedded database (its own while it runs), memory limiter, development keys kept in DATA_DIR', async () => {
      const port = await freePort();
      const service = spawnService({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir() });
      try {
        await waitForHttp(service, `http://127.0.0.1:${port}/healthz`);
        const created = await postSession(`http://127.0.0.1:${port}`, aProfile().build());
        expect(created.status, service.output()).to.equal(201);
        expect(created.headers['x-ratelimit-limit'], 'the memory limiter counts, with the default RATE_LIMIT_MAX').to.equal('10');
        expect(created.headers['x-ratelimit-remaining']).to.equal('9');
        const ready = await send(`http://127.0.0.1:${port}`, { path: '/readyz' });
        expect(ready.json).to.deep.equal({ status: 'ready', checks: { database: 'up', redis: 'not_configured' } });
        expect(statSync(path.join(dataDir(), 'pglite')).isDirectory(), 'the embedded database lives in DATA_DIR').to.equal(true);
        expect(statSync(path.join(dataDir(), 'keys', 'jwt-private.pem')).mode & 0o777).to.equal(0o600);
        expect(statSync(path.join(dataDir(), 'keys', 'cookie-secret')).mode & 0o777).to.equal(0o600);

        // The embedded database serves one process: a livechat command meanwhile is refused, having written nothing.
        const listeners = path.join(dataDir(), 'listeners.csv');
        writeFileSync(listeners, 'name,city,country\nAni,Solo,Indonesia\n');
        const out = path.join(dataDir(), 'sessions.jsonl');
        writeFileSync(out, 'an earlier run\n');
        const seed = (): Promise<CliResult> =>
          runCli(['seed', '--file', listeners, '--out', out], { env: { NODE_ENV: 'test', DATA_DIR: dataDir() }, cwd: dataDir() });
        const refused = await seed();
        expect(refused.code).to.equal(1);
        const inUse = `livechat: the embedded database in ${path.join(dataDir(), 'pglite')} is in use by another process`;
        expect(refused.stderr.startsWith(inUse), refused.stderr).to.equal(true);
        expect(readFileSync(out, 'utf8')).to.equal('an earlier run\n');

        service.child.kill('SIGTERM');
        expect(await service.exited).to.equal(0);
        expect(service.output()).to.not.include('Budi');
        const seeded = await seed();
        expect(seeded.code, seeded.stderr).to.equal(0);
        expect(readFileSync(out, 'utf8'), 'once the service has stopped').to.match(/^\{"line":2,"sessionToken":"[^"]+",.*\}\n$/);
      } finally {
        service.child.kill('SIGKILL');
      }
    }).timeout(60_000);

    it('refuses to start with DATA_DIR a regular file, saying so once as a configuration error, with one process or more', async () => {
      const aFile = path.join(dataDir(), 'afile');
      writeFileSync(aFile, '');
      const port = String(await freePort());
      const clustered = { DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), WEB_CONCURRENCY: '2' };
      for (const env of [{ PORT: port, DATA_DIR: aFile }, { PORT: port, DATA_DIR: aFile, ...clustered }]) {
        const service = spawnService(env);
        expect(await service.exited).to.equal(1);
        expect(service.output()).to.equal(`Invalid configuration:\n  - DATA_DIR ${aFile} is not a folder it can use (EEXIST)\n`);
      }
    });

    it('refuses to start in production without a key and a cookie secret, naming both', async () => {
      const service = spawnService({ NODE_ENV: 'production', DATABASE_URL: testDatabaseUrl(), DATA_DIR: dataDir() });
      expect(await service.exited).to.equal(1);
      expect(service.output()).to.include('JWT_PRIVATE_KEY').and.include('COOKIE_SECRET');
    });

    it("writes a library's console warning as a JSON log line, not as plain text beside them", async () => {
      // ioredis warns through the console when REDIS_URL carries a password the Redis server does not need.
      const withPassword = new URL(testRedisUrl());
      withPassword.password = 'not-needed';
      const service = spawnService({
        DATABASE_URL: testDatabaseUrl(),
        DATA_DIR: dataDir(),
        PORT: String(await freePort()),
        REDIS_URL: withPassword.toString(),
      });
      try {
        const [warning] = await waitForLog(service, "[WARN] This Redis server's `default` user does not require a password, but a password was supplied", 1);
        expect(warning).to.include({ level: 40, source: 'console' });
        expect(service.stderr()).to.not.include('[WARN]');
      } finally {
        service.child.kill('SIGKILL');
      }
    });

    it('refuses to start where it cannot listen, naming HOST or PORT rather than the system call', async () => {
      const servers = { DATABASE_URL: testDatabaseUrl(), DATA_DIR: dataDir() };
      const taken = await startTestApp();
      try {
        const takenPort = new URL(taken.baseUrl).port;
        for (const [env, problem] of [
          [{ HOST: '256.1.1.1' }, 'HOST 256.1.1.1 is not an address, nor a name that resolves to one (ENOTFOUND)'],
          [{ HOST: '127.0.0.1', PORT: takenPort }, `PORT ${takenPort} is already taken on HOST 127.0.0.1 (EADDRINUSE)`],
        ] as const) {
          const service = spawnService({ ...servers, PORT: String(await freePort()), ...env });
          expect(await service.exited, problem).to.equal(1);
          expect(service.output(), problem).to.include(`Invalid configuration:\n  - ${problem}\n`).and.not.include('    at ');
        }
      } finally {
        await taken.stop();
      }
    });
  });

  it('under `npm start`, stops when npm is sent SIGTERM (a process manager signals npm), leaving nothing serving', async () => {
    const port = await freePort();
    const env = { HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl(), MIGRATE_ON_START: 'false' };
    // A process group of its own, so that whatever npm started can be cleaned up, even a process it left behind.
    const npm = watchProcess(spawn('npm', ['start'], { cwd: PROJECT_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
    try {
      await waitForHttp(npm, `http://127.0.0.1:${port}/healthz`);
      const npmExited = once(npm.child, 'exit');
      npm.child.kill('SIGTERM');
      await npmExited;
      // Before the script exec'd node, npm's shell died and left the service orphaned, still answering.
      let stillServing = true;
      for (let attempt = 0; attempt < 50 && stillServing; attempt += 1) {
        stillServing = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
        if (stillServing) await setTimeout(100);
      }
      expect(stillServing, npm.output()).to.equal(false);
      expect(npm.logLines().map((line) => line.msg)).to.include.members(['shutting down', 'stopped']);
    } finally {
      try {
        process.kill(-npm.child.pid!, 'SIGKILL');
      } catch {
        // the whole group has ended already
      }
    }
  }).timeout(60_000);

  it('with MIGRATE_ON_START=false, starts and is alive while PostgreSQL is unreachable; readiness and sessions say so', async () => {
    const app = await startTestApp({ env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', MIGRATE_ON_START: 'false' } });
    try {
      expect((await send(app.baseUrl, { path: '/healthz' })).status).to.equal(200);
      const ready = await send(app.baseUrl, { path: '/readyz' });
      expect(ready.status).to.equal(503);
      expect(ready.json).to.deep.equal({ status: 'not_ready', checks: { database: 'down', redis: 'up' } });
      const refused = await postSession(app.baseUrl, aProfile().build());
      expect(refused.status).to.equal(503);
      expect(refused.headers['retry-after']).to.equal('5');
      expect(refused.json).to.deep.equal({ errors: { body: ['Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.'] } });
    } finally {
      await app.stop();
    }
  });

  it('readiness reports the shutdown as soon as it begins, while a request in flight still holds up the stop', async () => {
    const app = await startTestApp();
    const inFlight = await holdSessionRequest(app.baseUrl);
    let stopped = false;
    const stopping = app.stop().then(() => {
      stopped = true;
    });
    // (That a stopping report answers /readyz with 503 is the HTTP adapter's test.)
    const readiness = app.container.get<ServiceReadiness>(TYPES.Readiness);
    expect(await readiness.check()).to.include({ ready: false, stopping: true });
    expect(stopped, 'the stop still waits for the request in flight').to.equal(false);

    const finished = await inFlight.finish();
    expect(finished.status, finished.text).to.equal(201);
    await stopping;
  });

  it('during the drain, closes the connection of a request that began before the stop, as of every later one', async () => {
    const app = await startTestApp({ env: { SHUTDOWN_DRAIN_MS: '1000' } });
    const inFlight = await holdSessionRequest(app.baseUrl, { keepAlive: true });
    const stopping = app.stop();
    const finished = await inFlight.finish();
    expect(finished.status, finished.text).to.equal(201);
    expect(finished.connection, 'no connection left for a balancer to reuse when the drain ends').to.equal('close');
    await stopping;
  });

  it('with SHUTDOWN_DRAIN_MS, keeps listening for the drain while readiness says stopping, then stops by itself', async () => {
    const app = await startTestApp({ env: { SHUTDOWN_DRAIN_MS: '300' } });
    const readiness = app.container.get<ServiceReadiness>(TYPES.Readiness);
    const stopping = app.stop();
    // Asked before the readiness check, which may take as long as the drain itself.
    expect(app.server.listening, 'still accepting during the drain').to.equal(true);
    expect(await readiness.check()).to.include({ ready: false, stopping: true });
    await stopping;
    expect(app.server.listening).to.equal(false);
  });
});
