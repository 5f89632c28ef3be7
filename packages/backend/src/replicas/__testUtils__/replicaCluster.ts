import { LoggerService } from '@backstage/backend-plugin-api';
import { RunningPostgres, startPostgres, POSTGRES_CONNECTION_STRING_VARIABLE } from '@cellplane/embedded-postgres';
import { SandboxDataPlane, startSandboxDataPlane } from '@cellplane/sandbox';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSeededRepository, git, renderedObjects } from './git';
import { BACKEND_DIR, Replica, freePort, startReplica } from './replicaProcess';

/** What the replicas share: one PostgreSQL, one GitOps repository, one data plane. */
export interface ReplicaCluster {
  dir: string;
  repository: string;
  branch: string;
  seedCommit: string;
  dataPlane: SandboxDataPlane;
  replicas: Replica[];
  /** The configuration every replica gets (APP_CONFIG_* keys), without its own mirror. */
  sharedConfig: Record<string, unknown>;
  /** Starts one more replica on the shared services (another port, its own mirror). */
  startReplica(name: string): Promise<Replica>;
  /** Plays Argo CD: applies the branch head's rendered/ tree to the data plane. */
  syncDataPlane(): Promise<string>;
  stop(): Promise<void>;
}

/** A logger for the data plane's sync loop that writes to a file (the test's output stays readable). */
function fileLogger(file: string): LoggerService {
  const write = (level: string) => (message: string) => appendFileSync(file, `${new Date().toISOString()} ${level} ${message}\n`);
  const logger: LoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: () => undefined,
    child: () => logger,
  };
  return logger;
}

async function postgresServer(): Promise<{ connection: Record<string, unknown>; stop?: () => Promise<void> }> {
  // The PostgreSQL of this Jest run (packages/backend's global setup), or one of our own.
  let server: RunningPostgres | undefined;
  const connectionString = process.env[POSTGRES_CONNECTION_STRING_VARIABLE] ?? (server = await startPostgres()).connectionString;
  const url = new URL(connectionString);
  return {
    connection: {
      host: url.hostname,
      port: Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    },
    stop: server?.stop,
  };
}

/**
 * Starts what a deployment of several backend replicas shares, then the replicas: a PostgreSQL
 * server (each plugin's database under a prefix of its own), a bare GitOps repository in a temp
 * folder seeded from examples/gitops, and one Kubernetes API (the sandbox's test server and its
 * Argo CD stand-in, in this process) that every replica reads as a configured data plane.
 */
export async function startReplicaCluster(options: { replicas: string[]; config?: Record<string, unknown> }): Promise<ReplicaCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-replicas-'));
  const repository = join(dir, 'gitops.git');
  const branch = 'main';
  const seedCommit = createSeededRepository(repository, resolve(BACKEND_DIR, '..', '..', 'examples', 'gitops'), branch);
  const postgres = await postgresServer();
  const dataPlane = await startSandboxDataPlane({ logger: fileLogger(join(dir, 'data-plane.log')), podStartMs: 200 });

  const syncDataPlane = async () => {
    const head = git(repository, ['rev-parse', branch]).trim();
    await dataPlane.sync.sync(head, renderedObjects(repository, head));
    return head;
  };
  // Synced before any replica starts, so every replica discovers the same kinds (CRDs included).
  await syncDataPlane();

  const sharedConfig: Record<string, unknown> = {
    'backend.database': {
      client: 'pg',
      connection: postgres.connection,
      // Databases of their own on a server other tests may share: backstage_<prefix><plugin>.
      prefix: `replicas_${randomBytes(4).toString('hex')}_`,
    },
    'cellplane.gitops.url': repository,
    'cellplane.gitops.branch': branch,
    'cellplane.dataPlanes': [
      {
        name: 'default',
        url: dataPlane.server.url,
        skipTLSVerify: true,
        auth: { serviceAccountToken: dataPlane.connection.kubernetesPlugin!.serviceAccountToken },
      },
    ],
    // The frontend bundle is not what this is about, and packages/app/dist is built and rebuilt
    // by other work: the app backend is pointed at a package with no bundle, and serves none.
    'app.packageName': '@cellplane/embedded-postgres',
    // A task whose replica died (its heartbeat stale for 30 s) is reopened and run by another
    // replica, from its last completed step (docs/deployment.md).
    'scaffolder.taskRecovery.enabled': true,
    ...options.config,
  };

  const replicas: Replica[] = [];
  const start = async (name: string) => {
    const replica = await startReplica({
      name,
      port: await freePort(),
      logDir: dir,
      config: { ...sharedConfig, 'cellplane.gitops.cacheDir': join(dir, `mirror-${name}`) },
    });
    replicas.push(replica);
    return replica;
  };
  const cluster: ReplicaCluster = {
    dir,
    repository,
    branch,
    seedCommit,
    dataPlane,
    replicas,
    sharedConfig,
    startReplica: start,
    syncDataPlane,
    async stop() {
      await Promise.all(replicas.map(r => r.stop()));
      await dataPlane.stop();
      await postgres.stop?.();
      if (!process.env.CELLPLANE_KEEP_REPLICA_FILES) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // The first replica alone: on a new database every plugin runs its migrations, and Backstage's
    // plugins fail their start when another process holds the migration lock (a deployment rolls
    // out one replica first, or lets the orchestrator restart the one that lost; docs/deployment.md).
    const [first, ...others] = options.replicas;
    await start(first);
    await Promise.all(others.map(start));
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw error;
  }
  return cluster;
}
