import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'livechat:metrics-request';
const RESPONSE = 'livechat:metrics-response';
/** Longer than prom-client's own 5 s wait for the workers' answers, so its error arrives first. */
const ANSWER_TIMEOUT_MS = 7_000;

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
 * In the cluster primary: answers a worker's request for the metrics of all workers summed (prom-client's
 * AggregatorRegistry collects them over IPC), so /metrics means the instance, not whichever worker the
 * scrape happened to reach.
 */
export const serveClusterMetrics = (): void => {
  const aggregator = new AggregatorRegistry();
  const collect = sharedWhileRunning(() => aggregator.clusterMetrics());
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    const reply = (answer: Omit<MetricsMessage, 'type' | 'id'>): void => {
      // The worker may have died while the others were asked.
      if (worker.isConnected()) worker.send({ type: RESPONSE, id: message.id, ...answer });
    };
    collect().then(
      (body) => reply({ body, contentType: aggregator.contentType }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
};

/** In a worker: offers `registry` to the primary's aggregation and returns an exposition that asks for it. */
export const clusterExposition = (registry: Registry): (() => Promise<Exposition>) => {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // installs this worker's answer to the primary's collection requests
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
