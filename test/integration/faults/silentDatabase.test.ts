import net from 'node:net';
import { expect } from 'chai';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { startTestApp } from '../support/testApp.js';

describe('When PostgreSQL accepts connections but never answers', function () {
  // The bounded connect timeout (2 s) decides; mocha's timeout only guards against a hang.
  this.timeout(15_000);

  it('answers 503, not a hang, and /readyz says not ready', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const app = await startTestApp({ env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/silent` } });
    try {
      const [created, readiness] = await Promise.all([postSession(app.baseUrl, aProfile().build()), send(app.baseUrl, { path: '/readyz' })]);
      expect(created.status).to.equal(503);
      expect(created.headers['retry-after']).to.equal('5');
      expect(created.json).to.have.nested.property('errors.body').that.is.an('array').with.length(1);
      expect(readiness.status).to.equal(503);
      expect(sockets.size, 'the service really connected to the silent server').to.be.greaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await app.stop();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
