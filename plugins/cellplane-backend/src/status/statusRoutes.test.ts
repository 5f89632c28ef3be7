import { createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabaseId, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { join } from 'node:path';
import request from 'supertest';
import { sandboxDataPlanesServiceFactory } from '@cellplane/sandbox';
import { cellplanePlugin } from '../plugin';
import { cellplaneTestDatabases, databasePerPlugin, databasesUnderTest } from '@cellplane/embedded-postgres';
import {
  author,
  eventually,
  exampleRepository,
  renderedComponent,
  renderedFile,
  renderedPath,
} from '@cellplane/backstage-plugin-node/testUtils';
import { openStatusEvents } from '../__testUtils__/openStatusEvents';

const databases = cellplaneTestDatabases();


it('runs its status tests on SQLite and on PostgreSQL', () => {
  expect(databasesUnderTest(databases)).toEqual({ postgresServer: true, ids: ['SQLITE_3', 'POSTGRES_18'] });
});

describe('status routes on the sandbox data plane', () => {
  const fixture = exampleRepository();
  afterAll(() => fixture.cleanup());

  /** The backend's events service, to send the push event a webhook would. */
  let events: EventsService;
  const captureEvents = createBackendModule({
    pluginId: 'cellplane',
    moduleId: 'test-events',
    register(reg) {
      reg.registerInit({
        deps: { service: eventsServiceRef },
        async init({ service }) {
          events = service;
        },
      });
    },
  });

  const start = (extra: any[] = [], repository = fixture) =>
    startTestBackend({
      features: [
        cellplanePlugin,
        sandboxDataPlanesServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: repository.bare, cacheDir: join(repository.dir, `backend-cache-${Math.random()}`) } },
            events: { useEventBus: 'never' },
          },
        }),
        captureEvents,
        ...extra,
      ],
    });

  it('serves every component of a project in every environment, labelled as sandbox', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      const response = await eventually(async () => {
        const r = await request(server).get('/api/cellplane/status/projects/acme/storefront');
        expect(r.status).toBe(200);
        expect(r.body.items).toHaveLength(15);
        return r;
      });
      expect(response.body.sandbox).toBe(true);
      expect(response.body.revision).toMatch(/^[0-9a-f]{40}$/);
      expect(response.body.items[0]).toMatchObject({
        namespace: 'acme',
        project: 'storefront',
        dataPlane: { name: 'sandbox', sandbox: true },
      });
      const component = await request(server).get('/api/cellplane/status/components/acme/cart-api');
      expect(component.body.items.map((s: any) => s.environment)).toEqual(['development', 'staging', 'production']);
      const environment = await request(server).get('/api/cellplane/status/environments/acme/staging');
      expect(environment.body.items.length).toBeGreaterThanOrEqual(11);
      const planes = await request(server).get('/api/cellplane/status/data-planes');
      expect(planes.body.items).toEqual([expect.objectContaining({ name: 'sandbox', sandbox: true })]);
    } finally {
      await backend.stop();
    }
  });

  it('answers bad parameters with 400 and unknown entities with 404', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      await eventually(async () => expect((await request(server).get('/api/cellplane/status/projects/acme/storefront')).status).toBe(200));
      const bad = await request(server).get('/api/cellplane/status/projects/acme/Store_Front');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^project must be an RFC 1123 label: .*got "Store_Front"/);
      const badNamespace = await request(server).get('/api/cellplane/status/components/..%2Fetc/cart-api');
      expect(badNamespace.status).toBe(400);
      expect(badNamespace.body.error.message).toMatch(/^namespace must be an RFC 1123 label/);
      const unknown = await request(server).get('/api/cellplane/status/projects/acme/nope');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe('no project acme/nope in the GitOps repository');
      expect((await request(server).get('/api/cellplane/status/components/acme/nope')).status).toBe(404);
      expect((await request(server).get('/api/cellplane/status/environments/acme/qa')).status).toBe(404);
      const badHealth = await request(server).get('/api/cellplane/status/events?health=Fine');
      expect(badHealth.status).toBe(400);
      expect(badHealth.body.error.message).toMatch(/^health must be a comma-separated list of Healthy, /);
      const badFilter = await request(server).get('/api/cellplane/status/events?colour=red');
      expect(badFilter.body.error.message).toBe('unknown query parameter "colour": this route takes namespace, project, component, environment, health');
      const twice = await request(server).get('/api/cellplane/status/events?component=a&component=b');
      expect(twice.body.error.message).toBe('component must be given once');
    } finally {
      await backend.stop();
    }
  });

  it('refuses without cellplane.status.read', async () => {
    const backend = await start([mockServices.permissions.factory({ result: AuthorizeResult.DENY })]);
    const { server } = backend;
    try {
      const response = await request(server).get('/api/cellplane/status/projects/acme/storefront');
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe('reading status requires the cellplane.status.read permission');
      expect((await request(server).get('/api/cellplane/status/events')).status).toBe(403);
    } finally {
      await backend.stop();
    }
  });

  // Status lives in memory, per replica; the plugin's database holds only the status history the
  // delivery metrics read. The same run on each database: the cellplane plugin is the only one in
  // this path that asks for one.
  it.each(databases.eachSupportedId())('end to end on %s: a commit is synced by the sandbox and reported Progressing, then Healthy at the new revision', async databaseId => {
    const repository = exampleRepository();
    const database = databasePerPlugin(databases, databaseId);
    const backend = await start([database.factory], repository);
    const { server } = backend;
    const stream = openStatusEvents(server, '?namespace=acme&component=cart-api&environment=development');
    try {
      await eventually(async () => expect((await request(server).get('/api/cellplane/status/components/acme/cart-api')).status).toBe(200));
      expect((await stream.response).headers['content-type']).toMatch(/^text\/event-stream/);

      // The write path: another writer (a scaffolder task, another replica) commits a rendered release.
      const writer = new GitOpsRepository({ url: repository.bare, branch: 'main', cacheDir: join(repository.dir, 'writer-cache') });
      const target = { project: 'storefront', component: 'cart-api', environment: 'development', replicas: 2, releaseHash: 'e2e1' };
      const { commit } = await writer.commit({
        message: 'Deploy cart-api to development',
        author,
        changes: () => [{ path: renderedPath(target), content: renderedFile(renderedComponent(target)) }],
      });
      // The webhook of the repository host says so: status looks at once, without waiting for its poll.
      await events.publish({ topic: 'cellplane.gitops.push', eventPayload: { commit } });

      const healthy = await eventually(async () => {
        const r = await request(server).get('/api/cellplane/status/components/acme/cart-api');
        const development = r.body.items.find((s: any) => s.environment === 'development');
        expect(development).toMatchObject({
          health: 'Healthy',
          desired: { commit, releaseHash: 'e2e1' },
          synced: { tool: 'ArgoCD', commit, state: 'Synced' },
          runningReleaseHash: 'e2e1',
          pods: { ready: 2, total: 2 },
        });
        return development;
      });
      expect(healthy.rollout).toMatchObject({ desiredReplicas: 2, readyReplicas: 2, complete: true });

      // The stream said the same, in order: Progressing at the new revision before Healthy.
      await eventually(() => expect(stream.events.map(e => e.health)).toContain('Healthy'));
      const atCommit = stream.events.filter(e => e.desired?.commit === commit);
      const firstProgressing = atCommit.findIndex(e => e.health === 'Progressing');
      const firstHealthy = atCommit.findIndex(e => e.health === 'Healthy');
      expect(firstProgressing).toBeGreaterThanOrEqual(0);
      expect(firstHealthy).toBeGreaterThan(firstProgressing);
      expect(stream.events.every(e => e.component === 'cart-api' && e.environment === 'development')).toBe(true);

      // A failing image: the sandbox plays an ImagePullBackOff, named in the status.
      const broken = { ...target, image: 'nonexistent.registry/cart-api:2.0', releaseHash: 'e2e2' };
      await writer.commit({
        message: 'Deploy a broken cart-api',
        author,
        changes: () => [{ path: renderedPath(broken), content: renderedFile(renderedComponent(broken)) }],
      });
      await events.publish({ topic: 'cellplane.gitops.push', eventPayload: {} });
      await eventually(async () => {
        const r = await request(server).get('/api/cellplane/status/components/acme/cart-api');
        expect(r.body.items.find((s: any) => s.environment === 'development')).toMatchObject({
          health: 'Degraded',
          causes: expect.arrayContaining([expect.objectContaining({ type: 'ImagePullBackOff', image: 'nonexistent.registry/cart-api:2.0' })]),
        });
      });

      // Removed from Git: pruned from the sandbox.
      await writer.commit({ message: 'Undeploy cart-api', author, changes: () => [{ path: renderedPath(target), content: null }] });
      await events.publish({ topic: 'cellplane.gitops.push', eventPayload: {} });
      await eventually(async () => {
        const r = await request(server).get('/api/cellplane/status/components/acme/cart-api');
        expect(r.body.items.find((s: any) => s.environment === 'development')).toMatchObject({ health: 'NotDeployed' });
      });
      expect(database.pluginsThatAsked()).toEqual(['cellplane']);
    } finally {
      stream.close();
      await backend.stop();
      repository.cleanup();
    }
  }, 300_000);
});

