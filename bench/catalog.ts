/**
 * yarn bench:catalog: 10,000 components in 1,000 projects into a real Backstage catalog, timed
 * from backend start until every entity is queryable, for each database (SQLite in memory, and
 * PostgreSQL: a fresh real server per run) and each source of the same entities
 * (bench/catalogSides.ts):
 *
 * - floor: an in-memory provider sending exactly what Cellplane's providers publish as one full
 *   mutation (built before the clock starts): what the catalog engine itself allows;
 * - cellplane: the GitOps repository in a bare Git repository, read by Cellplane's catalog module
 *   (a fresh mirror each run); then the time from pushing a one-file change (a new component,
 *   with the push event a Git host's webhook sends) until the catalog API returns it;
 * - locations: the same entities as catalog-info.yaml files registered as `file` locations.
 *
 * Stitching: @backstage/plugin-catalog-backend 4 has only the deferred strategy (it removed
 * `catalog.stitchingStrategy.mode`, immediate included); what is left to set is how often the
 * stitcher polls its queue when idle (`pollingInterval`, default 1 s). Each BENCH_STITCHING entry
 * is `deferred` (the default) or `deferred:<N>ms`; the first runs every side, the others the floor
 * and Cellplane, so the comparison stays fair.
 *
 * Processing interval: the floor and Cellplane re-process every 30 minutes (the provider pushes
 * every change itself); locations keep Backstage's default (100-150 s), which is how a changed
 * catalog-info.yaml is ever noticed. BENCH_SAME_INTERVAL=1 runs all on the default.
 *
 * Options: BENCH_DATABASES=sqlite,postgres  BENCH_SIDES=floor,cellplane,locations
 * BENCH_STITCHING=deferred,deferred:100ms  BENCH_PROJECTS=1000  BENCH_COMPONENTS_PER_PROJECT=10
 * BENCH_CHANGE_SAMPLES=5  BENCH_TIMEOUT_SECONDS=1800. Progress on stderr; the last stdout line is one JSON object with,
 * per database and stitching, each side's seconds, processings and stitches, cellplane/floor,
 * locations/cellplane and Cellplane's change-visible seconds (median of the pushes).
 */
import { modelToEntities } from '@cellplane/backstage-plugin-catalog-backend-module';
import { GitOpsRepository, loadRepositoryModelFromGit } from '@cellplane/backstage-plugin-node';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DATABASES, BenchDatabase, log, provisionDatabase, round2 } from './catalogBackend';
import { AUTHOR, CatalogFixture, MEASURE, SIDES, Side, SideResult, floorEntities, warmUp, writeCatalogInfoFiles } from './catalogSides';
import { generateRepository } from './generateRepository';

interface Stitching {
  name: string;
  /** `catalog.stitchingStrategy`, or nothing for the catalog's default. */
  config?: Record<string, unknown>;
}

