import 'reflect-metadata';
import { Container } from 'inversify';
import type { Redis } from 'ioredis';
import Keygrip from 'keygrip';
import type { Knex } from 'knex';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { HCaptchaVerifier } from '../adapters/captcha/hCaptchaVerifier.js';
import { expectedFailure } from '../adapters/http/expectedFailure.js';
import { GuestCookie } from '../adapters/http/guestCookie.js';
import type { HttpMetrics } from '../adapters/http/httpMetrics.js';
import { createHttpApp } from '../adapters/http/httpApp.js';
import { KnexSessionPruning } from '../adapters/persistence/knexSessionPruning.js';
import { KnexSessionRepository } from '../adapters/persistence/knexSessionRepository.js';
import { JwtTokenIssuer } from '../adapters/token/jwtTokenIssuer.js';
import { jsonWebKeySet } from '../adapters/token/signingKey.js';
import type { CaptchaVerifier } from '../application/ports/captchaVerifier.js';
import type { Clock } from '../application/ports/clock.js';
import type { IdGenerator } from '../application/ports/idGenerator.js';
import type { SessionPruning } from '../application/ports/sessionPruning.js';
import type { SessionRepository } from '../application/ports/sessionRepository.js';
import { PruneSessions } from '../application/pruneSessions.js';
import type { TokenIssuer } from '../application/ports/tokenIssuer.js';
import { StartSession } from '../application/startSession.js';
import type { Config } from './config.js';
import { createDatabase, latestMigrationName } from './database.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { ServiceReadiness } from './readiness.js';
import { createRedis } from './redis.js';
import { resolveCookieSecrets, resolveSigningKeys, type Secrets, type SigningKeys } from './secrets.js';
import { systemClock, uuidV7Generator } from './systemClock.js';
import { TracedSessionRepository } from './tracing/tracedSessionRepository.js';
import { TracedStartSession } from './tracing/tracedStartSession.js';
import { TracedCaptchaVerifier } from './tracing/tracedCaptchaVerifier.js';
import { TracedTokenIssuer } from './tracing/tracedTokenIssuer.js';
import { createTracing, type Tracing } from './tracing/tracing.js';
import { TYPES } from './types.js';

export interface ContainerOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Key prefix of the Redis rate-limit counters. */
  readonly rateLimitNamespace?: string;
}

/**
 * Sessions deleted per transaction by `livechat prune`: a batch takes milliseconds through the expiry index, well
 * inside the 2 s statement timeout, and holds few locks.
 */
const PRUNE_BATCH_SIZE = 1_000;

