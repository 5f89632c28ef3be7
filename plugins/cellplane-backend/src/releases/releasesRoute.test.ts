import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ComponentReleaseList } from '@cellplane/backstage-plugin-common';
import { RepositoryRevision, buildComponentRelease, resourceToYaml } from '@cellplane/backstage-plugin-node';
import { join } from 'node:path';
import request from 'supertest';
import { cellplanePlugin } from '../plugin';
import { author, exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';

const COMPONENT_DIR = 'namespaces/acme/projects/payments/components/payments-api';

/** Snapshots payments-api as it is at `base` and pins `environment` to the new release. */
async function releaseAndPin(base: RepositoryRevision, environment: string) {
  const release = buildComponentRelease(await base.model(), 'acme', 'payments-api');
  const bindingPath = `${COMPONENT_DIR}/release-bindings/payments-api-${environment}.yaml`;
  const binding = (await base.readFile(bindingPath))!.toString();
  return {
    release,
    changes: [
      { path: release.path, content: resourceToYaml(release.resource) },
      {
        path: bindingPath,
        content: binding.replace(`environment: ${environment}\n`, `environment: ${environment}\n  releaseName: ${release.name}\n`),
      },
    ],
  };
}

describe('GET /api/cellplane/releases/:namespace/:component', () => {
  const fixture = exampleRepository();
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let older: string;
  let newer: string;
  let olderCommit: string;
  let newerCommit: string;

  beforeAll(async () => {
    // Two releases in two commits, an image change between them: production pins the first,
    // staging the second.
    const releaseTo = async (environment: string, message: string) => {
      let name = '';
      const { commit } = await fixture.repository.commit({
        message,
        author,
        async changes(base) {
          const { release, changes } = await releaseAndPin(base, environment);
          name = release.name;
          return changes;
        },
      });
      return { name, commit: commit! };
    };
    ({ name: older, commit: olderCommit } = await releaseTo('production', 'release payments-api 1.4.2 to production'));
    await fixture.repository.commit({
      message: 'payments-api 1.5.0',
      author,
      async changes(base) {
        const path = `${COMPONENT_DIR}/workload.yaml`;
        const workload = (await base.readFile(path))!.toString();
        return [{ path, content: workload.replace('payments-api:1.4.2', 'payments-api:1.5.0') }];
      },
    });
    ({ name: newer, commit: newerCommit } = await releaseTo('staging', 'release payments-api 1.5.0 to staging'));
    backend = await startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') } },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    fixture.cleanup();
  });

  it('lists the releases newest first, with image, creating commit and the environments that pin them', async () => {
    const response = await request(backend.server).get('/api/cellplane/releases/acme/payments-api');
    expect(response.status).toBe(200);
    const body = response.body as ComponentReleaseList;
    expect(body).toMatchObject({ namespace: 'acme', component: 'payments-api', revision: newerCommit });
    expect(body.items.map(item => item.name)).toEqual([newer, older]);
    expect(body.items[0]).toEqual({
      name: newer,
      commit: newerCommit,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      images: ['ghcr.io/acme/payments-api:1.5.0'],
      source: {
        repository: 'https://github.com/acme/payments',
        branch: 'main',
        commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      },
      environments: ['staging'],
      current: true,
      deployments: [{ environment: 'staging', since: expect.any(String), sinceCommit: newerCommit }],
    });
    expect(body.items[1]).toMatchObject({
      name: older,
      commit: olderCommit,
      images: ['ghcr.io/acme/payments-api:1.4.2'],
      environments: ['production'],
      current: false,
    });
    // development pins nothing: it runs the component as it is now, i.e. the newer release.
    expect(body.unpinnedEnvironments).toEqual(['development']);
  });

  it('answers an empty list for a component with no releases yet', async () => {
    const response = await request(backend.server).get('/api/cellplane/releases/acme/fraud-detector');
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
    expect(response.body.unpinnedEnvironments).toEqual(['development', 'staging', 'production']);
  });

  it('answers a bad namespace or component with 400 naming the parameter', async () => {
    const badComponent = await request(backend.server).get('/api/cellplane/releases/acme/Payments_API');
    expect(badComponent.status).toBe(400);
    expect(badComponent.body.error).toMatchObject({ name: 'InputError' });
    expect(badComponent.body.error.message).toMatch(/^component must be an RFC 1123 label: .*got "Payments_API"/);
    const badNamespace = await request(backend.server).get('/api/cellplane/releases/..%2F..%2Fetc/payments-api');
    expect(badNamespace.status).toBe(400);
    expect(badNamespace.body.error.message).toMatch(/^namespace must be an RFC 1123 label/);
  });

  it('answers an unknown component or namespace with 404', async () => {
    const unknown = await request(backend.server).get('/api/cellplane/releases/acme/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ name: 'NotFoundError', message: 'Component "nope" not found in namespace acme' });
    const otherNamespace = await request(backend.server).get('/api/cellplane/releases/globex/payments-api');
    expect(otherNamespace.status).toBe(404);
  });
});
