/**
 * A real Backstage catalog backend for benchmarks: its database (SQLite in memory, or a fresh
 * PostgreSQL server per run), its config, the catalog's own work counters, and the clock that
 * runs from backend start until every expected entity is queryable.
 */
import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { startPostgres } from '@cellplane/embedded-postgres';
import { createRequire } from 'node:module';
import { ownCpuSeconds, serverCpuSeconds } from './cpuSeconds';

export type BenchDatabase = 'sqlite' | 'postgres';
export const BENCH_DATABASES: readonly BenchDatabase[] = ['sqlite', 'postgres'];

export const seconds = (start: number) => (Date.now() - start) / 1000;
export const log = (message: string) => process.stderr.write(`${message}\n`);
export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
export const round2 = (n: number) => Number(n.toFixed(2));

/** `backend.database` for one run, and how to drop it afterwards. Every run gets a fresh one. */
export interface ProvisionedDatabase {
  config: Record<string, unknown>;
  /** CPU seconds the database server used so far, when it runs in processes of its own (0 for SQLite). */
  serverCpuSeconds(): number;
  release(): Promise<void>;
}

export async function provisionDatabase(database: BenchDatabase): Promise<ProvisionedDatabase> {
  if (database === 'sqlite') {
    return { config: { client: 'better-sqlite3', connection: ':memory:' }, serverCpuSeconds: () => 0, release: async () => {} };
  }
  // A fresh server per run (about 1 s to start): no run sees another's rows, dead tuples or cache.
  const server = await startPostgres();
  const { host, port, user, password } = server;
  return {
    config: { client: 'pg', connection: { host, port, user, password } },
    serverCpuSeconds: serverCpuSeconds(`-D ${server.dataDir} `),
    release: () => server.stop(),
  };
}

/** The config every catalog in a run shares; only the source of the entities differs. Plain JSON, as app-config is. */
export function catalogConfig(
  database: ProvisionedDatabase,
  catalog: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    backend: { database: database.config },
    events: { useEventBus: 'never' },
    catalog,
    ...extra,
  };
}

export interface CatalogWork {
  processings: number;
  stitches: number;
}

/** CPU seconds a run used: the bench process (the catalog, the provider, SQLite, git) and the database server. */
export interface CpuWork {
  processCpuSeconds: number;
  databaseCpuSeconds: number;
}

/**
 * The catalog's own work counters: entities processed and stitched. Read from the prom-client
 * registry the catalog backend itself registers them in (one per process, shared by every run),
 * so the figures say how much work each source cost the catalog, not just how long it took.
 */
function catalogWorkCounters(): () => Promise<CatalogWork> {
  const requireFromCatalog = createRequire(require.resolve('@backstage/plugin-catalog-backend'));
  const { register } = requireFromCatalog('prom-client') as typeof import('prom-client');
  const total = async (name: string) => {
    const metric = register.getSingleMetric(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    return values.reduce((sum, { value }) => sum + value, 0);
  };
  return async () => ({
    processings: await total('catalog_processed_entities_count'),
    stitches: await total('catalog_stitched_entities_count'),
  });
}

const workCounters = catalogWorkCounters();

/** Counts entities of the given kinds (everything but Location entities, which only one side has). */
async function countEntities(baseUrl: string, kinds: string[]): Promise<number> {
  const filters = kinds.map(kind => `filter=kind=${encodeURIComponent(kind.toLowerCase())}`).join('&');
  const response = await fetch(`${baseUrl}/api/catalog/entities/by-query?limit=1&${filters}`);
  if (!response.ok) throw new Error(`catalog query failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { totalItems: number }).totalItems;
}

/** What every side waits for: this many entities of these kinds, within the timeout. */
export interface Expectation {
  kinds: string[];
  expected: number;
  timeoutSeconds: number;
}

async function waitForCount(label: string, baseUrl: string, wanted: Expectation, start: number) {
  let lastReport = 0;
  for (;;) {
    const count = await countEntities(baseUrl, wanted.kinds);
    if (count >= wanted.expected) return seconds(start);
    if (seconds(start) > wanted.timeoutSeconds) {
      throw new Error(`${label}: only ${count} of ${wanted.expected} entities after ${wanted.timeoutSeconds} s`);
    }
    if (Date.now() - lastReport > 10_000) {
      log(`  ${label}: ${count} / ${wanted.expected} entities queryable after ${seconds(start).toFixed(0)} s`);
      lastReport = Date.now();
    }
    await sleep(250);
  }
}

/**
 * Hands out the catalog's database client, so a run can close it after the backend stopped.
 * Backstage's database manager (backend-defaults) closes nothing at shutdown: its check for
 * SQLite calls `includes` on the knex config object, which throws, and the error is swallowed.
 * Without this each stopped catalog keeps its PostgreSQL pool (which reconnects, and logs, when
 * its server stops) or its whole in-memory SQLite database for the rest of the bench.
 */
function catalogDatabaseHandle() {
  let client: { destroy(): Promise<void> } | undefined;
  const feature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-database-handle',
    register(reg) {
      reg.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          client = await database.getClient();
        },
      });
    },
  });
  return { feature, close: async () => client?.destroy() };
}

export interface TimedCatalog extends CatalogWork, CpuWork {
  /** From backend start until every expected entity was queryable. */
  seconds: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a catalog backend with these features and config, and times it until every expected
 * entity is queryable; the catalog keeps running (for a change measured after it) until stop().
 */
export async function startTimedCatalog(
  label: string,
  features: Parameters<typeof startTestBackend>[0]['features'],
  { config, database: provisioned }: { config: Record<string, unknown>; database: ProvisionedDatabase },
  wanted: Expectation,
): Promise<TimedCatalog> {
  const before = await workCounters();
  const database = catalogDatabaseHandle();
  const cpuBefore = { process: ownCpuSeconds(), database: provisioned.serverCpuSeconds() };
  const start = Date.now();
  const backend = await startTestBackend({
    features: [...(features ?? []), database.feature, mockServices.rootConfig.factory({ data: config as JsonObject })],
  });
  const url = `http://localhost:${(backend.server.address() as { port: number }).port}`;
  const elapsed = await waitForCount(label, url, wanted, start);
  const cpu = {
    processCpuSeconds: ownCpuSeconds() - cpuBefore.process,
    databaseCpuSeconds: provisioned.serverCpuSeconds() - cpuBefore.database,
  };
  const after = await workCounters();
  const work = { processings: after.processings - before.processings, stitches: after.stitches - before.stitches };
  log(
    `${label}: ${wanted.expected} entities queryable after ${elapsed.toFixed(1)} s (${work.processings} processings, ` +
      `${work.stitches} stitches; CPU ${cpu.processCpuSeconds.toFixed(1)} s + database ${cpu.databaseCpuSeconds.toFixed(1)} s)`,
  );
  const stop = async () => {
    await backend.stop();
    await database.close();
  };
  return { seconds: elapsed, ...work, ...cpu, url, stop };
}
