/**
 * The three sources bench:catalog feeds the same entities into a real catalog from:
 *
 * - floor: a provider that holds the entities in memory (no Git, no files) and sends them as one
 *   full mutation: what the catalog engine itself allows;
 * - cellplane: Cellplane's catalog module reading the GitOps repository from a bare Git
 *   repository (then a one-file push, until it is visible);
 * - locations: the same entities as catalog-info.yaml files registered as `file` locations.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { EventsService, eventsServiceFactory, eventsServiceRef } from '@backstage/plugin-events-node';
import catalogModuleCellplane, {
  CellplaneEntitiesProcessor,
  componentTypeTemplates,
  modelToEntities,
} from '@cellplane/backstage-plugin-catalog-backend-module';
import { CELLPLANE_ANNOTATIONS } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { CpuWork, Expectation, ProvisionedDatabase, catalogConfig, log, seconds, sleep, startTimedCatalog } from './catalogBackend';

export type Side = 'floor' | 'cellplane' | 'locations';
export const SIDES: readonly Side[] = ['floor', 'cellplane', 'locations'];

export const AUTHOR = { name: 'bench', email: 'bench@localhost' };
const DEFAULT_OWNER = 'group:default/team-platform';
const MANAGED_BY = ['backstage.io/managed-by-location', 'backstage.io/managed-by-origin-location'];

/** What every run shares: the repository, its entities, and what "all queryable" means. */
export interface CatalogFixture {
  dir: string;
  /** The bare GitOps repository Cellplane reads (its tree is the generated one between runs). */
  bare: string;
  writer: GitOpsRepository;
  /** The floor's one full mutation: what Cellplane's providers publish for this repository. */
  floorEntities: DeferredEntity[];
  /** catalog-info.yaml files, one location each (written only when the locations side runs). */
  catalogInfoFiles: string[];
  wanted: Expectation;
  rules: Array<{ allow: string[] }>;
}

/** One run's database and catalog settings (processing interval, stitching strategy). */
export interface SideSettings {
  runId: string;
  database: ProvisionedDatabase;
  catalog: Record<string, unknown>;
}

export interface SideResult extends CpuWork {
  seconds: number;
  processings: number;
  stitches: number;
  /** Cellplane only: seconds from each one-file push to the entity in the catalog API. */
  changeVisibleSamples?: number[];
}

const resultOf = ({ seconds: elapsed, processings, stitches, processCpuSeconds, databaseCpuSeconds }: SideResult): SideResult => ({
  seconds: elapsed,
  processings,
  stitches,
  processCpuSeconds,
  databaseCpuSeconds,
});

/** The module that lets a catalog without Cellplane's module accept Cellplane's kinds. */
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

// ---------------------------------------------------------------------------------------------
// floor

/**
 * The order CellplaneEntityProvider sends a full mutation in (its PROCESSING_RANK): entities
 * that declare relations before the ones they point at, so each target is stitched once.
 */
const PROCESSING_RANK: Record<string, number> = { Component: 0, Resource: 1, API: 2, System: 3, Domain: 4 };

/**
 * What Cellplane's providers publish for a repository without problems, built from the catalog
 * module's own exports: modelToEntities (CellplaneEntityProvider, under its location key, in its
 * order, plus the Location entity for the repository that attachProblems adds) and
 * componentTypeTemplates (ComponentTypeTemplateProvider).
 */
export function floorEntities(model: RepositoryModel, repositoryUrl: string): DeferredEntity[] {
  if (model.problems.some(problem => problem.severity === 'error')) {
    throw new Error('the floor mirrors a repository without problems; this one has some');
  }
  const providerName = 'cellplane-provider:default';
  const rank = (entity: Entity) => PROCESSING_RANK[entity.kind] ?? 5;
  const entities = [
    ...modelToEntities(model, { defaultOwner: DEFAULT_OWNER, locationKey: providerName }),
    repositoryLocation(providerName, repositoryUrl),
  ].sort((a, b) => rank(a) - rank(b));
  const templates = componentTypeTemplates(model, { owner: DEFAULT_OWNER, locationRef: `cellplane-gitops:${repositoryUrl}` });
  return [
    ...entities.map(entity => ({ entity, locationKey: providerName })),
    ...templates.map(entity => ({ entity, locationKey: 'cellplane-component-type-templates' })),
  ];
}

