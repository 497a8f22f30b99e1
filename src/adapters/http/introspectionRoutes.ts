import Router from '@koa/router';
import type { HttpMetrics } from './httpMetrics.js';
import { OPENAPI_PATH, serializedOpenApiDocument } from './openApiDocument.js';

/** What the service says about itself: its Prometheus metrics and its OpenAPI document. */
export const introspectionRoutes = (metrics: HttpMetrics): Router => {
  const router = new Router();
  const document = serializedOpenApiDocument();

  router.get('/metrics', async (ctx) => {
    const { contentType, body } = await metrics.exposition();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });

  router.get(OPENAPI_PATH, (ctx) => {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = document;
  });

  return router;
};
