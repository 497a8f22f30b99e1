import { existsSync } from 'node:fs';

// An administrator's tool, in sbin, which a minimal PATH (a CI runner's, `env -i`) leaves out.
export const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser'].find((candidate) => existsSync(candidate)) ?? 'runuser';
