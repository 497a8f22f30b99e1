// What the seed's technical notes describe, written plainly: Express, express-validator, Sequelize,
// jsonwebtoken, express-rate-limit with a Redis store, cookie-parser. Given the same advantages as the
// service — one worker per core, no logging, and by default a parsed KeyObject for signing — so that the
// difference is the stack. SIGN_WITH=pem signs with the PEM string instead, as jsonwebtoken's README shows
// and as such code is usually written (the key is then parsed again for every token). It stores what the
// endpoint must store, a guest and its session in the service's tables, the way Sequelize code does it: two
// creates in a managed transaction, so that nothing is half-written.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import cookieParser from 'cookie-parser';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { body, matchedData, validationResult } from 'express-validator';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { RedisStore } from 'rate-limit-redis';
import { DataTypes, Sequelize } from 'sequelize';
import { runClustered, settings } from './clustered.js';

const config = settings();
const YEAR_MS = 31_536_000_000;

const serve = async () => {
  const pem = readFileSync(config.privateKeyFile, 'utf8');
  const key = process.env.SIGN_WITH === 'pem' ? pem : createPrivateKey(pem);
  const sequelize = new Sequelize(config.databaseUrl, { logging: false, pool: { max: config.databasePoolMax } });
  const Guest = sequelize.define(
    'Guest',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
    },
    { tableName: 'guests', timestamps: false },
  );
  const Session = sequelize.define(
    'Session',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      userId: { type: DataTypes.UUID, field: 'user_id' },
      userType: { type: DataTypes.TEXT, field: 'user_type' },
      name: DataTypes.TEXT,
      city: DataTypes.TEXT,
      country: DataTypes.TEXT,
      startedAt: { type: DataTypes.DATE, field: 'started_at' },
      expiresAt: { type: DataTypes.DATE, field: 'expires_at' },
    },
    { tableName: 'sessions', timestamps: false },
  );
  const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  await new Promise((resolve) => redis.once('ready', resolve));

  const place = (field) =>
    body(field)
      .exists({ values: 'null' }).withMessage(`${field} is required`)
      .bail()
      .isString().withMessage(`${field} must be text`)
      .bail()
      .trim()
      .isLength({ min: 2, max: 100 }).withMessage(`${field} must be 2 to 100 characters`)
      .matches(/^[\p{L}\p{M} .'()-]+$/u).withMessage(`${field} has characters that are not allowed`);

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.post(
    '/livechat/session',
    rateLimit({
      windowMs: config.rateLimitWindowMs,
      limit: config.rateLimitMax,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      store: new RedisStore({ prefix: 'bench-express:', sendCommand: (command, ...args) => redis.call(command, ...args) }),
    }),
    express.json({ limit: '16kb' }),
    cookieParser(config.cookieSecret),
    body('name')
      .exists({ values: 'null' }).withMessage('name is required')
      .bail()
      .isString().withMessage('name must be text')
      .bail()
      .trim()
      .isLength({ min: 1, max: 100 }).withMessage('name must be 1 to 100 characters')
      .matches(/^[\p{L}\p{M}\p{Nd} .'-]+$/u).withMessage('name has characters that are not allowed'),
    place('city'),
    place('country'),
    async (req, res, next) => {
      try {
        const errors = validationResult(req);
        if (!errors.isEmpty()) return res.status(422).json({ errors: errors.mapped() });
        const { name, city, country } = matchedData(req);
        const startedAt = new Date();
        const expiresAt = new Date(startedAt.getTime() + config.sessionLifetimeSeconds * 1000);
        const session = await sequelize.transaction(async (transaction) => {
          const guest = await Guest.create({ id: randomUUID(), createdAt: startedAt }, { transaction });
          return Session.create({ id: randomUUID(), userId: guest.id, userType: 'guest', name, city, country, startedAt, expiresAt }, { transaction });
        });
        const sessionToken = jwt.sign(
          { session_id: session.id, user_id: session.userId, user_type: 'guest', jti: session.id },
          key,
          { algorithm: 'RS256', keyid: 'bench', expiresIn: config.sessionLifetimeSeconds, issuer: 'livechat-session', audience: 'livechat-websocket', subject: session.userId },
        );
        const cookie = { maxAge: YEAR_MS, sameSite: 'lax' };
        res.cookie('livechat_name', name, cookie);
        res.cookie('livechat_city', city, cookie);
        res.cookie('livechat_country', country, cookie);
        res.cookie('livechat_guest', session.userId, { ...cookie, path: '/livechat', httpOnly: true, signed: true });
        res.set('Cache-Control', 'no-store');
        res.status(201).json({ sessionToken, sessionId: session.id, userId: session.userId, expiresAt: expiresAt.toISOString() });
      } catch (error) {
        next(error);
      }
    },
  );
  app.use((_error, _req, res, _next) => res.status(500).json({ errors: { body: ['internal'] } }));

  const server = await new Promise((resolve) => {
    const listening = app.listen(config.port, '127.0.0.1', () => resolve(listening));
  });
  server.keepAliveTimeout = 65_000;
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await Promise.allSettled([sequelize.close(), redis.quit()]);
  };
};

runClustered(config.workers, serve);
