import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs, { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { NO_METRICS } from '../../src/adapters/http/httpMetrics.js';
import { requestContext } from '../../src/adapters/http/requestContext.js';
import { ExpectedFailure } from '../../src/adapters/http/expectedFailure.js';
import { StoreUnavailable } from '../../src/application/errors.js';
import { bufferedDestination, createLogger, LOG_BUFFER_BYTES, routeConsoleToLogger, serializeError } from '../../src/infrastructure/logger.js';
import { freshProcessArguments, runInFreshProcess } from '../support/freshProcess.js';
import { PROJECT_ROOT } from '../support/projectRoot.js';
import { captureLogs } from '../support/logCapture.js';
import { directoryPerTest } from '../support/tempDirectory.js';

describe('createLogger (production logger)', () => {
  const logListenerByMistake = (log: ReturnType<typeof captureLogs>): Record<string, unknown> => {
    log.logger.warn({ name: 'Budi', profile: { city: 'Solo' }, session: { sessionToken: 'eyJ.secret.sig' }, requestId: 'r-1' }, 'oops');
    return log.lines.at(-1)!;
  };

  it('censors listener details and tokens passed by mistake, keeping the rest of the line', () => {
    const line = logListenerByMistake(captureLogs((destination) => createLogger('info', destination)));

    expect(line).to.include({ name: '[redacted]', profile: '[redacted]', requestId: 'r-1', service: 'livechat-session', msg: 'oops' });
    expect(line.session).to.deep.equal({ sessionToken: '[redacted]' });
  });

  it('says which process wrote each line, so that two workers\' lines can be told apart', () => {
    const log = captureLogs((destination) => createLogger('info', destination));
    log.logger.info('listening');
    log.logger.child({ requestId: 'r-1' }).info('request');
    expect(log.lines.map((line) => line.pid)).to.deep.equal([process.pid, process.pid]);
  });

  it("censors what a store's error quotes of the request: a Redis command's arguments, a refused row", () => {
    const log = captureLogs((destination) => createLogger('info', destination));
    // As ioredis attaches the failed command to a reply error, and as pg reports a check violation.
    const redisError = Object.assign(new Error('OOM command not allowed'), {
      command: { name: 'evalsha', args: ['1f2e', '1', 'livechat:ratelimit:203.0.113.7', '1764600000000000'] },
    });
    const databaseError = Object.assign(new Error('new row violates check constraint'), {
      code: '23514',
      detail: 'Failing row contains (0193…, Budi, Solo, Indonesia).',
    });

    log.logger.warn({ err: redisError, requestId: 'r-1' }, 'rate limiter backend failed; request let through');
    log.logger.error({ err: databaseError, requestId: 'r-2' }, 'unhandled error');

    const [redisLine, databaseLine] = log.lines.slice(-2).map((line) => JSON.stringify(line));
    expect(redisLine).to.include('evalsha').and.include('OOM command not allowed').and.not.include('203.0.113.7');
    expect(databaseLine).to.include('23514').and.not.include('Budi').and.not.include('Solo');
  });

  it("writes an error's class as its type, with no censored name beside it (the censor on listeners' names)", () => {
    const log = captureLogs((destination) => createLogger('info', destination));
    log.logger.error({ err: new StoreUnavailable({ cause: new Error('connect ECONNREFUSED') }) }, 'store down');

    const err = log.lines.at(-1)!.err as Record<string, unknown>;
    expect(err).to.include({ type: 'StoreUnavailable', code: 'store_unavailable' });
    expect(JSON.stringify(err)).to.not.include('[redacted]');
  });

  it("keeps an error's own name that differs from its class, under a name the censor leaves alone", () => {
    const log = captureLogs((destination) => createLogger('info', destination));
    log.logger.error({ err: new pg.DatabaseError('relation "sessions" does not exist', 100, 'error') }, 'unhandled error');
    log.logger.warn({ err: new DOMException('The operation was aborted due to timeout', 'TimeoutError') }, 'captcha check failed');

    const [databaseError, timeout] = log.lines.slice(-2).map((line) => line.err as Record<string, unknown>);
    expect(databaseError).to.include({ type: 'DatabaseError', errorName: 'error' }).and.not.have.property('name');
    expect(timeout).to.include({ type: 'DOMException', errorName: 'TimeoutError' }).and.not.have.property('name');
  });

  it('still censors after the request middleware made its unredacted access logger from it', () => {
    const log = captureLogs((destination) => createLogger('info', destination));
    requestContext(log.logger, NO_METRICS);

    expect(logListenerByMistake(log)).to.include({ name: '[redacted]', profile: '[redacted]' });
  });
});

describe('bufferedDestination (the production log stream)', () => {
  const directory = directoryPerTest('livechat-log-');
  const QUIET_MS = 60_000;

  const fileLogger = (flushIntervalMs: number): { logger: Logger; written: () => Record<string, unknown>[] } => {
    const file = path.join(directory(), 'out.log');
    const logger = createLogger('info', bufferedDestination(file, flushIntervalMs));
    const written = (): Record<string, unknown>[] =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { logger, written };
  };

  it('holds info lines back, and writes them before a warning, at once and in order', () => {
    const { logger, written } = fileLogger(QUIET_MS);
    logger.info({ requestId: 'r-1' }, 'request');
    logger.info({ requestId: 'r-2' }, 'request');
    expect(written()).to.be.empty;

    logger.warn('redis connection error');

    expect(written().map((line) => line.requestId ?? line.msg)).to.deep.equal(['r-1', 'r-2', 'redis connection error']);
  });

  it('writes whole lines, in order, as soon as a batch is pending', () => {
    const { logger, written } = fileLogger(QUIET_MS);
    const count = 60;
    for (let i = 0; i < count; i += 1) logger.info({ requestId: `r-${i}`, padding: 'x'.repeat(150) }, 'request');

    // written() parses every line: a line cut in two would throw here.
    const lines = written();
    // Each line is longer than its 150-byte padding, so less than LOG_BUFFER_BYTES / 150 of them can still wait.
    expect(lines.length).to.be.within(count - Math.ceil(LOG_BUFFER_BYTES / 150), count);
    expect(lines.map((line) => line.requestId)).to.deep.equal(lines.map((_, i) => `r-${i}`));
  });

  it('writes a quiet logger’s lines within the flush interval', async () => {
    const { logger, written } = fileLogger(20);
    logger.info({ requestId: 'r-quiet' }, 'request');

    for (let attempt = 0; attempt < 100 && written().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(written().map((line) => line.requestId)).to.deep.equal(['r-quiet']);
  });

  it('writes a warning without waiting for the disk to store it (no fsync): an outage logs one per request', async () => {
    const { logger, written } = fileLogger(QUIET_MS);
    const { fsync, fsyncSync } = fs;
    let syncs = 0;
    // Either form: one on the event loop, the other on the thread pool, each a wait for the disk per warning.
    fs.fsyncSync = (fd) => {
      syncs += 1;
      fsyncSync(fd);
    };
    fs.fsync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      syncs += 1;
      fsync(fd, callback);
    }) as typeof fs.fsync;
    try {
      for (let i = 0; i < 5; i += 1) logger.warn({ requestId: `r-${i}` }, 'rate limiter backend failed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      Object.assign(fs, { fsync, fsyncSync });
    }
    expect(written()).to.have.length(5);
    expect(syncs).to.equal(0);
  });

  /**
   * How a fresh process that logs through the module ends: a stream that hangs would freeze it (no timer of the
   * test could fire), so it runs apart, in its own process group, killed after 10 s. Its stdout is a pipe whose
   * reader (`true`) has gone before anything is written, as when a log shipper dies.
   */
  const exitOfScript = async (body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    const loggerModule = new URL('../../src/infrastructure/logger.ts', import.meta.url).href;
    const script = `import { bufferedDestination, createLogger } from '${loggerModule}';\n${body}`;
    const node = [process.execPath, ...freshProcessArguments(script)];
    const child = spawn('bash', ['-c', '"$@" | true; exit "${PIPESTATUS[0]}"', 'bash', ...node], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    });
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    clearTimeout(killer);
    return exit;
  };

  it('neither throws into the code that logs nor freezes when its file cannot be written (a full disk)', async () => {
    const body = `const logger = createLogger('info', bufferedDestination('/dev/full', 60_000));
logger.info({ requestId: 'r-1' }, 'request');
logger.warn('redis connection error');
logger.error('and another');
process.exit(0);`;
    expect(await exitOfScript(body), 'exited by itself, without an uncaught error').to.deep.equal({ code: 0, signal: null });
  });

  it('lets the process go on and exit when the reader of its stdout has gone (a log shipper that died)', async () => {
    const body = `const logger = createLogger('info');
setTimeout(() => {
  logger.info({ requestId: 'r-1' }, 'request');
  logger.warn('redis connection error');
  logger.info({ requestId: 'r-2' }, 'request');
  setTimeout(() => process.exit(0), 50);
}, 500);`;
    expect(await exitOfScript(body), 'exited by itself').to.deep.equal({ code: 0, signal: null });
  });

  it('writes what is still pending to stdout when the process exits', () => {
    const loggerModule = new URL('../../src/infrastructure/logger.ts', import.meta.url).href;
    const script = `import { createLogger } from '${loggerModule}';
const logger = createLogger('info');
logger.info({ requestId: 'r-last' }, 'request');
process.exit(0);`;
    const child = runInFreshProcess(script);

    expect(child.status, child.stderr).to.equal(0);
    expect(child.stdout.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { requestId?: string }).requestId)).to.deep.equal(['r-last']);
  });
});

