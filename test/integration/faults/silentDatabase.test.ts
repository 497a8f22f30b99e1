import { expect } from 'chai';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { startSilentServer, type SilentServer } from '../support/silentServer.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

describe('When PostgreSQL accepts connections but never answers', function () {
  // The bounded connect timeout (2 s) decides; mocha's timeout only guards against a hang.
  this.timeout(15_000);
  let silent: SilentServer;
  let app: TestApp | undefined;

  beforeEach(async () => {
    silent = await startSilentServer();
    app = await startTestApp({ env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${silent.port}/silent` } });
  });

  afterEach(async () => {
    // The hung connections first, so that closing the pool does not wait on them.
    await silent.close();
    await app?.stop();
    app = undefined;
  });

  it('answers 503, not a hang, and /readyz says not ready', async () => {
    const [created, readiness] = await Promise.all([postSession(app!.baseUrl, aProfile().build()), send(app!.baseUrl, { path: '/readyz' })]);
    expect(created.status).to.equal(503);
    expect(created.headers['retry-after']).to.equal('5');
    expect(created.json).to.have.nested.property('errors.body').that.is.an('array').with.length(1);
    expect(readiness.status).to.equal(503);
    expect(silent.connectionsAccepted, 'the service really connected to the silent server').to.be.greaterThan(0);
  });

  it('answers /readyz 503 within a probe’s 1 s timeout, though the pool would wait 2 s for a connection', async () => {
    // Kubernetes' default probe timeout is 1 s; the margin is for a busy test machine, the old answer took 2 s.
    const readiness = await send(app!.baseUrl, { path: '/readyz', timeoutMs: 1_500 });
    expect(readiness.status).to.equal(503);
    expect(readiness.json).to.deep.equal({ status: 'not_ready', checks: { database: 'down', redis: 'up' } });
    expect(silent.connectionsAccepted, 'the service really tried the silent server').to.be.greaterThan(0);
  });
});
