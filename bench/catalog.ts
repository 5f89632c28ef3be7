/**
 * yarn bench:catalog: 10,000 components in 1,000 projects into a real Backstage catalog
 * (catalog-backend on SQLite in memory), time until every entity is queryable, measured twice
 * in one run on the same entities:
 *
 * - cellplane: the GitOps repository in a bare Git repository, published by Cellplane's entity
 *   provider (one full mutation, then processing);
 * - locations: the same entities as catalog-info.yaml files, one per component (with the APIs it
 *   provides) and one per project, registered as catalog locations, the way teams describe
 *   components without Cellplane (location entity → read file → emitted entities → processing).
 *
 * Then, on the Cellplane catalog, the time from pushing a one-file change (a new component) to
 * seeing it in the catalog API, with the push event a Git host's webhook would send.
 *
 * Each catalog runs with the processing interval its source needs. Locations are re-read on the
 * catalog's processing loop, so that loop (Backstage's default: every 100-150 s) is how a
 * changed catalog-info.yaml is ever noticed. Cellplane pushes every change to the catalog
 * itself, so its catalog re-processes only to repair drift (every 30 minutes here): on this
 * machine a 17,000-entity catalog on the default interval is never done re-processing, and a
 * new entity queues behind the whole backlog. BENCH_SAME_INTERVAL=1 runs both on the default.
 * Last line: {"components","cellplaneSeconds","locationsSeconds","ratio","changeVisibleSeconds", ...}, with
 * the catalog's own count of processings and stitches on each side until all were queryable.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { EventsService, eventsServiceFactory, eventsServiceRef } from '@backstage/plugin-events-node';
import catalogModuleCellplane, { CellplaneEntitiesProcessor, modelToEntities } from '@cellplane/backstage-plugin-catalog-backend-module';
import { CELLPLANE_ANNOTATIONS } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, loadRepositoryModelFromGit } from '@cellplane/backstage-plugin-node';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { generateRepository } from './generateRepository';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 1000);
const COMPONENTS_PER_PROJECT = Number(process.env.BENCH_COMPONENTS_PER_PROJECT ?? 10);
const TIMEOUT_SECONDS = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 1800);
const AUTHOR = { name: 'bench', email: 'bench@localhost' };
const MANAGED_BY = ['backstage.io/managed-by-location', 'backstage.io/managed-by-origin-location'];

const seconds = (start: number) => (Date.now() - start) / 1000;
const log = (message: string) => process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The config both catalogs share; only the source of the entities differs. */
// Plain JSON, as app-config is.
function catalogConfig(catalog: Record<string, any>, extra: Record<string, any> = {}) {
  return {
    backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
    events: { useEventBus: 'never' },
    catalog,
    ...extra,
  };
}

const CELLPLANE_PROCESSING_INTERVAL = process.env.BENCH_SAME_INTERVAL ? undefined : { minutes: 30 };

/**
 * The catalog's own work counters: entities processed and stitched. Read from the prom-client
 * registry the catalog backend itself registers them in (one per process, shared by both runs),
 * so the figures say how much work each source cost the catalog, not just how long it took.
 */