describe('serializeError', () => {
  it('keeps an unexpected error\'s stack', () => {
    expect(serializeError(new Error('boom'))).to.have.property('stack').that.includes('boom');
  });

  it('writes an expected failure as an error without its stack, its causes\' messages and own fields kept', () => {
    const failure = Object.assign(new Error('store unavailable', { cause: new Error('connect ECONNREFUSED') }), { code: 'ECONNREFUSED' });
    const serialized = serializeError(new ExpectedFailure(failure)) as Record<string, unknown>;
    expect(serialized).to.not.have.property('stack');
    expect(serialized).to.include({ type: 'Error', message: 'store unavailable: connect ECONNREFUSED', code: 'ECONNREFUSED' });
  });

  it('leaves out the stacks of the errors an expected failure aggregates too', () => {
    const both = new AggregateError([new Error('connect ECONNREFUSED ::1:1'), new Error('connect ECONNREFUSED 127.0.0.1:1')], '');
    const serialized = serializeError(new ExpectedFailure(both)) as { aggregateErrors: Record<string, unknown>[] };
    expect(serialized).to.not.have.property('stack');
    expect(serialized.aggregateErrors.map((error) => error.message)).to.deep.equal(['connect ECONNREFUSED ::1:1', 'connect ECONNREFUSED 127.0.0.1:1']);
    for (const error of serialized.aggregateErrors) expect(error).to.not.have.property('stack');
  });

  it('logs what is not an error as it is, null and undefined included, without throwing', () => {
    for (const value of ['a reason', 42, null, undefined, { reason: 'shutdown' }]) expect(serializeError(value)).to.equal(value);
  });

  it('logs an expected failure that is not an error as it is, null and undefined included, without throwing', () => {
    for (const value of ['a reason', 42, null, undefined]) expect(serializeError(new ExpectedFailure(value))).to.equal(value);
  });
});

/* eslint-disable no-console -- the console is what is under test */
describe('routeConsoleToLogger', () => {
  it("makes a library's console warnings and errors JSON log lines, and gives the console back", () => {
    const log = captureLogs((destination) => createLogger('info', destination));
    const { warn, error } = console;
    const restore = routeConsoleToLogger(log.logger);
    try {
      // What ioredis prints when REDIS_URL carries a password the server does not need.
      console.warn("[WARN] This Redis server's `default` user does not require a password, but a password was supplied");
      console.error('[ioredis] Unhandled error event: %s', 'connect ECONNREFUSED');
    } finally {
      restore();
    }
    expect(log.lines.map(({ level, source, msg }) => ({ level, source, msg }))).to.deep.equal([
      {
        level: 40,
        source: 'console',
        msg: "[WARN] This Redis server's `default` user does not require a password, but a password was supplied",
      },
      { level: 50, source: 'console', msg: '[ioredis] Unhandled error event: connect ECONNREFUSED' },
    ]);
    expect([console.warn, console.error]).to.deep.equal([warn, error]);
  });
});
/* eslint-enable no-console */
