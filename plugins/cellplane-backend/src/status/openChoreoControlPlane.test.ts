import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { KubernetesTestServer, builtinResourceTypes } from '@cellplane/kubernetes-test-server';
import { eventually, exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';
import { sandboxDataPlanesServiceFactory } from '@cellplane/sandbox';
import { KubernetesObject, KubernetesObjectApi, loadAllYaml } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { DataPlaneWatcher } from '../dataplanes/DataPlaneWatcher';
import { cellplanePlugin } from '../plugin';
import { StatusService } from './StatusService';
import { openStatusEvents } from '../__testUtils__/openStatusEvents';

// Where OpenChoreo's controllers run, its ReleaseBindings and RenderedReleases live in the
// OpenChoreo namespace (here acme, the namespace of the example GitOps repository).
const CRDS = readFileSync(join(__dirname, '__fixtures__', 'openchoreo-crds.yaml'), 'utf8');

/** Installs OpenChoreo's CRDs (the fixture written from its API types) as `kubectl apply` would: through the API. */
async function installOpenChoreo(server: KubernetesTestServer) {
  const api = KubernetesObjectApi.makeApiClient(server.kubeConfig());
  for (const crd of loadAllYaml(CRDS)) await api.create(crd);
}

async function uninstallOpenChoreo(server: KubernetesTestServer) {
  const api = KubernetesObjectApi.makeApiClient(server.kubeConfig());
  for (const crd of loadAllYaml(CRDS)) await api.delete(crd as KubernetesObject);
}

const condition = (type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, observedGeneration = 1) => ({
  type,
  status,
  reason,
  message,
  observedGeneration,
  lastTransitionTime: '2026-12-07T04:00:00Z',
});

const releaseBinding = {
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'ReleaseBinding',
  metadata: { name: 'cart-api-development', namespace: 'acme' },
  spec: { owner: { projectName: 'storefront', componentName: 'cart-api' }, environment: 'development', releaseName: 'cart-api-7f3a' },
};

const renderedRelease = {
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'RenderedRelease',
  metadata: { name: 'cart-api-development', namespace: 'acme' },
  spec: {
    owner: { projectName: 'storefront', componentName: 'cart-api' },
    environmentName: 'development',
    resources: [{ id: 'deployment', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cart-api' } } }],
  },
};

/** Creates OpenChoreo's objects through the API (the CRDs' endpoints), then writes their status as its controllers do. */
async function createBindingAndRelease(server: KubernetesTestServer) {
  const api = KubernetesObjectApi.makeApiClient(server.kubeConfig());
  if (!server.objects.get('v1', 'Namespace', '', 'acme')) await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } });
  await api.create(releaseBinding);
  await api.create(renderedRelease);
}

function setStatus(server: KubernetesTestServer, object: { apiVersion: string; kind: string; metadata: { name: string; namespace: string } }, status: any) {
  const stored = server.objects.get<any>(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name)!;
  server.objects.put({ ...stored, status });
}

/** What OpenChoreo's controllers write when rendering fails: ReleaseSynced and Ready False. */
const renderingFailed = {
  observedGeneration: 1,
  conditions: [
    condition('ReleaseSynced', 'False', 'RenderingFailed', 'trait "ingress": spec.host is required'),
    condition('Ready', 'False', 'RenderingFailed', 'trait "ingress": spec.host is required'),
  ],
};
const ready = {
  observedGeneration: 1,
  conditions: [
    condition('ReleaseSynced', 'True', 'ReleaseSynced', 'Release is up to date'),
    condition('ResourcesReady', 'True', 'Ready', 'Primary workload Deployment and all supporting resources are ready'),
    condition('Ready', 'True', 'Ready', 'ReleaseBinding is ready'),
  ],
};
const applied = {
  conditions: [condition('ResourcesApplied', 'True', 'ApplySucceeded', 'All resources applied successfully')],
  resources: [{ id: 'deployment', group: 'apps', version: 'v1', kind: 'Deployment', name: 'cart-api', namespace: 'dp-acme-storefront-development', healthStatus: 'Healthy' }],
};