function catalogWorkCounters(): () => Promise<{ processings: number; stitches: number }> {
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

const workSince = async (
  counters: () => Promise<{ processings: number; stitches: number }>,
  before: { processings: number; stitches: number },
) => {
  const now = await counters();
  return { processings: now.processings - before.processings, stitches: now.stitches - before.stitches };
};

/** Counts entities of the given kinds (everything but Location entities, which only one side has). */
async function countEntities(baseUrl: string, kinds: string[]): Promise<number> {
  const filters = kinds.map(kind => `filter=kind=${encodeURIComponent(kind.toLowerCase())}`).join('&');
  const response = await fetch(`${baseUrl}/api/catalog/entities/by-query?limit=1&${filters}`);
  if (!response.ok) throw new Error(`catalog query failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { totalItems: number }).totalItems;
}

async function waitForCount(label: string, baseUrl: string, kinds: string[], expected: number, start: number) {
  let lastReport = 0;
  for (;;) {
    const count = await countEntities(baseUrl, kinds);
    if (count >= expected) return seconds(start);
    if (seconds(start) > TIMEOUT_SECONDS) throw new Error(`${label}: only ${count} of ${expected} entities after ${TIMEOUT_SECONDS} s`);
    if (Date.now() - lastReport > 10_000) {
      log(`  ${label}: ${count} / ${expected} entities queryable after ${seconds(start).toFixed(0)} s`);
      lastReport = Date.now();
    }
    await sleep(250);
  }
}

/** Writes the entities as catalog-info.yaml files: one per component (with its APIs), one per project, one for the rest. */
function writeCatalogInfoFiles(entities: Entity[], root: string): string[] {
  const files = new Map<string, Entity[]>();
  for (const entity of entities) {
    const annotations = { ...entity.metadata.annotations };
    for (const key of MANAGED_BY) delete annotations[key];
    const project = annotations[CELLPLANE_ANNOTATIONS.project];
    const component = annotations[CELLPLANE_ANNOTATIONS.component];
    const file = component
      ? join(root, project ?? '_', component, 'catalog-info.yaml')
      : project
        ? join(root, project, 'catalog-info.yaml')
        : join(root, 'catalog-info.yaml');
    const list = files.get(file) ?? [];
    list.push({ ...entity, metadata: { ...entity.metadata, annotations }, relations: undefined } as Entity);
    files.set(file, list);
  }
  for (const [file, list] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, list.map(entity => yaml.dump(JSON.parse(JSON.stringify(entity)))).join('---\n'));
  }
  return [...files.keys()];
}

interface Measure {
  dir: string;
  kinds: string[];
  expected: number;
  rules: Array<{ allow: string[] }>;
  counters: ReturnType<typeof catalogWorkCounters>;
}

/** Cellplane's entity provider reading the repository, then a one-file change made visible. */
async function measureCellplane({ dir, kinds, expected, rules, counters }: Measure, bare: string, writer: GitOpsRepository) {
  const workBefore = await counters();
  log('Cellplane provider: starting a catalog on the repository...');
  let events: EventsService | undefined;
  const captureEvents = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-events',
    register(reg) {
      reg.registerInit({ deps: { service: eventsServiceRef }, async init({ service }) { events = service; } });
    },
  });
  let start = Date.now();
  const cellplane = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleCellplane,
      eventsServiceFactory,
      captureEvents,
      mockServices.rootConfig.factory({
        data: catalogConfig(
          {
            rules,
            ...(CELLPLANE_PROCESSING_INTERVAL ? { processingInterval: CELLPLANE_PROCESSING_INTERVAL } : {}),
            providers: { cellplane: { schedule: { frequency: { seconds: 2 }, timeout: { minutes: 5 } } } },
          },
          { cellplane: { gitops: { url: bare, branch: 'main', cacheDir: join(dir, 'cellplane-cache') } } },
        ),
      }),
    ],
  });
  const cellplaneUrl = `http://localhost:${(cellplane.server.address() as { port: number }).port}`;
  const cellplaneSeconds = await waitForCount('cellplane', cellplaneUrl, kinds, expected, start);
  const cellplaneWork = await workSince(counters, workBefore);
  log(
    `Cellplane provider: ${expected} entities queryable after ${cellplaneSeconds.toFixed(1)} s ` +
      `(${cellplaneWork.processings} processings, ${cellplaneWork.stitches} stitches)`,
  );

  log('Pushing a one-file change (a new component) and sending the push event...');
  const folder = 'namespaces/acme/projects/project-0/components/bench-added';
  start = Date.now();
  await writer.commit({
    message: 'Add bench-added',
    author: AUTHOR,
    changes: () => [
      {
        path: `${folder}/component.yaml`,
        content:
          'apiVersion: openchoreo.dev/v1alpha1\nkind: Component\nmetadata: { name: bench-added, namespace: acme }\nspec:\n  owner: { projectName: project-0 }\n  componentType: { kind: ClusterComponentType, name: deployment/service }\n',
      },
    ],
  });
  await events!.publish({ topic: 'cellplane.gitops.push', eventPayload: { ref: 'refs/heads/main' } });
  for (;;) {
    const response = await fetch(`${cellplaneUrl}/api/catalog/entities/by-name/component/acme/bench-added`);
    if (response.ok) break;
    if (seconds(start) > 120) throw new Error('the pushed component did not show up within 120 s');
    await sleep(50);
  }
  const changeVisibleSeconds = seconds(start);
  log(`One-file change visible after ${changeVisibleSeconds.toFixed(2)} s`);
  await cellplane.stop();

  return { cellplaneSeconds, cellplaneWork, changeVisibleSeconds };
}

/** The same entities as catalog-info.yaml files registered as locations. */
async function measureLocations({ dir, kinds, expected, rules, counters }: Measure, entities: Entity[]) {
  const catalogInfoFiles = writeCatalogInfoFiles(entities, join(dir, 'catalog-info'));
  log(`Locations: starting a catalog with ${catalogInfoFiles.length} catalog-info.yaml locations...`);
  const cellplaneKinds = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-cellplane-kinds',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addProcessor(new CellplaneEntitiesProcessor());
        },
      });
    },
  });
  const start = Date.now();
  const workBefore = await counters();
  const locations = await startTestBackend({
    features: [
      catalogPlugin,
      cellplaneKinds,
      mockServices.rootConfig.factory({
        data: catalogConfig({ rules, locations: catalogInfoFiles.map(target => ({ type: 'file', target })) }),
      }),
    ],
  });
  const locationsUrl = `http://localhost:${(locations.server.address() as { port: number }).port}`;
  const locationsSeconds = await waitForCount('locations', locationsUrl, kinds, expected, start);
  const locationsWork = await workSince(counters, workBefore);
  log(
    `Locations: ${expected} entities queryable after ${locationsSeconds.toFixed(1)} s ` +
      `(${locationsWork.processings} processings, ${locationsWork.stitches} stitches)`,
  );
  await locations.stop();

  return { locationsSeconds, locationsWork };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-bench-catalog-'));
  try {
    const components = PROJECTS * COMPONENTS_PER_PROJECT;
    log(`Generating ${components} components in ${PROJECTS} projects...`);
    const files = generateRepository({ projects: PROJECTS, componentsPerProject: COMPONENTS_PER_PROJECT });
    const bare = join(dir, 'gitops.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    const writer = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir, 'writer') });
    await writer.commit({ message: 'Generated', author: AUTHOR, changes: () => files });

    const model = await loadRepositoryModelFromGit(bare, 'main');
    const entities = modelToEntities(model, { defaultOwner: 'group:default/team-platform', locationKey: 'bench' });
    const kinds = [...new Set(entities.map(entity => entity.kind))].filter(kind => kind !== 'Location');
    const expected = entities.filter(entity => kinds.includes(entity.kind)).length;
    log(`${files.length} files; ${expected} entities of kinds ${kinds.join(', ')}`);
    const rules = [{ allow: [...kinds, 'Location', 'Group', 'User', 'Template'] }];

    const measure: Measure = { dir, kinds, expected, rules, counters: catalogWorkCounters() };
    const { cellplaneSeconds, cellplaneWork, changeVisibleSeconds } = await measureCellplane(measure, bare, writer);
    const { locationsSeconds, locationsWork } = await measureLocations(measure, entities);

    console.log(
      JSON.stringify({
        components,
        projects: PROJECTS,
        entities: expected,
        cellplaneSeconds: Number(cellplaneSeconds.toFixed(2)),
        locationsSeconds: Number(locationsSeconds.toFixed(2)),
        ratio: Number((locationsSeconds / cellplaneSeconds).toFixed(2)),
        changeVisibleSeconds: Number(changeVisibleSeconds.toFixed(2)),
        cellplaneProcessings: cellplaneWork.processings,
        cellplaneStitches: cellplaneWork.stitches,
        locationsProcessings: locationsWork.processings,
        locationsStitches: locationsWork.stitches,
        cellplaneProcessingInterval: CELLPLANE_PROCESSING_INTERVAL ? '30m' : 'default',
        locationsProcessingInterval: 'default',
        node: process.version,
        cpus: cpus().length,
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
