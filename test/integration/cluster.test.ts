import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import { aProfile } from '../support/builders.js';
import { postSession, send } from '../support/httpClient.js';
import { TEST_COOKIE_SECRET, testPrivateKeyPem } from '../support/keys.js';
import { freePort } from '../support/freePort.js';
import { sample } from '../support/prometheus.js';
import type { LogLine, NodeProcess } from './support/nodeProcess.js';
import { linesSaying, spawnService, waitForHttp, waitForLog } from './support/serviceProcess.js';
import { testDatabaseUrl, testRedisUrl } from './support/testServices.js';
import { SAME_STOP_WITHIN_MS } from '../../src/infrastructure/stopSignals.js';

const productionEnv = (port: number): Record<string, string> => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  DATABASE_URL: testDatabaseUrl(),
  REDIS_URL: testRedisUrl(),
  JWT_PRIVATE_KEY: testPrivateKeyPem(),
  COOKIE_SECRET: TEST_COOKIE_SECRET,
  RATE_LIMIT_MAX: '1000',
  WEB_CONCURRENCY: '2',
});

interface RunningCluster {
  readonly service: NodeProcess;
  readonly baseUrl: string;
  /** The two workers' "worker listening" lines. */
  readonly workers: LogLine[];
}

/** A production cluster of two workers on a free port, serving, for `use`; killed afterwards, whatever happened. */
const withTwoWorkers = async (env: Record<string, string>, use: (running: RunningCluster) => Promise<void>): Promise<void> => {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const service = spawnService({ ...productionEnv(port), ...env });
  try {
    await waitForHttp(service, `${baseUrl}/healthz`);
    await use({ service, baseUrl, workers: await waitForLog(service, 'worker listening', 2) });
  } finally {
    service.child.kill('SIGKILL');
  }
};

const CREATED_DURATION_COUNT = 'livechat_http_request_duration_seconds_count{method="POST",route="/livechat/session",status="201"}';

/** Polls until `parent` has a child process not in `known`, and gives its pid. */
const newChild = async (parent: number, known: readonly number[]): Promise<number> => {
  for (let i = 0; i < 500; i += 1) {
    const children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    const child = children.find((pid) => !known.includes(pid));
    if (child !== undefined) return child;
    await setTimeout(10);
  }
  throw new Error(`process ${parent} started no new child`);
};

const NEVER_SECURE = 'cookies will never be marked Secure: COOKIE_SECURE=auto sees no HTTPS request without TRUST_PROXY';

