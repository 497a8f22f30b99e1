import net from 'node:net';

export interface SilentServer {
  readonly port: number;
  /** Connections accepted so far, whether still open or not. */
  readonly connectionsAccepted: number;
  /** Stops listening, destroys every connection it accepted, and resolves once the server has closed. */
  close(): Promise<void>;
}

/**
 * A TCP server on a spare port of 127.0.0.1 that accepts connections and never answers: a database or a
 * Redis that hangs instead of refusing.
 */
export const startSilentServer = async (): Promise<SilentServer> => {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    get connectionsAccepted() {
      return accepted;
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        // close() stops accepting at once; its callback waits for the connections, which are destroyed now.
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
};
