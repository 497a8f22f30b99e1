import http from 'node:http';
import net from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import { TEST_COOKIE_SECRET, testPrivateKeyPem } from '../../support/keys.js';
import { freePort } from '../../support/freePort.js';
import { directoryPerTest } from '../../support/tempDirectory.js';
import { aProfile } from '../../support/builders.js';
import { postSession, send } from '../../support/httpClient.js';
import { holdSessionRequest } from '../support/heldRequest.js';
import type { NodeProcess } from '../support/nodeProcess.js';
import { linesSaying, spawnService, waitForHttp, waitForLog } from '../support/serviceProcess.js';
import { testDatabaseUrl, testRedisUrl } from '../support/testServices.js';
import { SAME_STOP_WITHIN_MS } from '../../../src/infrastructure/stopSignals.js';

const connectionRefused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

/** The Connection header of an answer to a client that asks to keep the connection alive. */
const connectionHeaderOnKeepAlive = async (baseUrl: string): Promise<string | undefined> => {
  const agent = new http.Agent({ keepAlive: true });
  try {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${baseUrl}/healthz`, { agent }, resolve).on('error', reject);
    });
    response.resume();
    return response.headers.connection;
  } finally {
    agent.destroy();
  }
};

const refusedSoon = async (port: number): Promise<boolean> => {
  let refused = false;
  for (let attempt = 0; attempt < 100 && !refused; attempt += 1) {
    refused = await connectionRefused(port);
    if (!refused) await setTimeout(20);
  }
  return refused;
};

describe('SIGTERM to the real service process', function () {
  // Starting node with tsx takes a few seconds on a busy machine; the shutdown itself is bounded by the service.
  this.timeout(30_000);
  const dataDir = directoryPerTest('livechat-shutdown-');

  const serviceEnv = (port: number): Record<string, string> => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir(),
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    MIGRATE_ON_START: 'false',
    JWT_PRIVATE_KEY: testPrivateKeyPem(),
    COOKIE_SECRET: TEST_COOKIE_SECRET,
    // The default namespace is shared with every other run on this Redis: the limit must not decide this test.
    RATE_LIMIT_MAX: '1000',
  });

  /** Runs `body` against a service of its own, started and answering, and kills it if `body` left it running. */
  const withService = async (extraEnv: Record<string, string>, body: (service: NodeProcess, port: number) => Promise<void>): Promise<void> => {
    const port = await freePort();
    const service = spawnService({ ...serviceEnv(port), ...extraEnv });
    try {
      await waitForHttp(service, `http://127.0.0.1:${port}/healthz`);
      await body(service, port);
    } finally {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    }
  };

  it('without a drain (the default outside production), stops accepting at once, finishes the request in flight, closes its pools and exits 0', () =>
    withService({}, async (service, port) => {
      const { child } = service;
      const inFlight = await holdSessionRequest(`http://127.0.0.1:${port}`);

      child.kill('SIGTERM');
      expect(await refusedSoon(port), 'new connections are refused once the signal arrived').to.equal(true);

      const finished = await inFlight.finish();
      expect(finished.status, finished.text).to.equal(201);
      expect(JSON.parse(finished.text)).to.have.property('sessionToken');

      expect(await service.exited, service.output()).to.equal(0);
      expect(service.logLines().map((line) => line.msg).filter((message) => message !== 'request' && message !== 'listening')).to.deep.equal(['shutting down', 'stopped']);
    }));

  it('a second signal, once no drain is under way, exits 1 at once instead of waiting for the request in flight', () =>
    withService({}, async (service, port) => {
      const { child } = service;
      const inFlight = await holdSessionRequest(`http://127.0.0.1:${port}`);

      child.kill('SIGINT');
      await waitForLog(service, 'shutting down', 1);
      await setTimeout(SAME_STOP_WITHIN_MS + 100);
      expect(child.exitCode, 'the request in flight still holds up the first stop').to.equal(null);
      child.kill('SIGINT');

      expect(await service.exited, service.output()).to.equal(1);
      expect(linesSaying(service, 'stop asked again: exiting without waiting for requests in flight')[0]).to.include({ signal: 'SIGINT' });
      expect(linesSaying(service, 'stopped')).to.deep.equal([]);
      const abandoned = await inFlight.finish().then(
        () => 'answered',
        () => 'abandoned',
      );
      expect(abandoned, 'the request in flight was not waited for').to.equal('abandoned');
    }));

  it('with SHUTDOWN_DRAIN_MS, says stopping on /readyz and still serves new connections until a second signal ends the drain, then exits 0', () =>
    // A drain longer than the test could wait for: only the second signal can end it in time.
    withService({ SHUTDOWN_DRAIN_MS: '15000' }, async (service, port) => {
      const baseUrl = `http://127.0.0.1:${port}`;
      const { child } = service;

      // One stop delivered twice at once (a process group's signal and npm's forwarding of it) is one stop. Two
      // of the same signal sent this fast would merge into one delivery, so the copy is a SIGINT.
      child.kill('SIGTERM');
      child.kill('SIGINT');
      const firstSignalAt = Date.now();
      // The line is logged as the stop begins, readiness included.
      const [stopping] = await waitForLog(service, 'shutting down', 1);
      expect(stopping).to.include({ drainMs: 15_000 });
      expect(stopping?.signal).to.be.oneOf(['SIGTERM', 'SIGINT']);
      // `send` opens a new connection for each request.
      const readiness = await send(baseUrl, { path: '/readyz' });
      expect(readiness.status).to.equal(503);
      expect(readiness.json).to.deep.equal({ status: 'stopping', checks: { database: 'up', redis: 'up' } });
      const created = await postSession(baseUrl, aProfile().build());
      expect(created.status, created.text).to.equal(201);
      expect(await connectionHeaderOnKeepAlive(baseUrl), 'a kept-alive connection is closed after its answer').to.equal('close');
      await setTimeout(Math.max(0, firstSignalAt + SAME_STOP_WITHIN_MS + 100 - Date.now()));
      expect((await send(baseUrl, { path: '/readyz' })).status, 'the repeated SIGTERM did not end the drain').to.equal(503);

      child.kill('SIGINT');
      expect(await refusedSoon(port), 'the second signal ended the drain').to.equal(true);
      expect(await service.exited, service.output()).to.equal(0);
      expect(linesSaying(service, 'drain cut short')[0]).to.include({ signal: 'SIGINT' });
      expect(service.logLines().map((line) => line.msg).filter((message) => message !== 'request' && message !== 'listening')).to.deep.equal([
        'shutting down',
        'drain cut short',
        'stopped',
      ]);
    }));
});
