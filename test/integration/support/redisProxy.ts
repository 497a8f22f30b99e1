import net from 'node:net';

/**
 * A TCP proxy on a spare port of 127.0.0.1 in front of a Redis, for faults between the service and Redis: it can
 * lose Redis's replies on every open connection (a network fault that drops bytes, after which a client matches
 * each reply to the wrong command), and send new connections to another server (a failover that moves the
 * address, while open connections stay with the old one).
 */
export class RedisProxy {
  private losingReplies = false;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<RedisProxy> {
    const server = net.createServer();
    const proxy = new RedisProxy(server, targetPort);
    server.on('connection', (client) => proxy.relay(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Redis's replies, on every connection, are dropped from now on (the commands still reach it). */
  loseReplies(): void {
    this.losingReplies = true;
  }

  passReplies(): void {
    this.losingReplies = false;
  }

  /** New connections go to this port; open ones stay where they are. */
  retarget(port: number): void {
    this.targetPort = port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!this.losingReplies) client.write(chunk);
    });
  }
}
