import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * JSON lines on stdout. Redaction is a second line of defence: no code logs bodies, cookies or tokens,
 * and these paths are censored should one ever be passed in. The CLI passes stderr as the destination, so
 * that its stdout carries only the sessions it prints.
 */
export const createLogger = (level: LogLevel, destination?: DestinationStream): Logger =>
  pino({
    level,
    base: { service: 'livechat-session' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'name', 'city', 'country', 'sessionToken', 'token', 'cookie', 'cookies',
        '*.name', '*.city', '*.country', '*.sessionToken', '*.token',
        'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]',
        'body', '*.body', 'profile', '*.profile',
      ],
      censor: '[redacted]',
    },
  }, destination);
