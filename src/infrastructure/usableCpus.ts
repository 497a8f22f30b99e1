import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

type ReadFile = (file: string) => string;

const readOrUndefined = (readFile: ReadFile, file: string): string | undefined => {
  try {
    return readFile(file).trim();
  } catch {
    return undefined;
  }
};

/** A quota over a period, in CPUs; undefined when there is none ("max", -1) or it makes no sense. */
const cpusOf = (quota: string | undefined, period: string | undefined): number | undefined => {
  const [q, p] = [Number(quota), Number(period)];
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
};

/** cgroup v2: `cpu.max` ("<quota> <period>" or "max <period>") in the process's own cgroup. */
const cgroupV2Cpus = (readFile: ReadFile): number | undefined => {
  const own = readOrUndefined(readFile, '/proc/self/cgroup')?.match(/^0::(\/\S*)$/m)?.[1];
  if (own === undefined) return undefined;
  const max = readOrUndefined(readFile, `/sys/fs/cgroup${own === '/' ? '' : own}/cpu.max`);
  const [quota, period] = max?.split(/\s+/) ?? [];
  return cpusOf(quota, period);
};

/** cgroup v1: the CFS quota and period of the cpu controller (-1: no quota). */
const cgroupV1Cpus = (readFile: ReadFile): number | undefined =>
  cpusOf(readOrUndefined(readFile, '/sys/fs/cgroup/cpu/cpu.cfs_quota_us'), readOrUndefined(readFile, '/sys/fs/cgroup/cpu/cpu.cfs_period_us'));

/**
 * How many CPUs the process can use: Node 20's `availableParallelism()` (libuv 1.46) counts the CPUs it may run
 * on, not a container's CPU quota, so a pod limited to 2 CPUs on a 64-core node would start 64 workers (and 64
 * PostgreSQL pools). Rounded down, as Go's automaxprocs does: a worker beyond the quota gets every worker
 * throttled for the rest of each scheduling period, the latency spikes signing would add to.
 */
export const usableCpus = (
  readFile: ReadFile = (file) => readFileSync(file, 'utf8'),
  parallelism: number = availableParallelism(),
): number => {
  const quota = cgroupV2Cpus(readFile) ?? cgroupV1Cpus(readFile);
  return quota === undefined ? parallelism : Math.max(1, Math.min(parallelism, Math.floor(quota)));
};
