import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProviderConnection, EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { CELLPLANE_ANNOTATIONS, parseProblemsAnnotation } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY, createBareRepository, temporaryDirectory } from '@cellplane/backstage-plugin-node/testUtils';
import { join } from 'node:path';
import { CellplaneEntityProvider } from './CellplaneEntityProvider';

const COMPONENTS = 'namespaces/acme/projects/storefront/components';
const author = { name: 'Test', email: 'test@example.com' };

/** The catalog's side of the connection: records what the provider sent. */
class RecordingConnection implements EntityProviderConnection {
  readonly mutations: EntityProviderMutation[] = [];
  async applyMutation(mutation: EntityProviderMutation) {
    this.mutations.push(mutation);
  }
  async refresh() {}
  get last() {
    return this.mutations[this.mutations.length - 1];
  }
}

describe('CellplaneEntityProvider', () => {
  let dir: { path: string; cleanup(): void };
  let repository: GitOpsRepository;
  let provider: CellplaneEntityProvider;
  let connection: RecordingConnection;

  beforeEach(async () => {
    dir = temporaryDirectory('cellplane-provider-');
    const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir.path, 'cache') });
    provider = new CellplaneEntityProvider({
      config: { id: 'default', defaultOwner: 'group:default/team-platform', schedule: { frequency: { seconds: 5 }, timeout: { minutes: 1 } } },
      repository,
      logger: mockServices.logger.mock(),
    });
    connection = new RecordingConnection();
    await provider.connect(connection);
  });
  afterEach(() => dir.cleanup());

  const refsOf = (entities: Array<{ entity: any }>) => entities.map(e => stringifyEntityRef(e.entity)).sort();

  it('publishes the whole repository first, under its location key', async () => {
    const result = await provider.refresh();
    expect(result).toMatchObject({ mutation: 'full', added: 37, removed: 0 });
    const mutation = connection.last as Extract<EntityProviderMutation, { type: 'full' }>;
    expect(mutation.type).toBe('full');
    expect(mutation.entities.every(e => e.locationKey === 'cellplane-provider:default')).toBe(true);
    expect(refsOf(mutation.entities)).toEqual(
      expect.arrayContaining(['component:acme/web-shop', 'system:acme/storefront', 'domain:acme/acme', 'location:default/cellplane-provider-default-repository']),
    );
    expect(await provider.refresh()).toMatchObject({ mutation: 'none' });
    expect(connection.mutations).toHaveLength(1);
  });

  it('sends an entity before the APIs, systems and domains its relations point at', async () => {
    // The catalog stitches a relation target each time a neighbour is processed after it; in
    // this order every target is stitched once, with all its relations (see bench:catalog).
    await provider.refresh();
    const kinds = (connection.last as Extract<EntityProviderMutation, { type: 'full' }>).entities.map(e => e.entity.kind);
    const last = (kind: string) => kinds.lastIndexOf(kind);
    const first = (kind: string) => kinds.indexOf(kind);
    expect(first('Component')).toBe(0);
    expect(last('Component')).toBeLessThan(first('Resource'));
    expect(last('Resource')).toBeLessThan(first('API'));
    expect(last('API')).toBeLessThan(first('System'));
    expect(last('System')).toBeLessThan(first('Domain'));
    expect(kinds.length).toBe(37);
  });

  it('sends exactly the added, changed and removed entities of a commit', async () => {
    await provider.refresh();
    await repository.commit({
      message: 'Add reviews-api, describe search-api anew, remove notifications-ws',
      author,
      changes: async base => {
        const search = (await base.readFile(`${COMPONENTS}/search-api/component.yaml`))!.toString();
        const cart = (await base.readFile(`${COMPONENTS}/cart-api/component.yaml`))!.toString();
        const cartWorkload = (await base.readFile(`${COMPONENTS}/cart-api/workload.yaml`))!.toString();
        const model = await base.model();
        const removed = model
          .entries()
          .filter(e => e.file.startsWith(`${COMPONENTS}/notifications-ws/`))
          .map(e => ({ path: e.file, content: null }));
        return [
          { path: `${COMPONENTS}/reviews-api/component.yaml`, content: cart.replace(/cart-api/g, 'reviews-api') },
          { path: `${COMPONENTS}/reviews-api/workload.yaml`, content: cartWorkload.replace(/cart-api/g, 'reviews-api') },
          {
            path: `${COMPONENTS}/search-api/component.yaml`,
            content: search.replace(/openchoreo.dev\/description: .*/, 'openchoreo.dev/description: Search, rewritten'),
          },
          ...removed,
        ];
      },
    });

    const result = await provider.refresh();
    const mutation = connection.last as Extract<EntityProviderMutation, { type: 'delta' }>;
    expect(mutation.type).toBe('delta');
    expect(refsOf(mutation.added)).toEqual(['api:acme/reviews-api-grpc', 'component:acme/reviews-api', 'component:acme/search-api']);
    expect(mutation.removed.map(r => ('entityRef' in r ? r.entityRef : '')).sort()).toEqual([
      'api:acme/notifications-ws-events',
      'component:acme/notifications-ws',
    ]);
    expect(result).toMatchObject({ mutation: 'delta', added: 3, removed: 2 });
  });

  it('puts repository problems on the affected entity, and the rest on the repository location', async () => {
    await repository.commit({
      message: 'Break things',
      author,
      changes: async base => [
        { path: `${COMPONENTS}/cart-api/notes.yaml`, content: 'kind: [unclosed\n' },
        {
          path: `${COMPONENTS}/web-shop/workload.yaml`,
          content: (await base.readFile(`${COMPONENTS}/web-shop/workload.yaml`))!.toString().replace(/name: rest\b/, 'name: soap'),
        },
        {
          // Invalid, so not in the model: its folder still says which component it belongs to.
          path: `${COMPONENTS}/search-api/workload.yaml`,
          content: (await base.readFile(`${COMPONENTS}/search-api/workload.yaml`))!.toString().replace(/port: \d+/, 'port: 70000'),
        },
      ],
    });
    await provider.refresh();
    const mutation = connection.last as Extract<EntityProviderMutation, { type: 'full' }>;
    const byRef = new Map(mutation.entities.map(e => [stringifyEntityRef(e.entity), e.entity]));
    const problemsOf = (ref: string) => {
      const read = parseProblemsAnnotation(byRef.get(ref)?.metadata.annotations?.[CELLPLANE_ANNOTATIONS.problems]);
      expect(read.malformed).toBeUndefined();
      return read.problems;
    };

    expect(problemsOf('component:acme/web-shop')).toEqual([
      expect.stringMatching(/Component catalog-api has no endpoint "soap"/),
      // ...and the endpoint it uses on search-api went with search-api's invalid workload.
      expect.stringMatching(/Component search-api has no endpoint "graphql"/),
    ]);
    expect(problemsOf('location:default/cellplane-provider-default-repository')).toEqual([
      expect.stringMatching(/cart-api\/notes\.yaml:\d+: invalid YAML/),
    ]);
    expect(problemsOf('component:acme/search-api')).toEqual([expect.stringMatching(/port: must be 1-65535/)]);
    expect(problemsOf('component:acme/cart-api')).toEqual([]);
    expect(byRef.has('component:acme/payments-api')).toBe(true);
  });

  it('refuses to refresh before the catalog connected it', async () => {
    const unconnected = new CellplaneEntityProvider({
      config: { id: 'other', defaultOwner: 'group:default/x', schedule: { frequency: { seconds: 5 }, timeout: { minutes: 1 } } },
      repository,
      logger: mockServices.logger.mock(),
    });
    await expect(unconnected.refresh()).rejects.toThrow('cellplane-provider:other is not connected to the catalog yet');
  });
});
