import { expect } from 'chai';
import { tracesUrl } from '../../src/infrastructure/tracing/tracing.js';
import { LOADED_CHECK, runInFreshProcess } from '../support/freshProcess.js';

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
import { createTracing } from '${tracingModule}';
const sdk = () => ['@opentelemetry/sdk-trace', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/context-async-hooks'].filter(loaded);
const seen = [sdk()];
createTracing({ endpoint: undefined, serviceName: 'livechat-session' });
seen.push(sdk());
await createTracing({ endpoint: 'http://127.0.0.1:1', serviceName: 'livechat-session' }).shutdown();
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
