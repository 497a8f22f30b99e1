import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';

/** After an answer sent before its request's body arrived: how long the connection stays open for the client… */
const LINGER_MS = 2_000;
/** …and how much of that body is read meanwhile, at most. Go and nginx linger within similar bounds. */
const LINGER_BYTES = 256 * 1024;

/** Once the answer is out: the connection is destroyed when the linger is over, or earlier if the client closes. */
const endLingerOf = (socket: IncomingMessage['socket']): void => {
  if (socket.destroyed) return;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('close', () => clearTimeout(timer));
  // Node destroys the connection of a `Connection: close` answer the moment its end is sent (net's destroySoon),
  // unread bytes or not; the linger puts that off. Should Node do it otherwise one day, this removes nothing and
  // the connection closes at once, as before.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the very function destroySoon listens with
  socket.removeListener('finish', socket.destroy);
};

/**
 * An answer that goes out before its request's body has arrived (a 413 for a declared 100 GB, a 415, a 429, a
 * 417) would leave Node reading and discarding the rest until the 30 s request timeout: gigabytes over a fast
 * link. The connection closes instead. Not at once: a connection closed with bytes unread is reset, and a reset
 * can make the client drop the answer before it reads it. So it lingers, as Go's and nginx's do: the body is
 * discarded up to a cap, then no longer read (the client's sending stalls), and the connection is destroyed
 * shortly after the answer is out.
 */
export const closeAfterUnreadBody = (ctx: Context): void => {
  ctx.set('Connection', 'close');
  const { req, res } = ctx;
  let discarded = 0;
  // Read here rather than left to Node, which discards a body nobody read without a word, so it cannot be measured.
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    // Both: a request that flows asks its connection to read on.
    if (discarded > LINGER_BYTES) {
      req.pause();
      req.socket.pause();
    }
  });
  req.resume();
  res.once('finish', () => endLingerOf(req.socket));
};