function parseList<T extends string>(variable: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const raw = process.env[variable];
  if (!raw) return [...fallback];
  const values = raw.split(',').map(value => value.trim()).filter(Boolean);
  for (const value of values) {
    if (!allowed.includes(value as T)) throw new Error(`${variable}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }
  return values as T[];
}

function parseStitching(entry: string): Stitching {
  if (entry === 'deferred') return { name: entry };
  const polling = entry.match(/^deferred:(\d+)ms$/);
  if (polling) return { name: entry, config: { pollingInterval: { milliseconds: Number(polling[1]) } } };
  if (entry === 'immediate') {
    throw new Error(
      'BENCH_STITCHING: @backstage/plugin-catalog-backend 4 removed the immediate strategy (catalog.stitchingStrategy.mode); stitching is always deferred',
    );
  }
  throw new Error(`BENCH_STITCHING: ${JSON.stringify(entry)} is not "deferred" or "deferred:<N>ms"`);
}

const OPTIONS = {
  projects: Number(process.env.BENCH_PROJECTS ?? 1000),
  componentsPerProject: Number(process.env.BENCH_COMPONENTS_PER_PROJECT ?? 10),
  timeoutSeconds: Number(process.env.BENCH_TIMEOUT_SECONDS ?? 1800),
  databases: parseList('BENCH_DATABASES', BENCH_DATABASES, BENCH_DATABASES),
  sides: parseList('BENCH_SIDES', SIDES, SIDES),
  stitching: (process.env.BENCH_STITCHING ?? 'deferred,deferred:100ms').split(',').map(entry => parseStitching(entry.trim())),
  processingInterval: process.env.BENCH_SAME_INTERVAL ? undefined : { minutes: 30 },
};

/** The generated repository in a bare Git repository, and everything derived from it before any clock starts. */
async function prepareFixture(dir: string): Promise<CatalogFixture> {
  const components = OPTIONS.projects * OPTIONS.componentsPerProject;
  log(`Generating ${components} components in ${OPTIONS.projects} projects...`);
  const files = generateRepository({ projects: OPTIONS.projects, componentsPerProject: OPTIONS.componentsPerProject });
  const bare = join(dir, 'gitops.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  const writer = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir, 'writer') });
  await writer.commit({ message: 'Generated', author: AUTHOR, changes: () => files });

  const model = await loadRepositoryModelFromGit(bare, 'main');
  const entities = modelToEntities(model, { defaultOwner: 'group:default/team-platform', locationKey: 'bench' });
  const kinds = [...new Set(entities.map(entity => entity.kind))].filter(kind => kind !== 'Location');
  const expected = entities.filter(entity => kinds.includes(entity.kind)).length;
  log(`${files.length} files; ${expected} entities of kinds ${kinds.join(', ')}`);
  return {
    dir,
    bare,
    writer,
    floorEntities: floorEntities(model, bare),
    catalogInfoFiles: OPTIONS.sides.includes('locations') ? writeCatalogInfoFiles(entities, join(dir, 'catalog-info')) : [],
    wanted: { kinds, expected, timeoutSeconds: OPTIONS.timeoutSeconds },
    rules: [{ allow: [...kinds, 'Location', 'Group', 'User', 'Template'] }],
  };
}

const loadAverage = () => loadavg().map(value => Number(value.toFixed(2)));

async function runSide(fixture: CatalogFixture, database: BenchDatabase, stitching: Stitching, side: Side) {
  const runId = `${database}-${stitching.name.replace(/\W+/g, '-')}-${side}`;
  log(`\n== ${database}, stitching ${stitching.name}, ${side} (load average ${loadAverage().join(' ')})`);
  const provisioned = await provisionDatabase(database);
  const loadAtStart = loadavg()[0];
  try {
    const interval = side === 'locations' ? undefined : OPTIONS.processingInterval;
    const result = await MEASURE[side](fixture, {
      runId,
      database: provisioned,
      catalog: {
        ...(interval ? { processingInterval: interval } : {}),
        ...(stitching.config ? { stitchingStrategy: stitching.config } : {}),
      },
    });
    return { ...result, loadAverage: [loadAtStart, loadavg()[0]].map(round2) };
  } finally {
    await provisioned.release();
  }
}

type Figures = Partial<Record<Side, SideResult & { loadAverage: number[] }>>;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const roundResult = (result?: SideResult & { loadAverage: number[] }) =>
  result && {
    seconds: round2(result.seconds),
    processings: result.processings,
    stitches: result.stitches,
    cpuSeconds: round2(result.processCpuSeconds + result.databaseCpuSeconds),
    databaseCpuSeconds: round2(result.databaseCpuSeconds),
    ...(result.changeVisibleSamples ? { changeVisibleSamples: result.changeVisibleSamples.map(round2) } : {}),
    /** The 1-minute load average when the run started and when it ended (the machine is shared). */
    loadAverage: result.loadAverage,
  };

const cpuOf = (result: SideResult) => result.processCpuSeconds + result.databaseCpuSeconds;

/** One stitching variant's figures on one database, with the ratios the issue asks for. */
function summarise(figures: Figures) {
  const { floor, cellplane, locations } = figures;
  return {
    floor: roundResult(floor),
    cellplane: roundResult(cellplane),
    locations: roundResult(locations),
    cellplaneOverFloor: floor && cellplane ? Number((cellplane.seconds / floor.seconds).toFixed(3)) : undefined,
    cellplaneOverFloorCpu: floor && cellplane ? Number((cpuOf(cellplane) / cpuOf(floor)).toFixed(3)) : undefined,
    locationsOverCellplane: cellplane && locations ? round2(locations.seconds / cellplane.seconds) : undefined,
    /** The median of Cellplane's one-file pushes. */
    changeVisibleSeconds: cellplane?.changeVisibleSamples?.length ? round2(median(cellplane.changeVisibleSamples)) : undefined,
  };
}

async function runAll(fixture: CatalogFixture) {
  const results: Record<string, Record<string, ReturnType<typeof summarise>>> = {};
  for (const database of OPTIONS.databases) {
    results[database] = {};
    const warmUpDatabase = await provisionDatabase(database);
    await warmUp(fixture, warmUpDatabase).finally(() => warmUpDatabase.release());
    for (const [index, stitching] of OPTIONS.stitching.entries()) {
      const sides = index === 0 ? OPTIONS.sides : OPTIONS.sides.filter(side => side !== 'locations');
      const figures: Figures = {};
      for (const side of sides) figures[side] = await runSide(fixture, database, stitching, side);
      results[database][stitching.name] = summarise(figures);
      log(`${database}, stitching ${stitching.name}: ${JSON.stringify(results[database][stitching.name])}`);
    }
  }
  return results;
}

async function main() {
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-bench-catalog-'));
  try {
    const fixture = await prepareFixture(dir);
    const results = await runAll(fixture);
    console.log(
      JSON.stringify({
        components: OPTIONS.projects * OPTIONS.componentsPerProject,
        projects: OPTIONS.projects,
        entities: fixture.wanted.expected,
        results,
        processingInterval: { floor: OPTIONS.processingInterval ? '30m' : 'default', cellplane: OPTIONS.processingInterval ? '30m' : 'default', locations: 'default' },
        startedAt: startedAt.toISOString(),
        minutes: Number(((Date.now() - startedAt.getTime()) / 60_000).toFixed(1)),
        loadAverage: { start: loadAtStart, end: loadAverage() },
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
