import { fileURLToPath } from 'node:url';

/** The repository's root, where `npm start` and the test scripts run from. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
