import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { CELLPLANE_ANNOTATIONS, parseProblemsAnnotation } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryRevision } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY as EXAMPLE, author, eventually } from '@cellplane/backstage-plugin-node/testUtils';
import { Server } from 'node:http';
import { cellplaneTestDatabases, databasePerPlugin, databasesUnderTest } from '@cellplane/embedded-postgres';
import { modelToEntities } from './entities/modelToEntities';
import { catalogModuleCellplane } from './module';

const databases = cellplaneTestDatabases();

const STOREFRONT = 'namespaces/acme/projects/storefront/components';
/** Where the provider puts the problems that belong to no entity it publishes. */
const REPOSITORY_LOCATION = 'location:default/cellplane-provider-default-repository';

/** The refs the provider publishes for the repository's head: its entities and its Location. */
async function publishedRefs(url: string, cacheDir: string): Promise<string[]> {
  const model = await new GitOpsRepository({ url, branch: 'main', cacheDir }).model();
  const entities = modelToEntities(model, { defaultOwner: 'group:default/team-platform', locationKey: 'cellplane-provider:default' });
  return [...entities.map(e => stringifyEntityRef(e)), REPOSITORY_LOCATION].sort();
}

/** Every entity the catalog serves (stitched, so with its relations). */
async function catalogRefs(server: Server): Promise<string[]> {
  const response = await request(server).get('/api/catalog/entities/by-query?fields=kind,metadata.namespace,metadata.name&limit=1000');
  expect(response.status).toBe(200);
  expect(response.body.pageInfo?.nextCursor).toBeUndefined();
  return response.body.items.map((e: any) => stringifyEntityRef(e)).sort();
}

const giftCards = [
  {
    path: `${STOREFRONT}/gift-cards/component.yaml`,
    content: [
      'apiVersion: openchoreo.dev/v1alpha1',
      'kind: Component',
      'metadata: { name: gift-cards, namespace: acme }',
      'spec:',
      '  owner: { projectName: storefront }',
      '  componentType: { kind: ClusterComponentType, name: deployment/service }',
      '',
    ].join('\n'),
  },
  {
    path: `${STOREFRONT}/gift-cards/workload.yaml`,
    content: [
      'apiVersion: openchoreo.dev/v1alpha1',
      'kind: Workload',
      'metadata: { name: gift-cards, namespace: acme }',
      'spec:',
      '  owner: { projectName: storefront, componentName: gift-cards }',
      '  container: { image: ghcr.io/acme/gift-cards:1.0.0 }',
      '',
    ].join('\n'),
  },
];


const WEB_SHOP_WORKLOAD = `${STOREFRONT}/web-shop/workload.yaml`;
const NOTES = `${STOREFRONT}/cart-api/notes.yaml`;

/** Removes notifications-ws; web-shop uses an endpoint catalog-api lacks; a file that is not YAML. */
async function breakStorefront(base: RepositoryRevision) {
  const removed = (await base.model())
    .entries()
    .filter(e => e.file.startsWith(`${STOREFRONT}/notifications-ws/`))
    .map(e => ({ path: e.file, content: null }));
  expect(removed.length).toBeGreaterThan(0);
  const workload = (await base.readFile(WEB_SHOP_WORKLOAD))!.toString();
  return [
    ...removed,
    { path: WEB_SHOP_WORKLOAD, content: workload.replace(/name: rest\b/, 'name: soap') },
    { path: NOTES, content: 'kind: [unclosed\n' },
  ];
}

async function repairStorefront(base: RepositoryRevision) {
  const workload = (await base.readFile(WEB_SHOP_WORKLOAD))!.toString();
  return [
    { path: WEB_SHOP_WORKLOAD, content: workload.replace(/name: soap\b/, 'name: rest') },
    { path: NOTES, content: null },
  ];
}

