// One worker per core with node:cluster, like the service, so that the comparison is fair.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import process from 'node:process';

export const settings = () => {
  const env = process.env;
  return {
    port: Number(env.PORT ?? 3001),
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    databasePoolMax: Number(env.DATABASE_POOL_MAX ?? 10),
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    privateKeyFile: env.JWT_PRIVATE_KEY_FILE,
    cookieSecret: env.COOKIE_SECRET ?? 'bench-cookie-secret-bench-cookie-secret',
    rateLimitMax: Number(env.RATE_LIMIT_MAX ?? 1_000_000),
    rateLimitWindowMs: 60_000,
    workers: Number(env.WEB_CONCURRENCY ?? availableParallelism()),
    sessionLifetimeSeconds: 86_400,
  };
};

/** Runs `serve` in each of `workers` processes (in this one if 1); SIGTERM stops them all. `serve` returns its own stop. */
export const runClustered = (workers, serve) => {
  if (cluster.isPrimary && workers > 1) {
    for (let i = 0; i < workers; i += 1) cluster.fork();
    let stopping = false;
    cluster.on('exit', () => {
      if (stopping && Object.keys(cluster.workers).length === 0) process.exit(0);
      if (!stopping) process.exit(1);
    });
    process.once('SIGTERM', () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    });
    return;
  }
  serve()
    .then((stop) => process.once('SIGTERM', () => stop().then(() => process.exit(0))))
    .catch((error) => {
      process.stderr.write(`reference server failed: ${error.stack}\n`);
      process.exit(1);
    });
};