describe("OpenChoreo's control plane beside Cellplane's status", () => {
  const fixture = exampleRepository();
  /** A data plane without OpenChoreo (development, staging and production name it: "default"). */
  let dataPlane: KubernetesTestServer;
  /** The cluster OpenChoreo's controllers run in: its CRDs are installed from the fixture. */
  let controlPlane: KubernetesTestServer;

  beforeAll(async () => {
    dataPlane = await KubernetesTestServer.start({ resourceTypes: builtinResourceTypes });
    controlPlane = await KubernetesTestServer.start({ resourceTypes: builtinResourceTypes });
  });
  afterAll(async () => {
    await dataPlane.close();
    await controlPlane.close();
    fixture.cleanup();
  });

  const plane = (name: string, server: KubernetesTestServer) => ({ name, url: server.url, skipTLSVerify: true, auth: { serviceAccountToken: server.adminToken } });
  const start = (dataPlanes: any[]) =>
    startTestBackend({
      features: [
        cellplanePlugin,
        sandboxDataPlanesServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: fixture.bare, cacheDir: join(fixture.dir, `backend-cache-${Math.random()}`) }, dataPlanes },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });
  const cartApi = async (server: http.Server): Promise<ComponentEnvironmentStatus[]> => {
    const response = await request(server).get('/api/cellplane/status/components/acme/cart-api');
    expect(response.status).toBe(200);
    return response.body.items;
  };

  it('on a cluster without its CRDs, watches nothing of OpenChoreo and reports as before', async () => {
    const backend = await start([plane('default', dataPlane)]);
    try {
      const planes = await eventually(async () => {
        const r = await request(backend.server).get('/api/cellplane/status/data-planes');
        expect(r.body.items).toEqual([expect.objectContaining({ name: 'default', available: true, openChoreoControlPlane: false })]);
        return r.body.items;
      });
      expect(planes[0].watchedKinds).toContain('Deployment');
      for (const kind of ['ReleaseBinding', 'RenderedRelease', 'Release']) expect(planes[0].watchedKinds).not.toContain(kind);
      const items = await eventually(() => cartApi(backend.server));
      expect(items.map(s => s.environment)).toEqual(['development', 'staging', 'production']);
      // Cellplane's own view, unchanged: what the example renders for development is missing from the empty cluster.
      expect(items[0]).toMatchObject({ health: 'OutOfSync', dataPlane: { name: 'default' } });
      for (const item of items) expect(item).not.toHaveProperty('openChoreo');
      // Discovery asked (and heard 404); no list or watch of OpenChoreo's kinds was ever sent.
      expect(dataPlane.requests.count({ verb: ['list', 'watch'], group: 'openchoreo.dev' })).toBe(0);
    } finally {
      await backend.stop();
    }
  });

  it('shows the ReleaseBinding and RenderedRelease conditions of each component and environment, live, in the routes and the stream', async () => {
    await installOpenChoreo(controlPlane);
    expect(controlPlane.resourceTypes().map(t => t.kind)).toEqual(expect.arrayContaining(['ReleaseBinding', 'RenderedRelease']));
    await createBindingAndRelease(controlPlane);
    setStatus(controlPlane, releaseBinding, renderingFailed);
    setStatus(controlPlane, renderedRelease, applied);
    // Another OpenChoreo namespace with a component of the same name: not acme's.
    const otherNamespace = { ...releaseBinding, metadata: { ...releaseBinding.metadata, namespace: 'globex' } };
    controlPlane.objects.put({ ...otherNamespace, status: { conditions: [condition('Ready', 'False', 'EnvironmentNotFound', 'from globex')] } });

    const backend = await start([plane('default', dataPlane), plane('openchoreo', controlPlane)]);
    const stream = openStatusEvents(backend.server, '?namespace=acme&component=cart-api&environment=development');
    try {
      const development = await eventually(async () => {
        const [item] = await cartApi(backend.server);
        expect(item.openChoreo?.releaseBinding).toBeDefined();
        return item;
      });
      // Beside Cellplane's own view (the environment's data plane), OpenChoreo's, from its control plane.
      expect(development).toMatchObject({ environment: 'development', dataPlane: { name: 'default' }, health: 'Degraded' });
      expect(development.openChoreo).toEqual({
        controlPlane: { name: 'openchoreo', available: true },
        releaseBinding: {
          kind: 'ReleaseBinding',
          name: 'cart-api-development',
          namespace: 'acme',
          releaseName: 'cart-api-7f3a',
          state: 'Active',
          reconciled: true,
          conditions: renderingFailed.conditions,
        },
        renderedReleases: [
          {
            kind: 'RenderedRelease',
            name: 'cart-api-development',
            namespace: 'acme',
            targetPlane: 'dataplane',
            reconciled: true,
            conditions: applied.conditions,
            resources: { total: 1, healthy: 1, progressing: 0, degraded: 0, suspended: 0, unknown: 0 },
          },
        ],
      });
      expect(development.causes[0]).toEqual({
        type: 'SyncError',
        message: 'OpenChoreo ReleaseBinding cart-api-development: RenderingFailed: trait "ingress": spec.host is required',
        object: { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'ReleaseBinding', name: 'cart-api-development', namespace: 'acme' },
      });
      expect(JSON.stringify(development)).not.toContain('globex');
      // Only the component and environment the binding names.
      const [, staging, production] = await cartApi(backend.server);
      expect(staging).not.toHaveProperty('openChoreo');
      expect(production).not.toHaveProperty('openChoreo');
      const search = await request(backend.server).get('/api/cellplane/status/components/acme/search-api');
      expect(search.body.items.some((s: any) => s.openChoreo)).toBe(false);
      const planes = await request(backend.server).get('/api/cellplane/status/data-planes');
      expect(planes.body.items).toEqual([
        expect.objectContaining({ name: 'default', openChoreoControlPlane: false }),
        expect.objectContaining({ name: 'openchoreo', available: true, openChoreoControlPlane: true }),
      ]);

      // The controller fixes the rendering: the new conditions reach the stream and the routes.
      setStatus(controlPlane, releaseBinding, ready);
      const event = await eventually(() => {
        const last = stream.events[stream.events.length - 1];
        expect(last?.openChoreo?.releaseBinding?.conditions).toEqual(ready.conditions);
        return last;
      });
      expect(event).toMatchObject({ component: 'cart-api', environment: 'development', synced: { tool: 'OpenChoreo', state: 'Ready' } });
      expect(event.causes.some(c => c.type === 'SyncError')).toBe(false);
      expect((await cartApi(backend.server))[0].openChoreo?.releaseBinding?.conditions).toEqual(ready.conditions);
      expect(stream.events.every(e => e.component === 'cart-api' && e.environment === 'development')).toBe(true);

      // Undeployed in OpenChoreo: its view goes, Cellplane's stays.
      controlPlane.objects.delete('openchoreo.dev/v1alpha1', 'ReleaseBinding', 'acme', 'cart-api-development');
      controlPlane.objects.delete('openchoreo.dev/v1alpha1', 'RenderedRelease', 'acme', 'cart-api-development');
      await eventually(() => expect(stream.events[stream.events.length - 1]).not.toHaveProperty('openChoreo'));
      expect((await cartApi(backend.server))[0]).toMatchObject({ health: 'OutOfSync', dataPlane: { name: 'default' } });
    } finally {
      stream.close();
      await backend.stop();
      await uninstallOpenChoreo(controlPlane);
    }
  });

  it("where only OpenChoreo's control plane can be reached (its multi-cluster setup), takes the health from its Ready condition", async () => {
    await installOpenChoreo(controlPlane);
    await createBindingAndRelease(controlPlane);
    setStatus(controlPlane, releaseBinding, ready);
    setStatus(controlPlane, renderedRelease, applied);
    const backend = await start([plane('openchoreo', controlPlane)]);
    try {
      const [development, staging] = await eventually(async () => {
        const items = await cartApi(backend.server);
        expect(items[0].health).toBe('Healthy');
        return items;
      });
      expect(development.reason).toBe(
        'OpenChoreo ReleaseBinding cart-api-development: Ready: ReleaseBinding is ready ' +
          '(Cellplane cannot read the data plane: data plane "default" of environment development is not configured under cellplane.dataPlanes)',
      );
      expect(development.openChoreo?.releaseBinding?.conditions).toEqual(ready.conditions);
      // No binding there: Cellplane cannot tell.
      expect(staging).toMatchObject({ health: 'Unknown' });
      expect(staging).not.toHaveProperty('openChoreo');
    } finally {
      await backend.stop();
      controlPlane.objects.delete('openchoreo.dev/v1alpha1', 'ReleaseBinding', 'acme', 'cart-api-development');
      controlPlane.objects.delete('openchoreo.dev/v1alpha1', 'RenderedRelease', 'acme', 'cart-api-development');
      await uninstallOpenChoreo(controlPlane);
    }
  });
});

