import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'livechat:metrics-request';
const RESPONSE = 'livechat:metrics-response';
const GATHER = 'livechat:metrics-gather';
const GATHERED = 'livechat:metrics-gathered';
/**
 * How long the primary waits for a worker's figures before it leaves that worker out of the scrape: well within
 * Prometheus's default 10 s scrape timeout. Reading a registry takes a millisecond; a worker this late is stalled.
 */
const GATHER_TIMEOUT_MS = 3_000;
/** Longer than the primary's own wait for the workers' figures, so that its answer arrives first. */
const ANSWER_TIMEOUT_MS = 7_000;

/** A registry's series as prom-client gives them out (`getMetricsAsJSON`) and sums them (`aggregate`). */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

interface Exposition {
  readonly contentType: string;
  readonly body: string;
}
interface MetricsMessage {
  readonly type?: string;
  readonly id?: number;
  readonly body?: string;
  readonly contentType?: string;
  readonly error?: string;
  readonly metrics?: MetricsSnapshot;
}

// prom-client's typings call a metric's type an enum; at run time it is the type's name.
const ONLY_GROWING_TYPES: ReadonlySet<unknown> = new Set(['counter', 'histogram']);
/** Counters and histograms: within one process they only grow. Gauges say how a living worker is now. */
const onlyGrowing = (metrics: MetricsSnapshot): MetricsSnapshot => metrics.filter((metric) => ONLY_GROWING_TYPES.has(metric.type));

/**
 * What the cluster's counters and histograms owe each worker, so that their sum never goes down when a worker is
 * replaced: Prometheus reads any drop as a counter reset, and rate() and increase() then count the whole value
 * again. A worker's last answer stands in for it when it does not answer; when it exits, the counters and
 * histograms of that answer join those of the workers that exited before it, for good. What a worker counted
 * after its last answer dies with it: a scrape never shows it, so no scrape shows less than the one before.
 */
export class WorkerMetricsLedger {
  /** Each living worker's last answer, by worker id. */
  private readonly latest = new Map<number, MetricsSnapshot>();
  /** The exited workers' counters and histograms; summed into one entry as scrapes go by. */
  private retired: readonly MetricsSnapshot[] = [];
  /** The highest value each counter and histogram series has been shown with (bounded: one per series). */
  private readonly shown = new Map<string, number>();

  answered(workerId: number, metrics: MetricsSnapshot): void {
    this.latest.set(workerId, metrics);
  }

  exited(workerId: number): void {
    const last = this.latest.get(workerId);
    if (last === undefined) return;
    this.latest.delete(workerId);
    this.retired = [...this.retired, onlyGrowing(last)];
  }

  /**
   * The instance's series in Prometheus text: `own` (the primary's), the answers of the workers in `answeredNow`,
   * the last counters and histograms of the other living workers, and those of the exited ones.
   */
  async exposition(answeredNow: ReadonlySet<number>, own: MetricsSnapshot): Promise<string> {
    // Read together, before anything is awaited: a worker is counted either as living or as exited, never both.
    const retired = this.retired;
    const living = [...this.latest].map(([id, metrics]) => (answeredNow.has(id) ? metrics : onlyGrowing(metrics)));
    const exited = await this.sumRetired(retired);
    const summed = await AggregatorRegistry.aggregate([exited, own, ...living]).getMetricsAsJSON();
    this.neverBelowShown(summed);
    return AggregatorRegistry.aggregate([summed]).metrics();
  }

  /**
   * When a worker exits, its figures are summed in another order than before (with the exited workers first), and
   * floating-point sums depend on the order: a CPU-seconds counter or a histogram's `_sum` could come out a rounding
   * step lower, which Prometheus would read as a reset. No series is shown lower than it was.
   */
  private neverBelowShown(summed: MetricsSnapshot): void {
    for (const metric of summed) {
      if (!ONLY_GROWING_TYPES.has(metric.type)) continue;
      for (const sample of metric.values as { metricName?: string; labels: object; value: number }[]) {
        const labels = Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1));
        const key = `${sample.metricName ?? metric.name}${JSON.stringify(labels)}`;
        const highest = this.shown.get(key);
        if (highest !== undefined && sample.value < highest) sample.value = highest;
        else this.shown.set(key, sample.value);
      }
    }
  }

  /** One entry for all the exited workers, kept for the next scrapes: a restart loop must not make each one longer. */
  private async sumRetired(retired: readonly MetricsSnapshot[]): Promise<MetricsSnapshot> {
    if (retired.length <= 1) return retired[0] ?? [];
    const sum = await AggregatorRegistry.aggregate([...retired]).getMetricsAsJSON();
    // Workers that exited meanwhile were appended; a sum made meanwhile by another scrape already stands.
    if (retired.every((entry, index) => this.retired[index] === entry)) this.retired = [sum, ...this.retired.slice(retired.length)];
    return sum;
  }
}

