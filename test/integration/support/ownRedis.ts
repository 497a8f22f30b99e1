import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../support/freePort.js';

/** A redis-server of the test's own on a spare port, with no persistence, that the test may kill and revive. */
export class OwnRedis {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async create(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server unless it runs already (a second one could not bind the port, and would hide the first). */
  async start(): Promise<void> {
    if (this.process !== undefined && this.process.exitCode === null) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', () => reject(new Error(`redis-server did not start:\n${output}`)));
    });
    this.process = child;
  }

  /** SIGSTOP: connections stay open and commands are taken, but nothing is answered, as when Redis stalls. */
  pause(): void {
    this.running().kill('SIGSTOP');
  }

  /** SIGCONT: the paused server answers again, what it was sent meanwhile first. */
  resume(): void {
    this.running().kill('SIGCONT');
  }

  private running(): ChildProcess {
    if (this.process === undefined || this.process.exitCode !== null) throw new Error('redis-server is not running');
    return this.process;
  }

  /** SIGKILL, which ends a paused server too. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }
}
