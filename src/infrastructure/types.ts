/** Service identifiers of the container: one per thing the composition root builds. */
export const TYPES = {
  Config: Symbol.for('Config'),
  Logger: Symbol.for('Logger'),
  Secrets: Symbol.for('Secrets'),
  SigningKeys: Symbol.for('SigningKeys'),
  Database: Symbol.for('Database'),
  Redis: Symbol.for('Redis'),
  Clock: Symbol.for('Clock'),
  IdGenerator: Symbol.for('IdGenerator'),
  SessionRepository: Symbol.for('SessionRepository'),
  TokenIssuer: Symbol.for('TokenIssuer'),
  CaptchaVerifier: Symbol.for('CaptchaVerifier'),
  StartSession: Symbol.for('StartSession'),
  Readiness: Symbol.for('Readiness'),
  HttpApp: Symbol.for('HttpApp'),
  Metrics: Symbol.for('Metrics'),
  Tracing: Symbol.for('Tracing'),
} as const;
