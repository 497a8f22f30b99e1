import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
  readonly raw: string[];
}

/** A real pino logger (same redaction as production) writing into memory, for assertions on log lines. */
export const captureLogs = (createLogger?: (destination: Writable) => Logger): CapturedLogs => {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const logger = createLogger?.(destination) ?? pino({ level: 'trace' }, destination);
  return { logger, lines, raw };
};
