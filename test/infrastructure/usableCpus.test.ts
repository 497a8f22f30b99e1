import { expect } from 'chai';
import { usableCpus } from '../../src/infrastructure/usableCpus.js';

/** A file system holding only `files`; reading anything else fails as a missing file does. */
const only =
  (files: Record<string, string>) =>
  (file: string): string => {
    const content = files[file];
    if (content === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return content;
  };

describe('usableCpus (the default number of workers)', () => {
  it('is the CPUs the process may run on when no quota limits it (no cgroup files, or no limit in them)', () => {
    expect(usableCpus(only({}), 8)).to.equal(8);
    expect(usableCpus(only({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' }), 8)).to.equal(8);
    expect(usableCpus(only({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }), 8)).to.equal(8);
  });

  it("follows a container's CPU quota (cgroup v2), in whole CPUs rounded down, at least one", () => {
    const quota = (max: string) => only({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': `${max}\n` });
    expect(usableCpus(quota('200000 100000'), 64)).to.equal(2);
    expect(usableCpus(quota('150000 100000'), 64), 'a worker more would be throttled').to.equal(1);
    expect(usableCpus(quota('50000 100000'), 64)).to.equal(1);
    expect(usableCpus(quota('800000 100000'), 4), 'never more than the CPUs there are').to.equal(4);
  });

  it("reads the process's own cgroup (v2) when it is not the root, and cgroup v1's quota and period", () => {
    const nested = only({ '/proc/self/cgroup': '0::/kubepods/pod1/c1\n', '/sys/fs/cgroup/kubepods/pod1/c1/cpu.max': '300000 100000\n' });
    expect(usableCpus(nested, 16)).to.equal(3);
    const v1 = only({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '250000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' });
    expect(usableCpus(v1, 16)).to.equal(2);
  });

  it('ignores what it cannot make sense of', () => {
    expect(usableCpus(only({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'garbage\n' }), 6)).to.equal(6);
    expect(usableCpus(only({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '100000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '0\n' }), 6)).to.equal(6);
  });
});
