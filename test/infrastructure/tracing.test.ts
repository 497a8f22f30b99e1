import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import { expect } from 'chai';
import { createTracing, SHUTDOWN_EXPORT_MS, tracesUrl } from '../../src/infrastructure/tracing/tracing.js';
import { LOADED_CHECK, runInFreshProcess } from '../support/freshProcess.js';
import { captureLogs } from '../support/logCapture.js';

describe('tracesUrl', () => {
  it('puts v1/traces under the collector base endpoint, with or without its trailing slash', () => {
    expect(tracesUrl('http://collector:4318')).to.equal('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/otel/')).to.equal('http://collector:4318/otel/v1/traces');
  });
});

describe('createTracing', () => {
  it('loads the OpenTelemetry SDK and exporter only when an OTLP endpoint is set', () => {
    const tracingModule = new URL('../../src/infrastructure/tracing/tracing.ts', import.meta.url).href;
    // A fresh process: this one may have turned tracing on for other tests already.
    const script = `${LOADED_CHECK}
import pino from 'pino';
import { createTracing } from '${tracingModule}';
const logger = pino({ enabled: false });
const sdk = () => ['@opentelemetry/sdk-trace', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/context-async-hooks'].filter(loaded);
const seen = [sdk()];
createTracing({ endpoint: undefined, serviceName: 'livechat-session' }, logger);
seen.push(sdk());
await createTracing({ endpoint: 'http://127.0.0.1:1', serviceName: 'livechat-session' }, logger).shutdown();
seen.push(sdk());
console.log(JSON.stringify(seen));`;
    const child = runInFreshProcess(script);

    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout), 'loaded at import, with no endpoint, with one').to.deep.equal([
      [],
      [],
      ['@opentelemetry/sdk-trace', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/context-async-hooks'],
    ]);
  });
});

describe('Tracing.shutdown with a collector that never answers', () => {
  let collector: Server;
  const sockets: Socket[] = [];
  let endpoint: string;
  before(async () => {
    // Accepts the exporter's connection and its request, and never answers.
    collector = createServer((socket) => sockets.push(socket.on('data', () => undefined)));
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => collector.close(resolve));
  });

  it('gives up on the buffered spans, and says so, rather than hold the stop for the exporter\'s 10 s and retries', async () => {
    const { logger, lines } = captureLogs();
    const tracing = createTracing({ endpoint, serviceName: 'livechat-test' }, logger)!;
    tracing.tracer.startSpan('a span the collector never takes').end();
    const started = Date.now();
    await tracing.shutdown();
    // The exporter's own timeout is 10 s: ending well before it means the bound, not the exporter, ended the wait.
    expect(Date.now() - started).to.be.within(SHUTDOWN_EXPORT_MS - 100, 8_000);
    expect(lines.map((line) => line.msg)).to.include('the trace collector took too long: spans still buffered are dropped');
  });
});

describe('Tracing with a collector that refuses the spans', () => {
  let collector: Server;
  let endpoint: string;
  before(async () => {
    collector = createHttpServer((_request, response) => response.writeHead(400, { 'content-type': 'text/plain' }).end('no'));
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => collector.close(resolve));
  });

  it('logs the failed last export at shutdown as a warning, and the stop goes on', async () => {
    const { logger, lines } = captureLogs();
    const tracing = createTracing({ endpoint, serviceName: 'livechat-test' }, logger)!;
    tracing.tracer.startSpan('a span the collector refuses').end();
    await tracing.shutdown();
    expect(lines.map(({ level, msg, reason }) => ({ level, msg, reason }))).to.deep.equal([
      { level: 40, msg: 'trace export failed: spans dropped', reason: 'Bad Request' },
    ]);
  });

  it("logs the SDK's reports of failed exports while running, by their message, without the stack", () => {
    const { logger, lines } = captureLogs();
    createTracing({ endpoint, serviceName: 'livechat-test' }, logger);
    // How the SDK's batch processor reports an export that failed (its global error handler, through diag).
    diag.error(JSON.stringify({ stack: 'Error: connect ECONNREFUSED\n    at afterConnect', message: 'connect ECONNREFUSED 127.0.0.1:4318' }));
    expect(lines.map(({ level, msg, reason }) => ({ level, msg, reason }))).to.deep.equal([
      { level: 40, msg: 'trace export failed: spans dropped', reason: 'connect ECONNREFUSED 127.0.0.1:4318' },
    ]);
  });
});
