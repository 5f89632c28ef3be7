import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import catalogModuleCellplane from '@cellplane/backstage-plugin-catalog-backend-module';
import { cellplaneTestDatabases, databasePerPlugin, databasesUnderTest } from '@cellplane/embedded-postgres';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { commitFiles, createSeededRepository } from './__testUtils__/git';
import { BACKEND_DIR } from './__testUtils__/replicaProcess';
import { waitFor } from './__testUtils__/waitFor';

/*
 * The catalog module on two replicas that share the catalog's PostgreSQL database, started in
 * this process so that the test decides which replica publishes each commit: with an hourly
 * schedule, each publishes only on the push webhook it receives (as a load balancer hands them
 * out). A delta computed from what the publishing replica last published, instead of what the
 * catalog holds, would leave a change that the other replica published and a later commit undid.
 */

jest.setTimeout(5 * 60_000);

const databases = cellplaneTestDatabases();
const EXAMPLE = resolve(BACKEND_DIR, '..', '..', 'examples', 'gitops');
const COMPONENTS = 'namespaces/acme/projects/storefront/components';
const CART_API = `${COMPONENTS}/cart-api/component.yaml`;
const original = readFileSync(join(EXAMPLE, CART_API), 'utf8');
const giftCards = [
  {
    path: `${COMPONENTS}/gift-cards/component.yaml`,
    content:
      'apiVersion: openchoreo.dev/v1alpha1\nkind: Component\nmetadata: { name: gift-cards, namespace: acme }\nspec:\n  owner: { projectName: storefront }\n  componentType: { kind: ClusterComponentType, name: deployment/service }\n',
  },
  {
    path: `${COMPONENTS}/gift-cards/workload.yaml`,
    content:
      'apiVersion: openchoreo.dev/v1alpha1\nkind: Workload\nmetadata: { name: gift-cards, namespace: acme }\nspec:\n  owner: { projectName: storefront, componentName: gift-cards }\n  container: { image: ghcr.io/acme/gift-cards:1.0.0 }\n',
  },
];

describe('the catalog module on two replicas sharing one database', () => {
  let dir: string;
  const running: Array<{ stop(): Promise<void> }> = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-catalog-replicas-'));
  });
  afterAll(async () => {
    await Promise.all(running.map(backend => backend.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs on PostgreSQL', () => {
    expect(databasesUnderTest(databases).postgresServer).toBe(true);
  });

  it('holds the head\'s entities when a change and its undo are published by different replicas', async () => {
    const url = join(dir, 'gitops.git');
    createSeededRepository(url, EXAMPLE);
    const database = databasePerPlugin(databases, 'POSTGRES_18'); // one database per plugin, shared
    const start = async (name: string) => {
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleCellplane,
          database.factory,
          eventsPlugin,
          eventsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              cellplane: { gitops: { url, cacheDir: join(dir, `mirror-${name}`) } },
              events: { http: { topics: ['cellplane.gitops.push'] }, useEventBus: 'never' },
              catalog: {
                rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain', 'Group', 'User'] }],
                providers: { cellplane: { schedule: { frequency: { hours: 1 }, timeout: { minutes: 3 } } } },
              },
            },
          }),
        ],
      });
      running.push(backend);
      const address = backend.server.address();
      return `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
    };
    // One after the other: the first runs the catalog's migrations.
    const a = await start('a');
    const b = await start('b');
    const push = async (replica: string) => {
      const response = await fetch(`${replica}/api/events/http/cellplane.gitops.push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ref: 'refs/heads/main' }),
      });
      expect(response.status).toBe(202);
    };
    const entity = async (ref: string) => {
      const response = await fetch(`${a}/api/catalog/entities/by-name/${ref}`);
      return response.status === 200 ? ((await response.json()) as any) : undefined;
    };

    // Both replicas have published the seed (each one's first publish is a full mutation).
    await push(a);
    await push(b);
    await waitFor('the seed in the catalog', () => entity('component/acme/cart-api'), { timeoutMs: 120_000 });

    // A user changes cart-api and adds gift-cards; the webhook reaches replica a.
    commitFiles(url, 'main', 'Change cart-api, add gift-cards', [
      { path: CART_API, content: original.replace(/description: .*/, 'description: Carts, changed.') },
      ...giftCards,
    ]);
    await push(a);
    await waitFor('a to publish the change', async () => (await entity('component/acme/gift-cards')) && (await entity('component/acme/cart-api'))?.metadata.description === 'Carts, changed.', {
      timeoutMs: 120_000,
    });

    // They undo it; the webhook reaches replica b, which last published the seed, as the head now is.
    commitFiles(url, 'main', 'Undo it', [{ path: CART_API, content: original }, ...giftCards.map(f => ({ path: f.path, content: null }))]);
    await push(b);
    let last = '';
    await waitFor(
      'b to publish the undo',
      async () => {
        const [cart, gift] = await Promise.all([entity('component/acme/cart-api'), entity('component/acme/gift-cards')]);
        last = `cart-api says "${cart?.metadata.description}", gift-cards ${gift ? 'still there' : 'gone'}`;
        return !gift && cart?.metadata.description?.startsWith('gRPC service holding shopping carts');
      },
      { timeoutMs: 120_000, describe: () => last },
    );
  });
});