describe('status routes on configured data planes', () => {
  const fixture = exampleRepository();
  let cluster: KubernetesTestServer;
  beforeAll(async () => {
    cluster = await KubernetesTestServer.start();
  });
  afterAll(async () => {
    await cluster.close();
    fixture.cleanup();
  });

  const start = (dataPlanes: any, databaseId?: TestDatabaseId) =>
    startTestBackend({
      features: [
        cellplanePlugin,
        sandboxDataPlanesServiceFactory,
        ...(databaseId ? [databasePerPlugin(databases, databaseId).factory] : []),
        mockServices.rootConfig.factory({
          data: {
            cellplane: {
              gitops: { url: fixture.bare, cacheDir: join(fixture.dir, `backend-cache-${Math.random()}`) },
              dataPlanes,
            },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });

  it.each(databases.eachSupportedId())('on %s: reads the configured cluster instead of the sandbox, and says why a data plane cannot be read', async databaseId => {
    const backend = await start(
      [{ name: 'default', url: cluster.url, skipTLSVerify: true, auth: { serviceAccountToken: cluster.adminToken } }],
      databaseId,
    );
    try {
      const planes = await eventually(async () => {
        const r = await request(backend.server).get('/api/cellplane/status/data-planes');
        expect(r.body.items).toEqual([expect.objectContaining({ name: 'default', sandbox: false, available: true })]);
        return r;
      });
      expect(planes.body.items[0].watchedKinds).toContain('Deployment');
      // The data plane may be watched before the repository's first read is done (a busy machine).
      const r = await eventually(async () => {
        const answer = await request(backend.server).get('/api/cellplane/status/components/acme/cart-api');
        expect(answer.status).toBe(200);
        return answer;
      });
      expect(r.body.sandbox).toBe(false);
      expect(r.body.items.find((s: any) => s.environment === 'staging')).toMatchObject({ dataPlane: { name: 'default', sandbox: false } });
      // Everything the example renders for development is missing from this empty cluster.
      expect(r.body.items.find((s: any) => s.environment === 'development')).toMatchObject({
        health: 'OutOfSync',
        causes: expect.arrayContaining([expect.objectContaining({ type: 'MissingObject' })]),
      });
    } finally {
      await backend.stop();
    }

    const unconfigured = await start(
      [{ name: 'eu', url: 'http://127.0.0.1:9', skipTLSVerify: true, auth: { serviceAccountToken: 'x' } }],
      databaseId,
    );
    try {
      await eventually(async () => {
        const r = await request(unconfigured.server).get('/api/cellplane/status/components/acme/cart-api');
        expect(r.body.items[0]).toMatchObject({
          health: 'Unknown',
          reason: 'Unknown: data plane "default" of environment development is not configured under cellplane.dataPlanes',
        });
      });
      await eventually(async () => {
        const r = await request(unconfigured.server).get('/api/cellplane/status/data-planes');
        expect(r.body.items[0]).toMatchObject({ name: 'eu', available: false, reason: expect.stringMatching(/^data plane eu \(http:\/\/127\.0\.0\.1:9\): .*ECONNREFUSED/) });
      });
    } finally {
      await unconfigured.stop();
    }
  });

  it('refuses to start on a bad data plane config, naming the key', async () => {
    await expect(start([{ name: 'default', url: cluster.url }])).rejects.toThrow(
      'cellplane.dataPlanes[0].auth must set exactly one of serviceAccountToken, kubeconfig, inCluster',
    );
  });
});
