import { format } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import { ExpectedFailure } from '../adapters/http/expectedFailure.js';
import type { LogLevel } from './config.js';

/** Lines wait in memory until this much is pending: one write then carries about a dozen access lines. */
export const LOG_BUFFER_BYTES = 3 * 1024;
/** No write is longer (PIPE_BUF on Linux): on a shared stdout pipe, the workers' writes never interleave. */
const LOG_WRITE_MAX_BYTES = 4 * 1024;
/** A quiet service's lines still leave within this. */
const LOG_FLUSH_INTERVAL_MS = 250;

const WARN = pino.levels.values.warn ?? 40;

/**
 * Lines wait here until a batch is pending, then go to the stream in one write of at most LOG_WRITE_MAX_BYTES
 * (a longer line alone); a warning or worse goes at once, after every line logged before it.
 */
class BatchedLines implements DestinationStream {
  // Asks pino to set `lastLevel` (and the other `last*` fields) before each write.
  readonly [pino.symbols.needsMetadataGsym] = true;
  lastLevel = 0;
  private pending = '';
  private pendingBytes = 0;

  constructor(private readonly stream: ReturnType<typeof pino.destination>) {}

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.pendingBytes + bytes > LOG_WRITE_MAX_BYTES) this.flush();
    this.pending += line;
    this.pendingBytes += bytes;
    if (this.lastLevel >= WARN || this.pendingBytes >= LOG_BUFFER_BYTES) this.flush();
  }

  flush(): void {
    if (this.pendingBytes === 0) return;
    const batch = this.pending;
    this.pending = '';
    this.pendingBytes = 0;
    this.stream.write(batch);
  }
}

/**
 * A destination that writes whole lines in batches, on the event loop's own thread. Pino's default hands every
 * line to libuv's thread pool; under load the wake-ups that costs per access line (about one system call and half
 * a context switch per request) took 5–10 % of a 2-core machine's throughput (BENCHMARKS.md). A warning or worse
 * is written at once, after everything logged before it; what is still pending is written when the process
 * exits. A hard kill (SIGKILL, power loss) loses at most one batch.
 *
 * The batching is done here, and sonic-boom, given no minimum length, writes each batch at once. Its own batching
 * can only be emptied by `flushSync`, which fsyncs every time (3 ms a warning on a file, on the event loop, when an
 * outage logs one per request) and, on any error but EAGAIN (a full disk, a reader of stdout gone), retries forever
 * in 100 ms sleeps, freezing the process.
 */
export const bufferedDestination = (dest: number | string, flushIntervalMs = LOG_FLUSH_INTERVAL_MS): DestinationStream => {
  const stream = pino.destination({ dest, sync: true });
  // pino's own handler makes the stream a no-op after a broken pipe and passes any other error on. A log that
  // cannot be written (a full disk) must not take down, or throw into, the requests that log: the batch is lost.
  stream.on('error', () => {});
  const lines = new BatchedLines(stream);
  setInterval(() => lines.flush(), flushIntervalMs).unref();
  process.once('exit', () => lines.flush());
  return lines;
};

// One buffer per process for stdout: two would reorder each other's lines.
let stdout: DestinationStream | undefined;
const bufferedStdout = (): DestinationStream => (stdout ??= bufferedDestination(1));

type SerializedError = ReturnType<typeof pino.stdSerializers.err> & { aggregateErrors?: SerializedError[] };

const withoutStacks = ({ stack: _stack, aggregateErrors, ...rest }: SerializedError): Record<string, unknown> =>
  aggregateErrors === undefined ? rest : { ...rest, aggregateErrors: aggregateErrors.map(withoutStacks) };

/**
 * An error class that sets its own `name` has it copied beside `type`, where the censor on listeners' names
 * (`*.name`) would print it as "[redacted]", on every line that logs such an error. The same name as `type` is
 * left out; another one (pg's DatabaseError says "error", a DOMException "TimeoutError") is kept as `errorName`.
 */
const withoutCensoredName = (serialized: SerializedError): SerializedError => {
  // pino gives back what is not an error, or like one, as it is: a string, null, a plain object without a type.
  if (typeof serialized?.type !== 'string' || typeof serialized.name !== 'string') return serialized;
  const { name, ...rest } = serialized;
  return name === serialized.type ? rest : { ...rest, errorName: name };
};

const serialize = (error: Error): SerializedError => withoutCensoredName(pino.stdSerializers.err(error));

/**
 * pino's own error serializer, leaving out the stacks of an expected failure (and of the errors it aggregates,
 * as when a host name resolves to two addresses that both refuse). What is not an error is logged as it is.
 */
export const serializeError = (value: unknown): unknown => {
  if (!(value instanceof ExpectedFailure)) return serialize(value as Error);
  if (!(value.error instanceof Error)) return value.error;
  return withoutStacks(serialize(value.error));
};

/**
 * JSON lines on stdout, batched (see `bufferedDestination`). Redaction is a second line of defence: no code
 * logs bodies, cookies or tokens, and these paths are censored should one ever be passed in. The CLI passes
 * stderr as the destination, so that its stdout carries only the sessions it prints.
 */
export const createLogger = (level: LogLevel, destination: DestinationStream = bufferedStdout()): Logger =>
  pino({
    level,
    // In a cluster every worker writes to the same stdout: the pid tells their lines apart (and matches "a worker died").
    base: { service: 'livechat-session', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
    redact: {
      paths: [
        'name', 'city', 'country', 'sessionToken', 'token', 'cookie', 'cookies',
        '*.name', '*.city', '*.country', '*.sessionToken', '*.token',
        'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]',
        'body', '*.body', 'profile', '*.profile',
        // What a store's error carries of the request: ioredis attaches the failed command with its arguments
        // (the rate-limit key holds the client's address), PostgreSQL's detail can quote the row it refused.
        // (A cause's own fields are not logged: pino folds a cause into the message and stack.)
        'err.command.args', 'err.detail',
      ],
      censor: '[redacted]',
    },
  }, destination);

/**
 * Libraries that speak through the console (ioredis: `[WARN] This Redis server's default user does not require a
 * password, but a password was supplied`) would put plain text beside the JSON lines a log pipeline parses: the
 * server's console warnings and errors become log lines of their own. Returns what puts the console back.
 */
/* eslint-disable no-console -- taking the console over is what this does */
export const routeConsoleToLogger = (logger: Logger): (() => void) => {
  const { warn, error } = console;
  console.warn = (...args: unknown[]) => logger.warn({ source: 'console' }, format(...args));
  console.error = (...args: unknown[]) => logger.error({ source: 'console' }, format(...args));
  return () => {
    console.warn = warn;
    console.error = error;
  };
};
/* eslint-enable no-console */
