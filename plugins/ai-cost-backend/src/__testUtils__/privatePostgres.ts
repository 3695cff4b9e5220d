import { execFile, execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folder of Debian's PostgreSQL packages: one `<major>/bin` per version. */
const DEBIAN_POSTGRES_DIR = '/usr/lib/postgresql';

/**
 * A PostgreSQL cluster that a test owns: its own data folder, socket
 * folder and port on 127.0.0.1, so that the test can stop and start it
 * without touching any other server.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly root: string,
    private readonly owner: { uid: number; gid: number } | undefined,
    readonly port: number,
  ) {}

  /**
   * Creates a cluster with trust authentication for the user postgres in
   * a new temporary folder and starts it. Under root, initdb refuses to
   * run, so the binaries run as the OS user postgres, which owns the
   * folder. Throws when Debian's PostgreSQL binaries are missing.
   */
  static async start(): Promise<PrivatePostgres> {
    const bin = findPostgresBin();
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    const root = mkdtempSync(join(tmpdir(), 'ai-cost-pg-'));
    if (owner) {
      chownSync(root, owner.uid, owner.gid);
    }
    const cluster = new PrivatePostgres(bin, root, owner, await freePort());

    await cluster.run('initdb', [
      '-D',
      cluster.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
    ]);
    await cluster.startServer();
    return cluster;
  }

  get connectionString(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.root, 'data');
  }

  /**
   * Options of the postgres server: TCP on 127.0.0.1 only, with the Unix
   * socket in the cluster's own folder. fsync is off because the data is
   * deleted after the test.
   */
  private get serverOptions(): string {
    return [
      `-p ${this.port}`,
      `-k ${this.root}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c max_connections=40',
    ].join(' ');
  }

  /** Starts the server and waits until it accepts connections. */
  async startServer(): Promise<void> {
    await this.run('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.root, 'server.log'),
      '-w',
      '-o',
      this.serverOptions,
      'start',
    ]);
  }

  /**
   * Stops the server in fast mode: PostgreSQL ends every session, which
   * then receives SQLSTATE 57P01, and rolls back open transactions.
   */
  async stopServer(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  /** Restarts the server in fast mode and waits until it is back. */
  async restartServer(): Promise<void> {
    await this.run('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.root, 'server.log'),
      '-m',
      'fast',
      '-w',
      '-o',
      this.serverOptions,
      'restart',
    ]);
  }

  /** Stops the server when it runs and deletes the cluster's folder. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      await this.stopServer();
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  private run(program: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile(
        join(this.bin, program),
        args,
        { cwd: this.root, uid: this.owner?.uid, gid: this.owner?.gid },
        (error, _stdout, stderr) => {
          if (error) {
            reject(
              new Error(`${program} ${args.join(' ')} failed: ${stderr}`, {
                cause: error,
              }),
            );
          } else {
            resolve();
          }
        },
      );
    });
  }
}

/** Returns the bin folder of the newest PostgreSQL major version installed. */
function findPostgresBin(): string {
  const majors = existsSync(DEBIAN_POSTGRES_DIR)
    ? readdirSync(DEBIAN_POSTGRES_DIR)
        .filter(name => /^\d+$/.test(name))
        .filter(name =>
          existsSync(join(DEBIAN_POSTGRES_DIR, name, 'bin', 'initdb')),
        )
        .sort((a, b) => Number(a) - Number(b))
    : [];
  if (majors.length === 0) {
    throw new Error(
      `No PostgreSQL server binaries in ${DEBIAN_POSTGRES_DIR}/<major>/bin; install the Debian package postgresql, which provides initdb and pg_ctl`,
    );
  }
  return join(DEBIAN_POSTGRES_DIR, majors[majors.length - 1], 'bin');
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    return { uid, gid };
  } catch (error) {
    throw new Error(
      'The OS user postgres is missing, and initdb does not run as root; install the Debian package postgresql, which creates the user',
      { cause: error },
    );
  }
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