/**
 * One run at a time: calls that arrive while a run is under way share its outcome. Scrapes of /metrics are not
 * rate limited, and each aggregation is a round of IPC to every worker, so a burst of them costs one round.
 */
export const sharedWhileRunning = <T>(run: () => Promise<T>): (() => Promise<T>) => {
  let running: Promise<T> | undefined;
  return () =>
    (running ??= run().finally(() => {
      running = undefined;
    }));
};

/**
 * Asks one worker for its series; its answer goes to the ledger. Settles once it answered or exited, or after
 * GATHER_TIMEOUT_MS: then the scrape goes on without it, and its last answer stands in for its counters.
 */
const ask = (worker: Worker, round: number, ledger: WorkerMetricsLedger, answered: Set<number>, logger: Logger): Promise<void> =>
  new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', finish);
      resolve();
    };
    const onMessage = (message: MetricsMessage): void => {
      if (message?.type !== GATHERED || message.id !== round || message.metrics === undefined) return;
      ledger.answered(worker.id, message.metrics);
      answered.add(worker.id);
      finish();
    };
    const timer = setTimeout(() => {
      // Not a fault of this scrape's: no stack, and no 500 for it.
      logger.warn(
        { workerPid: worker.process.pid, waitedMs: GATHER_TIMEOUT_MS },
        'a worker did not answer with its metrics in time; left out of this scrape',
      );
      finish();
    }, GATHER_TIMEOUT_MS);
    worker.on('message', onMessage);
    // Its last answer is the ledger's now: nothing more to wait for.
    worker.once('exit', finish);
    // The callback takes the error of a worker already gone, which would otherwise be thrown as an event.
    worker.send({ type: GATHER, id: round }, () => undefined);
  });

/**
 * In the cluster primary: answers a worker's request for the metrics of all workers summed (prom-client's
 * `AggregatorRegistry.aggregate`), so /metrics means the instance, not whichever worker the scrape happened to
 * reach; with `own`, the primary's series.
 */
export const serveClusterMetrics = (own: Registry, listeningWorkers: () => Iterable<Worker>, logger: Logger): void => {
  const ledger = new WorkerMetricsLedger();
  cluster.on('exit', (worker) => ledger.exited(worker.id));
  let nextRound = 0;
  const collect = sharedWhileRunning(async () => {
    const round = nextRound++;
    const answered = new Set<number>();
    // Only a listening worker has built its registry and answers; a starting one would hold every scrape up.
    await Promise.all([...listeningWorkers()].map((worker) => ask(worker, round, ledger, answered, logger)));
    return ledger.exposition(answered, await own.getMetricsAsJSON());
  });
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    const reply = (answer: Omit<MetricsMessage, 'type' | 'id'>): void => {
      // The worker may have died while the others were asked.
      if (worker.isConnected()) worker.send({ type: RESPONSE, id: message.id, ...answer });
    };
    collect().then(
      (body) => reply({ body, contentType: own.contentType }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
};

/** In a worker: offers `registry` to the primary's aggregation and returns an exposition that asks for it. */
export const clusterExposition = (registry: Registry): (() => Promise<Exposition>) => {
  process.on('message', (message: MetricsMessage) => {
    if (message?.type !== GATHER) return;
    // A worker whose figures cannot be read does not answer, which the primary handles as any silent worker.
    void registry
      .getMetricsAsJSON()
      .then((metrics) => process.send?.({ type: GATHERED, id: message.id, metrics }))
      .catch(() => undefined);
  });
  const pending = new Map<number, { resolve: (exposition: Exposition) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  process.on('message', (message: MetricsMessage) => {
    if (message?.type !== RESPONSE || message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined || message.body === undefined) waiting?.reject(new Error(message.error ?? 'no metrics'));
    else waiting?.resolve({ contentType: message.contentType ?? registry.contentType, body: message.body });
  });
  return () =>
    new Promise<Exposition>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the cluster primary did not answer with the metrics'));
      }, ANSWER_TIMEOUT_MS);
      pending.set(id, {
        resolve: (exposition) => {
          clearTimeout(timer);
          resolve(exposition);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: REQUEST, id });
    });
};
