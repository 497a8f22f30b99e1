import { expect } from 'chai';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sharedWhileRunning, WorkerMetricsLedger, type MetricsSnapshot } from '../../src/infrastructure/clusterMetrics.js';
import { sample } from '../support/prometheus.js';

/** A run whose outcome the test decides, counting how often it was started. */
const controlledRun = () => {
  let started = 0;
  let settle: { resolve: (value: string) => void; reject: (error: Error) => void } | undefined;
  const run = (): Promise<string> => {
    started += 1;
    return new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return { run, started: () => started, settle: () => settle! };
};

describe('sharedWhileRunning (one cluster metrics aggregation at a time)', () => {
  it('gives calls that arrive during a run that run’s answer, and starts a new run after it ended', async () => {
    const control = controlledRun();
    const collect = sharedWhileRunning(control.run);
    const burst = [collect(), collect(), collect()];
    expect(control.started()).to.equal(1);
    control.settle().resolve('metrics 1');
    expect(await Promise.all(burst)).to.deep.equal(['metrics 1', 'metrics 1', 'metrics 1']);

    const later = collect();
    expect(control.started(), 'a call after the run ended is not answered from the old one').to.equal(2);
    control.settle().resolve('metrics 2');
    expect(await later).to.equal('metrics 2');
  });

  it('shares a failure with the calls that waited on it, then tries again', async () => {
    const control = controlledRun();
    const collect = sharedWhileRunning(control.run);
    const burst = [collect(), collect()];
    control.settle().reject(new Error('a worker did not answer'));
    const outcomes = await Promise.allSettled(burst);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['rejected', 'rejected']);

    const retry = collect();
    expect(control.started()).to.equal(2);
    control.settle().resolve('metrics');
    expect(await retry).to.equal('metrics');
  });
});

/** A worker's registry as the primary sees it: a counter, a histogram and a gauge, read as one snapshot. */
const aWorkerRegistry = () => {
  const registry = new Registry();
  const counter = new Counter({ name: 'sessions_total', help: 'h', registers: [registry] });
  const histogram = new Histogram({ name: 'duration_seconds', help: 'h', buckets: [1], registers: [registry] });
  const gauge = new Gauge({ name: 'heap_bytes', help: 'h', registers: [registry] });
  return {
    count: (times: number, seconds = 0.5) => {
      counter.inc(times);
      for (let i = 0; i < times; i += 1) histogram.observe(seconds);
    },
    setGauge: (value: number) => gauge.set(value),
    // A copy, as IPC delivers it: prom-client's JSON shares the registry's own value objects.
    snapshot: async (): Promise<MetricsSnapshot> => JSON.parse(JSON.stringify(await registry.getMetricsAsJSON())) as MetricsSnapshot,
  };
};

describe('WorkerMetricsLedger (cluster counters that never go down)', () => {
  it('sums the workers that answered, with the primary’s own series', async () => {
    const ledger = new WorkerMetricsLedger();
    const [one, two] = [aWorkerRegistry(), aWorkerRegistry()];
    one.count(3);
    two.count(4);
    ledger.answered(1, await one.snapshot());
    ledger.answered(2, await two.snapshot());
    const own = new Registry();
    new Counter({ name: 'restarts_total', help: 'h', registers: [own] }).inc(2);

    const exposition = await ledger.exposition(new Set([1, 2]), await own.getMetricsAsJSON());
    expect(sample(exposition, 'sessions_total')).to.equal(7);
    expect(sample(exposition, 'duration_seconds_count')).to.equal(7);
    expect(sample(exposition, 'restarts_total')).to.equal(2);
  });

  it('keeps an exited worker’s counters and histograms as last gathered, but not its gauges', async () => {
    const ledger = new WorkerMetricsLedger();
    const [one, two] = [aWorkerRegistry(), aWorkerRegistry()];
    one.count(3);
    one.setGauge(100);
    two.count(4);
    two.setGauge(50);
    ledger.answered(1, await one.snapshot());
    ledger.answered(2, await two.snapshot());
    const first = await ledger.exposition(new Set([1, 2]), []);
    expect(sample(first, 'sessions_total')).to.equal(7);
    expect(sample(first, 'heap_bytes')).to.equal(150);

    // Worker 1 counts two more, then dies before the next scrape: those two are lost, the three it reported stay.
    one.count(2);
    ledger.exited(1);
    const replacement = aWorkerRegistry();
    replacement.count(1);
    ledger.answered(3, await replacement.snapshot());
    two.count(1);
    ledger.answered(2, await two.snapshot());
    const second = await ledger.exposition(new Set([2, 3]), []);
    expect(sample(second, 'sessions_total')).to.equal(3 + 5 + 1);
    expect(sample(second, 'duration_seconds_count')).to.equal(3 + 5 + 1);
    expect(sample(second, 'duration_seconds_bucket{le="1"}')).to.equal(3 + 5 + 1);
    expect(sample(second, 'heap_bytes'), 'a dead worker’s memory is not the instance’s').to.equal(50);
  });

  it('stands in a living worker’s last counters and histograms when it did not answer this time', async () => {
    const ledger = new WorkerMetricsLedger();
    const [one, two] = [aWorkerRegistry(), aWorkerRegistry()];
    one.count(3);
    one.setGauge(100);
    two.count(4);
    ledger.answered(1, await one.snapshot());
    ledger.answered(2, await two.snapshot());
    await ledger.exposition(new Set([1, 2]), []);

    two.count(1);
    ledger.answered(2, await two.snapshot());
    const exposition = await ledger.exposition(new Set([2]), []);
    expect(sample(exposition, 'sessions_total')).to.equal(8);
    expect(sample(exposition, 'heap_bytes'), 'a gauge is now or never').to.equal(0);
  });

  it('adds up any number of exited workers, scrape after scrape', async () => {
    const ledger = new WorkerMetricsLedger();
    for (let id = 1; id <= 5; id += 1) {
      const worker = aWorkerRegistry();
      worker.count(id);
      ledger.answered(id, await worker.snapshot());
      ledger.exited(id);
      expect(sample(await ledger.exposition(new Set(), []), 'sessions_total')).to.equal((id * (id + 1)) / 2);
    }
    ledger.exited(5);
    expect(sample(await ledger.exposition(new Set(), []), 'sessions_total'), 'an exit is counted once').to.equal(15);
  });

  it('never shows a float counter or a histogram sum lower than before, though summing in another order rounds it down', async () => {
    const ledger = new WorkerMetricsLedger();
    const seconds = [713.34, 323.172, 242.49];
    for (const [index, value] of seconds.entries()) {
      const worker = aWorkerRegistry();
      worker.count(1, value);
      ledger.answered(index + 1, await worker.snapshot());
    }
    ledger.exited(1);
    const before = await ledger.exposition(new Set([2, 3]), []);
    // The exited workers are now summed apart, then with the others: in floating point, (a + c) + b may be below a + b + c.
    ledger.exited(3);
    const after = await ledger.exposition(new Set([2]), []);
    expect(sample(after, 'duration_seconds_sum')).to.be.at.least(sample(before, 'duration_seconds_sum')!);
    expect(sample(after, 'duration_seconds_sum')).to.be.closeTo(713.34 + 323.172 + 242.49, 1e-9);
  });
});