describe('the service as a cluster (WEB_CONCURRENCY)', () => {
  it('starts WEB_CONCURRENCY workers on one port, serves, replaces one that dies, and on SIGTERM drains, stops them all and exits 0', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    // A drain longer than the test could wait for: only a second signal can end it in time.
    const service = spawnService({ ...productionEnv(port), SHUTDOWN_DRAIN_MS: '15000' });
    try {
      await waitForHttp(service, `${baseUrl}/healthz`);
      const workers = await waitForLog(service, 'worker listening', 2);
      // The primary writes them: its own pid once (a second "pid" key would shadow it), the worker's apart.
      for (const line of service.stdout().split('\n').filter((text) => text.includes('"worker listening"'))) {
        expect(line.match(/"pid":/g), line).to.have.length(1);
        expect(JSON.parse(line)).to.include({ pid: service.child.pid });
      }
      expect(workers.map((worker) => worker.workerPid)).to.not.include(undefined);
      expect(linesSaying(service, 'cluster started')).to.have.length(1);
      // Without TRUST_PROXY, COOKIE_SECURE=auto can never see HTTPS: said once, by the primary, not per worker.
      expect(linesSaying(service, NEVER_SECURE)).to.have.length(1);
      expect(linesSaying(service, NEVER_SECURE)[0]!.hint, 'behind a proxy, the rate limit would count every client as one').to.include(
        'one rate-limit quota for all',
      );

      for (let i = 0; i < 4; i += 1) {
        expect((await postSession(baseUrl, aProfile().build())).status, service.output()).to.equal(201);
      }
      // Connections alternate between the workers; /metrics, from whichever worker, counts them all.
      const metrics = await send(baseUrl, { path: '/metrics' });
      expect(metrics.text).to.match(/^livechat_sessions_created_total 4$/m);

      process.kill(workers[0]!.workerPid!, 'SIGKILL');
      await waitForLog(service, 'a worker died; starting another', 1);
      const replacement = (await waitForLog(service, 'worker listening', 3))[2]!;
      expect(replacement.workerPid).to.not.be.oneOf(workers.map((worker) => worker.workerPid));
      expect((await postSession(baseUrl, aProfile().build())).status).to.equal(201);

      service.child.kill('SIGTERM');
      const firstSignalAt = Date.now();
      // Each worker logs this as its stop begins: from then on its /readyz says stopping, and it still serves.
      await waitForLog(service, 'shutting down', 2);
      // Two of each in a row: consecutive connections go to the two workers in turn, so each worker answers one.
      for (let i = 0; i < 2; i += 1) {
        const readiness = await send(baseUrl, { path: '/readyz' });
        expect(readiness.status).to.equal(503);
        expect(readiness.json).to.deep.include({ status: 'stopping' });
      }
      for (let i = 0; i < 2; i += 1) expect((await postSession(baseUrl, aProfile().build())).status).to.equal(201);

      // The primary passes a second signal on to the workers (by message), which cut their drain short. (One
      // sooner than SAME_STOP_WITHIN_MS after the first would be taken for the same stop delivered twice.)
      await setTimeout(Math.max(0, firstSignalAt + SAME_STOP_WITHIN_MS + 100 - Date.now()));
      service.child.kill('SIGTERM');
      expect(await service.exited, service.output()).to.equal(0);
      expect(linesSaying(service, 'shutting down the workers')).to.have.length(1);
      expect(linesSaying(service, 'stop asked again: passing it on to the workers')).to.have.length(1);
      expect(linesSaying(service, 'drain cut short')).to.have.length(2);
      // Each live worker ran its own graceful stop: stop accepting, finish in-flight requests, close the pools.
      const stopped = linesSaying(service, 'stopped');
      expect(stopped.map((line) => line.pid === service.child.pid), 'two workers, then the primary, last').to.deep.equal([false, false, true]);
      expect(service.output()).to.not.include('Budi');
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('never lowers a counter or a histogram on /metrics when a worker is replaced', async function () {
    // Three worker starts: on a busy 2-core machine that can take more than the usual 30 s.
    this.timeout(60_000);
    await withTwoWorkers({}, async ({ service, baseUrl, workers }) => {
      // Connections alternate between the workers, so each of them counts some of these.
      for (let i = 0; i < 6; i += 1) expect((await postSession(baseUrl, aProfile().build())).status).to.equal(201);
      const before = (await send(baseUrl, { path: '/metrics' })).text;
      expect(sample(before, 'livechat_sessions_created_total')).to.equal(6);

      process.kill(workers[0]!.workerPid!, 'SIGKILL');
      await waitForLog(service, 'worker listening', 3);
      const after = (await send(baseUrl, { path: '/metrics' })).text;
      expect(sample(after, 'livechat_sessions_created_total'), after).to.equal(6);
      expect(sample(after, CREATED_DURATION_COUNT)).to.equal(6);
      expect(sample(after, 'process_cpu_seconds_total')).to.be.at.least(sample(before, 'process_cpu_seconds_total')!);

      // The replacement's own counts add to what the workers before it counted.
      for (let i = 0; i < 2; i += 1) expect((await postSession(baseUrl, aProfile().build())).status).to.equal(201);
      expect(sample((await send(baseUrl, { path: '/metrics' })).text, 'livechat_sessions_created_total')).to.equal(8);
    });
  });

  it('answers /metrics while a worker restarts, and leaves out a worker that does not answer in time', async function () {
    // Two worker starts and a scrape that waits for a silent worker: more than the usual 30 s on a busy machine.
    this.timeout(60_000);
    await withTwoWorkers({}, async ({ service, baseUrl, workers }) => {
      for (let i = 0; i < 2; i += 1) expect((await postSession(baseUrl, aProfile().build())).status).to.equal(201);
      expect(sample((await send(baseUrl, { path: '/metrics' })).text, 'livechat_sessions_created_total')).to.equal(2);

      process.kill(workers[0]!.workerPid!, 'SIGKILL');
      await waitForLog(service, 'a worker died; starting another', 1);
      // The replacement is forked but builds its container for a second or so: it is not asked yet.
      const duringRestart = await send(baseUrl, { path: '/metrics' });
      expect(duringRestart.status, duringRestart.text).to.equal(200);
      expect(sample(duringRestart.text, 'livechat_sessions_created_total')).to.equal(2);

      const replacement = (await waitForLog(service, 'worker listening', 3))[2]!.workerPid!;
      // A worker that listens but cannot answer (stopped here; busy or wedged in real life).
      process.kill(replacement, 'SIGSTOP');
      try {
        // Connections alternate between the workers: one of these two reaches the worker still running.
        const scrapes = [send(baseUrl, { path: '/metrics' }), send(baseUrl, { path: '/metrics' })];
        const answered = await Promise.any(scrapes);
        expect(answered.status, answered.text).to.equal(200);
        expect(sample(answered.text, 'livechat_sessions_created_total')).to.equal(2);
        const [leftOut] = linesSaying(service, 'a worker did not answer with its metrics in time; left out of this scrape');
        expect(leftOut).to.include({ level: 40, workerPid: replacement });
        expect(leftOut).to.not.have.property('err');
        process.kill(replacement, 'SIGCONT');
        await Promise.allSettled(scrapes);
      } finally {
        process.kill(replacement, 'SIGCONT');
      }
      expect(linesSaying(service, 'unhandled error')).to.deep.equal([]);
    });
  });

  it('restarts a replacement that dies before it listens, after a pause, and keeps serving', async function () {
    // Three worker starts, one after a pause: on a busy 2-core machine that is more than the usual 30 s.
    this.timeout(60_000);
    await withTwoWorkers({}, async ({ service, baseUrl, workers }) => {
      process.kill(workers[0]!.workerPid!, 'SIGKILL');
      // Its replacement builds its container for a second or so before it listens: killed well before that.
      const replacement = await newChild(service.child.pid!, workers.map((worker) => worker.workerPid!));
      process.kill(replacement, 'SIGKILL');

      const [died] = await waitForLog(service, 'a new worker died before it listened; starting another', 1);
      expect(died).to.include({ workerPid: replacement, signal: 'SIGKILL', restartInMs: 1_000 });
      await waitForLog(service, 'worker listening', 3);
      expect(service.child.exitCode).to.equal(null);
      expect(linesSaying(service, 'a worker failed to start; stopping')).to.deep.equal([]);
      expect((await postSession(baseUrl, aProfile().build())).status).to.equal(201);
      // A crash loop shows on /metrics without the logs: the primary's own counter, in every worker's answer.
      const metrics = (await send(baseUrl, { path: '/metrics' })).text;
      expect(sample(metrics, 'livechat_worker_restarts_total{reason="signal"}'), metrics).to.equal(2);
      expect(sample(metrics, 'livechat_worker_restarts_total{reason="nonzero_exit"}')).to.equal(0);
    });
  });

  it('says that a worker exited by itself (code 0) rather than died, and replaces it', async function () {
    // Three worker starts: on a busy 2-core machine that can take more than the usual 30 s.
    this.timeout(60_000);
    await withTwoWorkers({ SHUTDOWN_DRAIN_MS: '0' }, async ({ service, baseUrl, workers }) => {
      // Sent to the worker alone, not through the primary: it stops gracefully and exits 0, unasked by the primary.
      process.kill(workers[0]!.workerPid!, 'SIGTERM');
      const [exited] = await waitForLog(service, 'a worker exited though nobody asked it to stop; starting another', 1);
      expect(exited).to.include({ level: 40, workerPid: workers[0]!.workerPid, code: 0 });
      await waitForLog(service, 'worker listening', 3);
      expect(linesSaying(service, 'a worker died; starting another')).to.deep.equal([]);
      const metrics = (await send(baseUrl, { path: '/metrics' })).text;
      expect(sample(metrics, 'livechat_worker_restarts_total{reason="clean_exit"}'), metrics).to.equal(1);
      expect(sample(metrics, 'livechat_worker_restarts_total{reason="signal"}')).to.equal(0);
    });
  });

  it('exits 1 instead of restarting forever when a worker cannot start (the port is taken)', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    // Behind a trusted proxy, which says when a request came over HTTPS: no warning about Secure cookies.
    const service = spawnService({ ...productionEnv(port), MIGRATE_ON_START: 'false', TRUST_PROXY: '1' });
    try {
      expect(await service.exited, service.output()).to.equal(1);
      expect(linesSaying(service, 'a worker failed to start; stopping')).to.not.be.empty;
      expect(linesSaying(service, NEVER_SECURE)).to.deep.equal([]);
    } finally {
      service.child.kill('SIGKILL');
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
