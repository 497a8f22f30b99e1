import Router from '@koa/router';
import type { Context } from 'koa';
import { LOCALES, type Locale } from '../../messages/locale.js';
import { localeOf } from '../locale.js';
import { precompress, sendPrecompressed, type PrecompressedBody } from '../precompressedBody.js';
import { ASSET_PATH, CHAT_PAGE_PATH, type Asset, type ChatPage } from './chatPageAssets.js';
import { ASSET_SECURITY_HEADERS, pageSecurityHeaders } from './pageSecurity.js';

/** An asset as it is sent: compressed once here, at start, rather than on every request. */
interface SendableAsset {
  readonly type: string;
  readonly body: PrecompressedBody;
}

const sendable = (asset: Asset): SendableAsset => ({ type: asset.type, body: precompress(asset.body) });

const send = (ctx: Context, asset: SendableAsset, cacheControl: string): void => {
  ctx.set('Cache-Control', cacheControl);
  ctx.type = asset.type;
  sendPrecompressed(ctx, asset.body);
};

/** GET /livechat (the entry page, in the listener's language) and its fingerprinted assets. */
export const chatPageRoutes = (page: ChatPage): Router => {
  const router = new Router();
  const headers = pageSecurityHeaders(page.sources);
  const pages = Object.fromEntries(LOCALES.map((locale) => [locale, sendable(page.pages[locale])])) as Record<Locale, SendableAsset>;
  const assets = new Map([...page.assets].map(([name, asset]) => [name, sendable(asset)]));

  router.get(CHAT_PAGE_PATH, (ctx) => {
    ctx.set(headers);
    ctx.vary('Accept-Language');
    // Revalidated on every visit (cheap, by ETag), so a deploy's new asset names are picked up at once.
    send(ctx, pages[localeOf(ctx)], 'no-cache');
  });

  router.get(`${ASSET_PATH}/:file`, (ctx) => {
    const asset = assets.get(ctx.params.file ?? '');
    if (asset === undefined) return; // left unanswered: the error middleware's 404
    ctx.set(ASSET_SECURITY_HEADERS);
    send(ctx, asset, 'public, max-age=31536000, immutable');
  });

  return router;
};