/** The Location entity CellplaneEntityProvider adds for the repository (it carries the problems). */
function repositoryLocation(providerName: string, repositoryUrl: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: `${providerName.replace(/[^a-zA-Z0-9]+/g, '-')}-repository`,
      namespace: 'default',
      title: 'Cellplane GitOps repository',
      description: `The GitOps repository ${repositoryUrl}, read by ${providerName}`,
      annotations: {
        'backstage.io/managed-by-location': `cellplane:${repositoryUrl}`,
        'backstage.io/managed-by-origin-location': `cellplane:${repositoryUrl}`,
      },
    },
    spec: { type: 'cellplane', targets: [] },
  };
}

/** Holds the entities in memory and sends them as one full mutation when the catalog connects. */
class InMemoryEntityProvider implements EntityProvider {
  constructor(private readonly entities: DeferredEntity[]) {}

  getProviderName() {
    return 'bench-floor';
  }

  async connect(connection: EntityProviderConnection) {
    // Not awaited, as a scheduled task's first run is not: the catalog starts meanwhile.
    connection.applyMutation({ type: 'full', entities: this.entities }).catch(error => log(`floor: mutation failed: ${error}`));
  }
}

function inMemoryProviderModule(entities: DeferredEntity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-floor',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider(new InMemoryEntityProvider(entities));
        },
      });
    },
  });
}

export async function measureFloor(fixture: CatalogFixture, settings: SideSettings): Promise<SideResult> {
  log(`floor: starting a catalog with an in-memory provider of ${fixture.floorEntities.length} entities...`);
  const catalog = await startTimedCatalog(
    'floor',
    [catalogPlugin, cellplaneKinds, inMemoryProviderModule(fixture.floorEntities)],
    { database: settings.database, config: catalogConfig(settings.database, { rules: fixture.rules, ...settings.catalog }) },
    fixture.wanted,
  );
  await catalog.stop();
  return resultOf(catalog);
}

// ---------------------------------------------------------------------------------------------
// cellplane

const CHANGE_SAMPLES = Number(process.env.BENCH_CHANGE_SAMPLES ?? 5);
const addedFolder = (n: number) => `namespaces/acme/projects/project-0/components/bench-added-${n}`;

/** Pushes a new component with the push event a Git host's webhook sends; seconds until the catalog API returns it. */
async function measureOneChange(fixture: CatalogFixture, url: string, events: EventsService, n: number) {
  const start = Date.now();
  await fixture.writer.commit({
    message: `Add bench-added-${n}`,
    author: AUTHOR,
    changes: () => [
      {
        path: `${addedFolder(n)}/component.yaml`,
        content: `apiVersion: openchoreo.dev/v1alpha1\nkind: Component\nmetadata: { name: bench-added-${n}, namespace: acme }\nspec:\n  owner: { projectName: project-0 }\n  componentType: { kind: ClusterComponentType, name: deployment/service }\n`,
      },
    ],
  });
  await events.publish({ topic: 'cellplane.gitops.push', eventPayload: { ref: 'refs/heads/main' } });
  for (;;) {
    const response = await fetch(`${url}/api/catalog/entities/by-name/component/acme/bench-added-${n}`);
    if (response.ok) return seconds(start);
    if (seconds(start) > 120) throw new Error(`the pushed component bench-added-${n} did not show up within 120 s`);
    await sleep(50);
  }
}

/**
 * One-file pushes, one after the other: the seconds each took to be visible. The pauses between
 * them are random (0.5-2 s), so the pushes fall at different points of the catalog's 1 s polling
 * loops instead of all at the same one.
 */
