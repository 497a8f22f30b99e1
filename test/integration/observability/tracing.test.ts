import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { KnexSessionRepository } from '../../../src/adapters/persistence/knexSessionRepository.js';
import { JwtTokenIssuer } from '../../../src/adapters/token/jwtTokenIssuer.js';
import { StartSession } from '../../../src/application/startSession.js';
import { TracedStartSession } from '../../../src/infrastructure/tracing/tracedStartSession.js';
import { TYPES } from '../../../src/infrastructure/types.js';
import { postSession } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { startTestApp } from '../support/testApp.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON exports and keeps them. */
const startCollector = async (): Promise<{ url: string; exports: OtlpExport[]; paths: string[]; close(): Promise<void> }> => {
  const exports: OtlpExport[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(req.url ?? '');
      exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, exports, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

describe('Traces (OpenTelemetry over OTLP/HTTP)', () => {
  it('exports the request, use case, repository and token issuer spans as one parent/child tree', async () => {
    const collector = await startCollector();
    try {
      const app = await startTestApp({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'livechat-test' } });
      const response = await postSession(app.baseUrl, aProfile().withName('Tracy Spanner').build());
      expect(response.status).to.equal(201);
      await app.stop(); // shutting down flushes the batch

      expect(collector.paths).to.include('/v1/traces');
      const resource = collector.exports[0]!.resourceSpans[0]!.resource;
      expect(resource.attributes).to.deep.include({ key: 'service.name', value: { stringValue: 'livechat-test' } });
      const spans = collector.exports.flatMap((batch) => batch.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
      const byName = (name: string): OtlpSpan => {
        const found = spans.filter((span) => span.name === name);
        expect(found, name).to.have.length(1);
        return found[0]!;
      };
      const request = byName('POST /livechat/session');
      const useCase = byName('StartSession.execute');
      const repository = byName('SessionRepository.saveGuestSession');
      const issuer = byName('TokenIssuer.issue');

      expect(request.parentSpanId ?? '').to.equal('');
      expect(useCase.parentSpanId).to.equal(request.spanId);
      expect(repository.parentSpanId).to.equal(useCase.spanId);
      expect(issuer.parentSpanId).to.equal(useCase.spanId);
      for (const span of [useCase, repository, issuer]) expect(span.traceId).to.equal(request.traceId);
      expect(request.attributes).to.deep.include({ key: 'http.response.status_code', value: { intValue: 201 } });
      expect(JSON.stringify(collector.exports)).to.not.include('Tracy');
    } finally {
      await collector.close();
    }
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT creates no tracer and wraps nothing', async () => {
    const app = await startTestApp();
    try {
      expect(app.config.otel.endpoint).to.equal(undefined);
      expect(app.container.get(TYPES.Tracing)).to.equal(undefined);
      const useCase = app.container.get<StartSession>(TYPES.StartSession);
      expect(useCase).to.be.instanceOf(StartSession);
      expect(useCase).to.not.be.instanceOf(TracedStartSession);
      expect(app.container.get(TYPES.SessionRepository)).to.be.instanceOf(KnexSessionRepository);
      expect(app.container.get(TYPES.TokenIssuer)).to.be.instanceOf(JwtTokenIssuer);
    } finally {
      await app.stop();
    }
  });
});
