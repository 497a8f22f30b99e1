import Router from '@koa/router';
import type { HttpMetrics } from './httpMetrics.js';
import { OPENAPI_PATH, serializedOpenApiDocument } from './openApiDocument.js';
import { precompress, sendPrecompressed } from './precompressedBody.js';

/** What the service says about itself: its Prometheus metrics and its OpenAPI document. */
export const introspectionRoutes = (metrics: HttpMetrics): Router => {
  const router = new Router();
  // The document is fixed for the life of the process, so it is compressed and tagged once, here.
  const document = precompress(serializedOpenApiDocument());

  router.get('/metrics', async (ctx) => {
    const { contentType, body } = await metrics.exposition();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });

  router.get(OPENAPI_PATH, (ctx) => {
    // Revalidated on every use (cheap, by ETag), so a client generator never works from an older deployment's copy.
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'application/json; charset=utf-8';
    sendPrecompressed(ctx, document);
  });

  return router;
};