async function measureChangeVisible(fixture: CatalogFixture, url: string, events: EventsService) {
  log(`cellplane: ${CHANGE_SAMPLES} one-file pushes (a new component each) with the push event...`);
  const samples: number[] = [];
  for (let n = 1; n <= CHANGE_SAMPLES; n += 1) {
    samples.push(await measureOneChange(fixture, url, events, n));
    await sleep(500 + Math.random() * 1500);
  }
  log(`cellplane: one-file change visible after ${samples.map(s => s.toFixed(2)).join(', ')} s`);
  return samples;
}

/** Takes the added components out again, so the next run reads the generated tree. */
async function revertChanges(fixture: CatalogFixture) {
  await fixture.writer.commit({
    message: 'Remove the bench-added components',
    author: AUTHOR,
    changes: () => Array.from({ length: CHANGE_SAMPLES }, (_, i) => ({ path: `${addedFolder(i + 1)}/component.yaml`, content: null })),
  });
}

export async function measureCellplane(fixture: CatalogFixture, settings: SideSettings): Promise<SideResult> {
  log('cellplane: starting a catalog on the repository (a fresh mirror)...');
  let events: EventsService | undefined;
  const captureEvents = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-events',
    register(reg) {
      reg.registerInit({ deps: { service: eventsServiceRef }, async init({ service }) { events = service; } });
    },
  });
  const catalog = await startTimedCatalog(
    'cellplane',
    [catalogPlugin, catalogModuleCellplane, eventsServiceFactory, captureEvents],
    {
      database: settings.database,
      config: catalogConfig(
        settings.database,
        {
          rules: fixture.rules,
          ...settings.catalog,
          providers: { cellplane: { schedule: { frequency: { seconds: 2 }, timeout: { minutes: 5 } } } },
        },
        { cellplane: { gitops: { url: fixture.bare, branch: 'main', cacheDir: join(fixture.dir, `mirror-${settings.runId}`) } } },
      ),
    },
    fixture.wanted,
  );
  try {
    const changeVisibleSamples = await measureChangeVisible(fixture, catalog.url, events!);
    return { ...resultOf(catalog), changeVisibleSamples };
  } finally {
    await catalog.stop();
    await revertChanges(fixture);
  }
}

// ---------------------------------------------------------------------------------------------
// locations

/** Writes the entities as catalog-info.yaml files: one per component (with its APIs), one per project, one for the rest. */
export function writeCatalogInfoFiles(entities: Entity[], root: string): string[] {
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

export async function measureLocations(fixture: CatalogFixture, settings: SideSettings): Promise<SideResult> {
  log(`locations: starting a catalog with ${fixture.catalogInfoFiles.length} catalog-info.yaml locations...`);
  const catalog = await startTimedCatalog(
    'locations',
    [catalogPlugin, cellplaneKinds],
    {
      database: settings.database,
      config: catalogConfig(settings.database, {
        rules: fixture.rules,
        ...settings.catalog,
        locations: fixture.catalogInfoFiles.map(target => ({ type: 'file', target })),
      }),
    },
    fixture.wanted,
  );
  await catalog.stop();
  return resultOf(catalog);
}

/**
 * Runs the floor with a few hundred of the entities on a fresh database, so that the first
 * measured run does not pay alone for loading the catalog's code, its migrations, the database
 * driver and the JIT's first passes over processing and stitching.
 */
export async function warmUp(fixture: CatalogFixture, database: ProvisionedDatabase) {
  const entities = fixture.floorEntities.slice(0, 300);
  const catalog = await startTimedCatalog(
    'warm-up',
    [catalogPlugin, cellplaneKinds, inMemoryProviderModule(entities)],
    { database, config: catalogConfig(database, { rules: fixture.rules }) },
    {
      ...fixture.wanted,
      expected: entities.filter(({ entity }) => fixture.wanted.kinds.includes(entity.kind)).length,
    },
  );
  await catalog.stop();
}

export const MEASURE: Record<Side, (fixture: CatalogFixture, settings: SideSettings) => Promise<SideResult>> = {
  floor: measureFloor,
  cellplane: measureCellplane,
  locations: measureLocations,
};
