import { expect } from 'chai';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { sample } from '../../support/prometheus.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

describe('GET /metrics (Prometheus)', () => {
  let app: TestApp;
  const metrics = async (target: TestApp = app): Promise<string> => (await send(target.baseUrl, { path: '/metrics' })).text;

  beforeEach(async () => {
    app = await startTestApp();
  });

  afterEach(async () => {
    await app.stop();
  });

  it('times requests by method, matched route and status, never by raw path', async () => {
    await postSession(app.baseUrl, aProfile().build());
    await send(app.baseUrl, { path: '/livechat/no-such-thing-4711' });
    await send(app.baseUrl, { method: 'DELETE', path: '/livechat/guest' });
    const exposition = await metrics();

    expect(sample(exposition, 'livechat_http_request_duration_seconds_count{method="POST",route="/livechat/session",status="201"}')).to.equal(1);
    expect(sample(exposition, 'livechat_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/livechat/session",status="201"}')).to.equal(1);
    expect(sample(exposition, 'livechat_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).to.equal(1);
    expect(sample(exposition, 'livechat_http_request_duration_seconds_count{method="DELETE",route="/livechat/guest",status="204"}')).to.equal(1);
    expect(exposition).to.not.include('no-such-thing-4711');
  });

  it('resolves the endpoint\'s own range: a millisecond, the p99 objective of 10 ms, and the store\'s bounded worst case', async () => {
    await postSession(app.baseUrl, aProfile().build());
    const exposition = await metrics();
    const bucket = (le: string): number | undefined =>
      sample(exposition, `livechat_http_request_duration_seconds_bucket{le="${le}",method="POST",route="/livechat/session",status="201"}`);

    // A session on a quiet machine takes 1–3 ms at the median: without buckets below 5 ms its median could not be read.
    for (const le of ['0.001', '0.0025', '0.005', '0.01', '5', '10']) expect(bucket(le), `le="${le}"`).to.be.a('number');
    const cumulative = ['0.001', '0.0025', '0.005', '0.01', '5', '10', '+Inf'].map((le) => bucket(le) ?? Number.NaN);
    expect(cumulative).to.deep.equal([...cumulative].sort((a, b) => a - b));
    expect(cumulative.at(-1)).to.equal(1);
  });

  it('counts sessions created and validation failures by field', async () => {
    await postSession(app.baseUrl, aProfile().build());
    await postSession(app.baseUrl, aProfile().build());
    await postSession(app.baseUrl, { name: '' });
    await postSession(app.baseUrl, aProfile().withCity('S').build());
    await postSession(app.baseUrl, '"just a string"');
    const exposition = await metrics();

    expect(sample(exposition, 'livechat_sessions_created_total')).to.equal(2);
    expect(sample(exposition, 'livechat_validation_failures_total{field="name"}')).to.equal(1);
    expect(sample(exposition, 'livechat_validation_failures_total{field="city"}')).to.equal(2);
    expect(sample(exposition, 'livechat_validation_failures_total{field="country"}')).to.equal(1);
    expect(sample(exposition, 'livechat_validation_failures_total{field="body"}')).to.equal(1);
    expect(sample(exposition, 'livechat_database_errors_total')).to.equal(0);
    expect(sample(exposition, 'livechat_rate_limit_backend_errors_total')).to.equal(0);
  });

  it('counts requests refused by the rate limit', async () => {
    const limited = await startTestApp({ env: { RATE_LIMIT_MAX: '2' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await postSession(limited.baseUrl, aProfile().build())).status);
      expect(statuses).to.deep.equal([201, 201, 429, 429]);
      expect(sample(await metrics(limited), 'livechat_rate_limited_total')).to.equal(2);
    } finally {
      await limited.stop();
    }
  });

  it('includes the process metrics, in the Prometheus text format', async () => {
    const response = await send(app.baseUrl, { path: '/metrics' });
    expect(response.headers['content-type']).to.equal('text/plain; version=0.0.4; charset=utf-8');
    expect(response.text).to.match(/^process_cpu_user_seconds_total \d/m);
    expect(response.text).to.match(/^process_resident_memory_bytes \d/m);
    expect(response.text).to.match(/^nodejs_eventloop_lag_seconds \d/m);
  });
});
