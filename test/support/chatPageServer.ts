import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pino from 'pino';
import { buildChatPage, type ChatPageOptions } from '../../src/adapters/http/chatPage/chatPageAssets.js';
import { chatPageRoutes } from '../../src/adapters/http/chatPage/chatPageRoutes.js';
import { errorMiddleware } from '../../src/adapters/http/errorMiddleware.js';
import { NO_METRICS } from '../../src/adapters/http/httpMetrics.js';

/** The chat page's routes alone, behind the service's error middleware, on a spare port. */
export const startPage = async (options: ChatPageOptions = {}): Promise<{ baseUrl: string; close(): Promise<void> }> => {
  const app = new Koa();
  app.silent = true;
  const router = chatPageRoutes(buildChatPage(options));
  app.use(errorMiddleware(pino({ level: 'silent' }), NO_METRICS));
  app.use(router.routes());
  app.use(router.allowedMethods());
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

/** The fingerprinted assets an HTML page links. */
export const assetUrls = (html: string): { style: string; icon: string; script: string } => ({
  style: /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!,
  icon: /<link rel="icon" href="([^"]+)"/.exec(html)![1]!,
  script: /<script src="([^"]+)" defer><\/script>/.exec(html)![1]!,
});