describe('OpenChoreo installed or removed while Cellplane runs', () => {
  const logger = mockServices.logger.mock();
  const fixture = exampleRepository();
  let cluster: KubernetesTestServer;
  let watcher: DataPlaneWatcher;
  let status: StatusService;

  beforeAll(async () => {
    cluster = await KubernetesTestServer.start({ resourceTypes: builtinResourceTypes });
    status = new StatusService({ repository: fixture.repository, dataPlanes: [], logger, refreshIntervalMs: 60_000 });
    watcher = new DataPlaneWatcher({
      connection: { name: 'default', kubeConfig: cluster.kubeConfig(), server: cluster.url, sandbox: false },
      logger,
      onChange: scopes => status.planeChanged('default', scopes),
      backoff: { initialMs: 20, maxMs: 200 },
      rediscoverMs: 50,
    });
    status.addDataPlane(watcher);
    watcher.start();
    await status.start();
  });
  afterAll(async () => {
    await status.stop();
    await watcher.stop();
    await cluster.close();
    fixture.cleanup();
  });

  const development = () => status.componentStatus('acme', 'cart-api').find(s => s.environment === 'development')!;

  it('watches its kinds from the discovery after the CRDs are installed, and forgets them when they are removed', async () => {
    await eventually(() => expect(watcher.availability()).toEqual({ available: true }));
    expect(watcher.readsOpenChoreo()).toBe(false);

    await installOpenChoreo(cluster);
    await eventually(() => expect(watcher.readsOpenChoreo()).toBe(true));
    await createBindingAndRelease(cluster);
    setStatus(cluster, releaseBinding, {
      observedGeneration: 1,
      conditions: [condition('Ready', 'False', 'ResourcesProgressing', 'Primary workload Deployment/cart-api is progressing')],
    });
    await eventually(() =>
      expect(development().openChoreo?.releaseBinding?.conditions).toEqual([
        condition('Ready', 'False', 'ResourcesProgressing', 'Primary workload Deployment/cart-api is progressing'),
      ]),
    );
    // Progress is not a failure.
    expect(development().causes.some(c => c.type === 'SyncError')).toBe(false);

    // A new spec the controller has not reconciled yet: its old conditions are marked so, and fail nothing.
    const stored = cluster.objects.get<any>('openchoreo.dev/v1alpha1', 'ReleaseBinding', 'acme', 'cart-api-development');
    cluster.objects.put({ ...stored, spec: { ...stored.spec, releaseName: 'cart-api-8b4c' }, status: renderingFailed });
    await eventually(() => expect(development().openChoreo?.releaseBinding).toMatchObject({ releaseName: 'cart-api-8b4c', reconciled: false }));
    expect(development().causes.some(c => c.type === 'SyncError')).toBe(false);

    await uninstallOpenChoreo(cluster);
    await eventually(() => expect(watcher.readsOpenChoreo()).toBe(false));
    await eventually(() => expect(development()).not.toHaveProperty('openChoreo'));
    expect(watcher.availability()).toEqual({ available: true });
  });
});
