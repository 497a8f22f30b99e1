/**
 * A process that holds the embedded database in the folder given as its argument, as the service or a livechat
 * command would, without opening it (PGlite takes seconds to start): it says `held` on stdout, logs as the
 * service does, and waits to be stopped.
 */
import { lockEmbeddedDatabase } from '../../../src/infrastructure/embeddedDatabaseLock.js';
import { createLogger } from '../../../src/infrastructure/logger.js';

const folder = process.argv[2];
if (folder === undefined) throw new Error('usage: embeddedDatabaseHolder.ts FOLDER');
lockEmbeddedDatabase(folder, createLogger('info'));
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