/** The composition root: the only place that knows which adapter serves which port. */
export const buildContainer = (config: Config, overrides: ContainerOverrides = {}): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  const logger = overrides.logger ?? createLogger(config.logLevel);

  container.bind<Config>(TYPES.Config).toConstantValue(config);
  container.bind<Logger>(TYPES.Logger).toConstantValue(logger);
  container.bind<SigningKeys>(TYPES.SigningKeys).toResolvedValue(() => resolveSigningKeys(config, logger));
  container
    .bind<Secrets>(TYPES.Secrets)
    .toResolvedValue((keys: SigningKeys) => ({ ...keys, cookieSecrets: resolveCookieSecrets(config, logger) }), [TYPES.SigningKeys]);
  container.bind<Knex>(TYPES.Database).toResolvedValue(() => createDatabase(config, logger));
  container
    .bind<Redis | undefined>(TYPES.Redis)
    .toResolvedValue(() => (config.redisUrl === undefined ? undefined : createRedis(config.redisUrl, logger)));
  container.bind<Clock>(TYPES.Clock).toConstantValue(overrides.clock ?? systemClock);
  container.bind<IdGenerator>(TYPES.IdGenerator).toConstantValue(uuidV7Generator);
  container.bind<HttpMetrics>(TYPES.Metrics).toResolvedValue(() => createMetrics());
  // Without an OTLP endpoint there is no tracer, and nothing below is wrapped: tracing then costs nothing.
  const tracing = createTracing(config.otel, logger);
  container.bind<Tracing | undefined>(TYPES.Tracing).toConstantValue(tracing);
  const tracer = tracing?.tracer;

  container
    .bind<SessionRepository>(TYPES.SessionRepository)
    .toResolvedValue((database: Knex) => {
      const repository = new KnexSessionRepository(database);
      return tracer === undefined ? repository : new TracedSessionRepository(repository, tracer);
    }, [TYPES.Database]);
  container
    .bind<TokenIssuer>(TYPES.TokenIssuer)
    .toResolvedValue(
      (keys: SigningKeys) => {
        const issuer = new JwtTokenIssuer(keys.signingKey, { issuer: config.jwt.issuer, audience: config.jwt.audience });
        return tracer === undefined ? issuer : new TracedTokenIssuer(issuer, tracer);
      },
      [TYPES.SigningKeys],
    );
  container
    .bind<CaptchaVerifier | undefined>(TYPES.CaptchaVerifier)
    .toResolvedValue(() => {
      if (config.captcha === undefined) return undefined;
      const verifier = new HCaptchaVerifier(config.captcha);
      return tracer === undefined ? verifier : new TracedCaptchaVerifier(verifier, tracer);
    });
  container
    .bind<StartSession>(TYPES.StartSession)
    .toResolvedValue(
      (sessions: SessionRepository, tokens: TokenIssuer, clock: Clock, ids: IdGenerator, captcha: CaptchaVerifier | undefined) => {
        const deps = { sessions, tokens, clock, ids, sessionLifetimeSeconds: config.jwt.ttlSeconds, captcha };
        return tracer === undefined ? new StartSession(deps) : new TracedStartSession(deps, tracer);
      },
      [TYPES.SessionRepository, TYPES.TokenIssuer, TYPES.Clock, TYPES.IdGenerator, TYPES.CaptchaVerifier],
    );
  container.bind<SessionPruning>(TYPES.SessionPruning).toResolvedValue((database: Knex) => new KnexSessionPruning(database), [TYPES.Database]);
  container
    .bind<PruneSessions>(TYPES.PruneSessions)
    .toResolvedValue(
      (pruning: SessionPruning, clock: Clock) => new PruneSessions({ pruning, clock, batchSize: PRUNE_BATCH_SIZE }),
      [TYPES.SessionPruning, TYPES.Clock],
    );
  container
    .bind<ServiceReadiness>(TYPES.Readiness)
    .toResolvedValue((database: Knex, redis: Redis | undefined) => new ServiceReadiness(database, redis, latestMigrationName()), [
      TYPES.Database,
      TYPES.Redis,
    ]);

  container
    .bind<Koa>(TYPES.HttpApp)
    .toResolvedValue(
      (startSession: StartSession, secrets: Secrets, redis: Redis | undefined, readiness: ServiceReadiness, metrics: HttpMetrics) =>
        createHttpApp({
          logger,
          startSession,
          guestCookie: new GuestCookie(new Keygrip([...secrets.cookieSecrets], 'sha256')),
          cookieSecurity: config.cookies.security,
          rateLimit: {
            backend: redis === undefined ? { kind: 'memory' } : { kind: 'redis', redis },
            max: config.rateLimit.max,
            windowMs: config.rateLimit.windowMs,
            namespace: overrides.rateLimitNamespace ?? 'livechat:ratelimit',
            onBackendFailure: (error, requestId) =>
              logger.warn({ err: expectedFailure(error), requestId }, 'rate limiter backend failed; request let through'),
          },
          readiness,
          jwks: jsonWebKeySet(secrets.publishedKeys),
          trustedProxyHops: config.trustedProxyHops,
          metrics,
          ...(tracer === undefined ? {} : { tracer }),
          captchaSitekey: config.captcha?.sitekey,
          chatClient: config.chatClient,
        }),
      [TYPES.StartSession, TYPES.Secrets, TYPES.Redis, TYPES.Readiness, TYPES.Metrics],
    );

  return container;
};
