import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeChatServer {
  /** Where it serves the chat client's script. */
  readonly scriptUrl: string;
  /** Where it accepts WebSocket connections. */
  readonly websocketUrl: string;
  /** The WebSocket connections opened so far. */
  readonly connections: number;
  /** Set: the script is answered only once this promise settles (a slow CDN). */
  scriptHeldUntil: Promise<void> | undefined;
  close(): Promise<void>;
}

// RFC 6455: the server proves it speaks WebSocket by hashing the client's key with this GUID.
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * A local stand-in for the chat service, on its own origin as in production: it serves the chat client's script
 * and completes the WebSocket handshake (no frames are exchanged, the page's part ends with the connection open).
 */
export const startFakeChatServer = async (clientScript: string): Promise<FakeChatServer> => {
  const sockets = new Set<Socket>();
  const fake = { connections: 0, scriptHeldUntil: undefined as Promise<void> | undefined };
  const server = http.createServer((req, res) => {
    if (req.url !== '/chat-client.js') {
      res.writeHead(404).end();
      return;
    }
    const answer = (): void => {
      // CORS, as a CDN sends it: a script checked by Subresource Integrity is fetched in CORS mode.
      res
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store', 'access-control-allow-origin': '*' })
        .end(clientScript);
    };
    if (fake.scriptHeldUntil === undefined) answer();
    else void fake.scriptHeldUntil.then(answer);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const key = req.headers['sec-websocket-key'];
    if (req.url !== '/socket' || typeof key !== 'string') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}${WEBSOCKET_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    fake.connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    scriptUrl: `http://127.0.0.1:${port}/chat-client.js`,
    websocketUrl: `ws://127.0.0.1:${port}/socket`,
    close: () =>
      new Promise<void>((resolve) => {
        // Upgraded sockets are no longer the server's connections: closeAllConnections would leave them open.
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
};