describe('catalogModuleCellplane', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-catalog-module-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs its catalog tests on SQLite and on PostgreSQL', () => {
    expect(databasesUnderTest(databases)).toEqual({ postgresServer: true, ids: ['SQLITE_3', 'POSTGRES_18'] });
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    // Stopped after each test, so no catalog keeps processing while the next one runs.
    const running: Array<{ stop(): Promise<void> }> = [];
    afterEach(() => Promise.all(running.splice(0).map(backend => backend.stop())));

    /** The real catalog with this module, its database (one per plugin) of `databaseId`. */
    async function startCatalog(options: { webhook?: boolean; providerSchedule: object }) {
      const database = databasePerPlugin(databases, databaseId);
      const url = join(dir, 'gitops.git');
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleCellplane,
          database.factory,
          ...(options.webhook
            ? [
                eventsPlugin,
                // The real events service: the test backend's default gives each plugin a bus of
                // its own, so an event from the webhook plugin would never reach the catalog.
                eventsServiceFactory,
              ]
            : []),
          mockServices.rootConfig.factory({
            data: {
              cellplane: { gitops: { url, seedFrom: EXAMPLE, cacheDir: join(dir, 'cache') } },
              // One process: no need for the cross-replica bus, whose long poll slows shutdown.
              events: { http: { topics: ['cellplane.gitops.push'] }, useEventBus: 'never' },
              catalog: {
                rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain', 'Group', 'User'] }],
                providers: { cellplane: { schedule: options.providerSchedule } },
              },
            },
          }),
        ],
      });
      running.push(backend);
      return { server: backend.server, url, catalogDatabase: () => database.clientOf('catalog') };
    }

    it('publishes the example repository into a real catalog: every entity, with relations', async () => {
      const { server, url, catalogDatabase } = await startCatalog({
        providerSchedule: { frequency: { seconds: 1 }, timeout: { minutes: 1 } },
      });
      const expected = await publishedRefs(url, join(dir, 'expected-cache'));
      expect(expected.length).toBeGreaterThan(30);
      await eventually(async () => expect(await catalogRefs(server)).toEqual(expected), 60_000);

      const component = (await request(server).get('/api/catalog/entities/by-name/component/acme/web-shop')).body;
      expect(component.spec).toMatchObject({ type: 'web-application', system: 'storefront', owner: 'group:default/team-storefront' });
      expect(component.relations).toEqual(
        expect.arrayContaining([
          { type: 'partOf', targetRef: 'system:acme/storefront' },
          { type: 'consumesApi', targetRef: 'api:acme/payments-api-rest' },
          { type: 'ownedBy', targetRef: 'group:default/team-storefront' },
        ]),
      );
      // Cellplane's own kinds are accepted by the catalog (the processor validates them).
      const environment = (await request(server).get('/api/catalog/entities/by-name/environment/acme/production')).body;
      expect(environment).toMatchObject({ apiVersion: 'cellplane.dev/v1alpha1', spec: { isProduction: true } });
      // ...and they are in the database of this run, not in some default one.
      const knex = await catalogDatabase();
      expect(knex.client.config.client).toBe(databaseId === 'POSTGRES_18' ? 'pg' : 'better-sqlite3');
      const [{ count }] = await knex('final_entities').whereNotNull('final_entity').count({ count: '*' });
      expect(Number(count)).toBe(expected.length);
    }, 300_000);

    it('converges on each push at once when the webhook arrives: a new component, a removed one, a problem on its entity and its fix', async () => {
      // Polling so rarely that only the webhook can explain a change showing up.
      const { server, url } = await startCatalog({
        webhook: true,
        providerSchedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
      });
      const entity = (ref: string) => request(server).get(`/api/catalog/entities/by-name/${ref.replace(/[:/]/g, '/')}`);
      const problemsOf = async (ref: string) => {
        const response = await entity(ref);
        expect(response.status).toBe(200);
        const read = parseProblemsAnnotation(response.body.metadata.annotations?.[CELLPLANE_ANNOTATIONS.problems]);
        expect(read.malformed).toBeUndefined();
        return read.problems;
      };
      const push = async () => {
        const webhook = await request(server).post('/api/events/http/cellplane.gitops.push').send({ ref: 'refs/heads/main' });
        expect(webhook.status).toBe(202);
      };
      await eventually(async () => expect((await entity('component:acme/web-shop')).status).toBe(200), 60_000);

      const writer = new GitOpsRepository({ url, branch: 'main', cacheDir: join(dir, 'writer') });
      await writer.commit({ message: 'Add gift-cards', author, changes: () => giftCards });
      // The provider polls hourly, so only the webhook explains this; how fast it shows up is
      // bench:catalog's to measure, not an assertion on a busy machine.
      await push();
      await eventually(async () => expect((await entity('component:acme/gift-cards')).body).toMatchObject({ spec: { system: 'storefront' } }));

      await writer.commit({ message: 'Remove notifications-ws, break web-shop', author, changes: breakStorefront });
      await push();
      await eventually(async () => {
        expect((await entity('component:acme/notifications-ws')).status).toBe(404);
        expect((await entity('api:acme/notifications-ws-events')).status).toBe(404);
        expect(await problemsOf('component:acme/web-shop')).toEqual([
          expect.stringMatching(/Component catalog-api has no endpoint "soap"/),
        ]);
        expect(await problemsOf(REPOSITORY_LOCATION)).toEqual([expect.stringMatching(/cart-api\/notes\.yaml:\d+: invalid YAML/)]);
      });
      expect((await entity('component:acme/gift-cards')).status).toBe(200);

      await writer.commit({ message: 'Repair web-shop', author, changes: repairStorefront });
      await push();
      await eventually(async () => {
        expect(await problemsOf('component:acme/web-shop')).toEqual([]);
        expect(await problemsOf(REPOSITORY_LOCATION)).toEqual([]);
      });
      expect((await entity('component:acme/notifications-ws')).status).toBe(404);

      const unknownTopic = await request(server).post('/api/events/http/not-a-topic').send({});
      expect(unknownTopic.status).toBe(404);
    }, 300_000);
  });

  it('publishes a Template per ComponentType, with a form from its schema and the write action as its step', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleTemplateKind,
        catalogModuleCellplane,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: join(dir, 'gitops.git'), seedFrom: EXAMPLE, cacheDir: join(dir, 'cache') } },
            catalog: { rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain'] }] },
          },
        }),
      ],
    });
    let template: any;
    for (let i = 0; i < 150 && !template; i += 1) {
      const response = await request(server)
        .get('/api/catalog/entities/by-name/template/default/new-service')
        .set('Authorization', mockCredentials.user.header());
      template = response.status === 200 ? response.body : undefined;
      if (!template) await new Promise(r => setTimeout(r, 200));
    }
    expect(template.metadata.title).toBe('New Service');
    expect(template.spec.steps[0]).toMatchObject({ action: 'cellplane:component:create', input: { componentType: 'deployment/service' } });
  }, 60_000);
});
