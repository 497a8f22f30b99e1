import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../../../src/infrastructure/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import { startServer } from '../../../src/infrastructure/server.js';
import { TEST_COOKIE_SECRET, testPrivateKeyPem } from '../../support/keys.js';
import { testDatabaseUrl, testRedisUrl } from './testServices.js';

export interface TestApp {
  readonly baseUrl: string;
  readonly config: Config;
  readonly container: Container;
  readonly server: Server;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults; an empty string unsets one. */
  readonly env?: Record<string, string>;
  readonly logger?: Logger;
  /** Redis key prefix; fresh per app unless shared on purpose (two instances, one count). */
  readonly rateLimitNamespace?: string;
}

/** The real service, built by the real container, on a free port, against the test PostgreSQL and Redis. */
export const startTestApp = async (options: TestAppOptions = {}): Promise<TestApp> => {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      JWT_PRIVATE_KEY: testPrivateKeyPem(),
      COOKIE_SECRET: TEST_COOKIE_SECRET,
      MIGRATE_ON_START: 'false',
      RATE_LIMIT_MAX: '1000',
      LOG_LEVEL: 'silent',
      ...options.env,
    },
    () => {
      throw new Error('tests pass secrets inline');
    },
  );
  const container = buildContainer(config, {
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    rateLimitNamespace: options.rateLimitNamespace ?? `test:${randomUUID()}`,
  });
  const running = await startServer(container);
  return { baseUrl: `http://127.0.0.1:${running.port}`, config, container, server: running.server, stop: () => running.stop() };
};
