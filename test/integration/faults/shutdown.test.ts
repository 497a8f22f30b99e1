import net from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import { TEST_COOKIE_SECRET, testPrivateKeyPem } from '../../support/keys.js';
import { freePort } from '../../support/freePort.js';
import { directoryPerTest } from '../../support/tempDirectory.js';
import { holdSessionRequest } from '../support/heldRequest.js';
import { spawnService, waitForHttp } from '../support/serviceProcess.js';
import { testDatabaseUrl, testRedisUrl } from '../support/testServices.js';

const connectionRefused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

describe('SIGTERM to the real service process', function () {
  // Starting node with tsx takes a few seconds on a busy machine; the shutdown itself is bounded by the service.
  this.timeout(30_000);
  const dataDir = directoryPerTest('livechat-shutdown-');

  it('stops accepting, finishes the request in flight, closes its pools and exits 0', async () => {
    const port = await freePort();
    const service = spawnService({
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
    const { child } = service;

    try {
      await waitForHttp(service, `http://127.0.0.1:${port}/healthz`);

      const inFlight = await holdSessionRequest(`http://127.0.0.1:${port}`);

      child.kill('SIGTERM');
      let refused = false;
      for (let attempt = 0; attempt < 100 && !refused; attempt += 1) {
        refused = await connectionRefused(port);
        if (!refused) await setTimeout(20);
      }
      expect(refused, 'new connections are refused once the signal arrived').to.equal(true);

      const finished = await inFlight.finish();
      expect(finished.status, finished.text).to.equal(201);
      expect(JSON.parse(finished.text)).to.have.property('sessionToken');

      expect(await service.exited, service.output()).to.equal(0);
      expect(service.logLines().map((line) => line.msg).filter((message) => message !== 'request' && message !== 'listening')).to.deep.equal(['shutting down', 'stopped']);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
