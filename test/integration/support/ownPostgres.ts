import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/freePort.js';
import { RUNUSER } from './runuser.js';

const run = promisify(execFile);

const binDirectory = (): string => {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const latest = versions.at(-1);
  if (latest === undefined) throw new Error('No PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql)');
  return path.join('/usr/lib/postgresql', latest, 'bin');
};

/** initdb refuses to run as root, so as root every server command runs as the `postgres` user. */
const asServerUser = async (command: string, args: string[]): Promise<void> => {
  const program = path.join(binDirectory(), command);
  if (process.getuid?.() === 0) await run(RUNUSER, ['-u', 'postgres', '--', program, ...args]);
  else await run(program, args);
};

const postgresUserIds = async (): Promise<{ uid: number; gid: number }> => {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid), gid: Number(gid) };
};

/**
 * A PostgreSQL cluster of the test's own, on a spare port in a temporary directory, so that a test can stop
 * and start it without disturbing the shared server others use.
 */
export class OwnPostgres {
  private constructor(
    private readonly directory: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnPostgres> {
    const directory = mkdtempSync(path.join(tmpdir(), 'livechat-pg-'));
    if (process.getuid?.() === 0) {
      const { uid, gid } = await postgresUserIds();
      chownSync(directory, uid, gid);
    }
    const postgres = new OwnPostgres(directory, await freePort());
    await asServerUser('initdb', ['-D', postgres.dataDirectory, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await postgres.start();
    return postgres;
  }

  private get dataDirectory(): string {
    return path.join(this.directory, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.directory} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await asServerUser('pg_ctl', ['start', '-w', '-D', this.dataDirectory, '-l', path.join(this.directory, 'log'), '-o', options]);
  }

  /** Immediate: connections drop at once, as when the server crashes or its host disappears. */
  async stop(): Promise<void> {
    await asServerUser('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', this.dataDirectory]);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.directory, { recursive: true, force: true });
  }
}
