import Router from '@koa/router';
import type { Context } from 'koa';
import { localeOf } from '../locale.js';
import { ASSET_PATH, CHAT_PAGE_PATH, type Asset, type ChatPage } from './chatPageAssets.js';
import { pageSecurityHeaders } from './pageSecurity.js';

const send = (ctx: Context, asset: Asset, cacheControl: string): void => {
  ctx.set('Cache-Control', cacheControl);
  ctx.type = asset.type;
  ctx.etag = asset.etag;
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = asset.body;
};

/** GET /livechat (the entry page, in the listener's language) and its fingerprinted assets. */
export const chatPageRoutes = (page: ChatPage): Router => {
  const router = new Router();
  const headers = pageSecurityHeaders(page.sources);

  router.get(CHAT_PAGE_PATH, (ctx) => {
    ctx.set(headers);
    ctx.vary('Accept-Language');
    // Revalidated on every visit (cheap, by ETag), so a deploy's new asset names are picked up at once.
    send(ctx, page.pages[localeOf(ctx)], 'no-cache');
  });

  router.get(`${ASSET_PATH}/:file`, (ctx) => {
    const asset = page.assets.get(ctx.params.file ?? '');
    if (asset === undefined) return; // left unanswered: the error middleware's 404
    send(ctx, asset, 'public, max-age=31536000, immutable');
  });

  return router;
};
