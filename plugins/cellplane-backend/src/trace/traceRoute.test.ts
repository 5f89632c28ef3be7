import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { CommitTrace, CommitTraceItem, TraceStep } from '@cellplane/backstage-plugin-common';
import { cellplaneDataPlanesServiceRef } from '@cellplane/backstage-plugin-node';
import {
  RenderedComponentOptions,
  author,
  cellNamespace,
  eventually,
  exampleRepository,
  renderedComponent,
  renderedFile,
  renderedLabels,
  renderedPath,
} from '@cellplane/backstage-plugin-node/testUtils';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { join } from 'node:path';
import request from 'supertest';
import { cellplanePlugin } from '../plugin';

const cartInDevelopment: RenderedComponentOptions = { project: 'storefront', component: 'cart-api', environment: 'development', replicas: 2, releaseHash: 'h-a' };
const cartInStaging: RenderedComponentOptions = { ...cartInDevelopment, environment: 'staging' };

const SYNCED_AT = '2026-12-01T10:00:00Z';
const ROLLED_OUT_AT = '2026-12-01T10:01:00Z';
const READY_AT = ['2026-12-01T10:01:30Z', '2026-12-01T10:02:00Z'];

function pod(o: RenderedComponentOptions, name: string, status: any) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: cellNamespace(o), labels: renderedLabels(o) },
    spec: { containers: [{ name: 'main', image: `registry.example/${o.component}:1.0` }] },
    status,
  };
}
const readyPod = (o: RenderedComponentOptions, name: string, since: string) =>
  pod(o, name, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }],
    containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
  });
const pullingPod = (o: RenderedComponentOptions, name: string) =>
  pod(o, name, {
    phase: 'Pending',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [{ name: 'main', ready: false, restartCount: 0, image: 'registry.example/cart-api:1.0', state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } } }],
  });

function application(environment: string, status: any) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    // What Cellplane's bootstrap renders, and status watches by this label.
    metadata: { name: `cellplane-acme-${environment}`, namespace: 'argocd', labels: { 'app.kubernetes.io/managed-by': 'cellplane' } },
    spec: { project: 'default' },
    status,
  };
}

/** Stores a workload, then its status as its controller reports it for the stored generation. */
function putDeployment(server: KubernetesTestServer, o: RenderedComponentOptions, status: any) {
  const stored = server.objects.put(renderedComponent(o)[0]);
  server.objects.put({ ...stored, status: { observedGeneration: stored.metadata.generation, ...status } });
}

const stepsOf = (item: CommitTraceItem | undefined) =>
  Object.fromEntries((item?.steps ?? []).map(({ name, ...rest }: TraceStep) => [name, rest]));

describe('GET /trace/:sha over a real Git fixture and a Kubernetes test server', () => {
  const fixture = exampleRepository();
  let cluster: KubernetesTestServer;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let seed: string;
  let traced: string;
  let later: string;
  let specOnly: string;
  let unrelated: string;

  const trace = async (sha: string, query = ''): Promise<CommitTrace> => {
    const response = await request(backend.server).get(`/api/cellplane/trace/${sha}${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const itemOf = (body: CommitTrace, environment: string) => body.items.find(i => i.component === 'cart-api' && i.environment === environment);
  /** Waits until the trace of the traced commit in an environment shows `expected` (the watch cache catches up). */
  const expectSteps = (environment: string, expected: Record<string, unknown>) =>
    eventually(async () => {
      const steps = stepsOf(itemOf(await trace(traced), environment));
      try {
        expect(steps).toMatchObject(expected);
      } catch (e) {
        (e as Error).message += `\n${JSON.stringify(steps, null, 1)}`;
        throw e;
      }
    }, 20_000);

  beforeAll(async () => {
    seed = (await fixture.repository.fetch())!;
    traced = (await fixture.repository.commit({
      message: 'Roll out cart-api h-a',
      author,
      changes: () => [
        { path: renderedPath(cartInDevelopment), content: renderedFile(renderedComponent(cartInDevelopment)) },
        { path: renderedPath(cartInStaging), content: renderedFile(renderedComponent(cartInStaging)) },
      ],
    })).commit!;
    later = (await fixture.repository.commit({
      message: 'Roll out cart-api h-b in staging',
      author,
      changes: () => [{ path: renderedPath(cartInStaging), content: renderedFile(renderedComponent({ ...cartInStaging, releaseHash: 'h-b' })) }],
    })).commit!;
    const workloadPath = 'namespaces/acme/projects/storefront/components/cart-api/workload.yaml';
    specOnly = (await fixture.repository.commit({
      message: 'Comment on cart-api',
      author,
      changes: async base => [{ path: workloadPath, content: `${(await base.readFile(workloadPath))!.toString()}\n# a note\n` }],
    })).commit!;
    unrelated = (await fixture.repository.commit({ message: 'Notes', author, changes: () => [{ path: 'notes/a.md', content: 'a\n' }] })).commit!;

    cluster = await KubernetesTestServer.start();
    backend = await startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') } },
            events: { useEventBus: 'never' },
          },
        }),
        createServiceFactory({
          service: cellplaneDataPlanesServiceRef,
          deps: {},
          factory: () => ({ connections: [{ name: 'default', kubeConfig: cluster.kubeConfig(), server: cluster.url, sandbox: false }] }),
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await cluster?.close();
    fixture.cleanup();
  });

  it('says what the commit changed: each component × environment, in pipeline order, with the release it rendered', async () => {
    // Until the backend has listed the test cluster (a busy machine may take a retry), the trace
    // says the data plane cannot be read: wait for the answer with the cluster read.
    await eventually(async () => {
      const body = await trace(traced.slice(0, 12));
      expect(body.head).toBe(unrelated);
      expect(body.commit).toBe(traced);
      expect(body.items.map(i => [i.component, i.environment, i.change, i.releaseHash])).toEqual([
        ['cart-api', 'development', 'rendered', 'h-a'],
        ['cart-api', 'staging', 'rendered', 'h-a'],
      ]);
      expect(stepsOf(body.items[0])).toMatchObject({
        committed: { state: 'done', at: body.committedAt },
        rendered: { state: 'done', at: body.committedAt, detail: `rendered ${renderedPath(cartInDevelopment)}` },
        synced: { state: 'waiting', reason: 'no Argo CD Application or Flux Kustomization reports what it synced for development' },
        'rolled-out': { state: 'waiting' },
        ready: { state: 'waiting' },
      });
    });
  });

  it('follows the sync: in progress, failed with the sync error, done at the time Argo CD finished', async () => {
    expect.hasAssertions();
    cluster.objects.put(application('development', { sync: { status: 'OutOfSync', revision: seed }, operationState: { phase: 'Running' } }));
    await expectSteps('development', { synced: { state: 'in-progress', revision: seed } });

    cluster.objects.put(
      application('development', { sync: { status: 'OutOfSync', revision: seed }, operationState: { phase: 'Failed', message: 'one or more objects failed to apply' } }),
    );
    await expectSteps('development', {
      synced: { state: 'failed', reason: 'Argo CD cellplane-acme-development: sync failed: one or more objects failed to apply' },
      'rolled-out': { state: 'waiting' },
    });

    // A later revision includes the commit.
    cluster.objects.put(application('development', { sync: { status: 'Synced', revision: later }, operationState: { phase: 'Succeeded', finishedAt: SYNCED_AT } }));
    await expectSteps('development', {
      synced: { state: 'done', at: SYNCED_AT, revision: later, detail: `Argo CD cellplane-acme-development synced ${later.slice(0, 7)} (a later commit, which includes this one)` },
      'rolled-out': { state: 'waiting', reason: 'no workload of cart-api is in development yet: 2 object(s) of the desired release are not in the cluster' },
    });
  });

  it('follows the rollout and the pods, with where they are stuck and why', async () => {
    expect.hasAssertions();
    putDeployment(cluster, cartInDevelopment, { replicas: 2, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 });
    cluster.objects.put(pullingPod(cartInDevelopment, 'cart-api-0'));
    await expectSteps('development', {
      'rolled-out': { state: 'in-progress', reason: 'Deployment cart-api: 1/2 updated, 0 available' },
      ready: { state: 'failed', reason: 'container main cannot pull image registry.example/cart-api:1.0: not found' },
    });

    putDeployment(cluster, cartInDevelopment, {
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: ROLLED_OUT_AT }],
    });
    cluster.objects.put(readyPod(cartInDevelopment, 'cart-api-0', READY_AT[0]));
    cluster.objects.put(readyPod(cartInDevelopment, 'cart-api-1', READY_AT[1]));
    await expectSteps('development', {
      'rolled-out': { state: 'done', at: ROLLED_OUT_AT, detail: 'Deployment cart-api: 2/2 updated' },
      ready: { state: 'done', at: READY_AT[1], detail: '2/2 pods ready' },
    });
  });

  it('says when a newer commit superseded it in an environment', async () => {
    cluster.objects.put(application('staging', { sync: { status: 'Synced', revision: later }, operationState: { phase: 'Succeeded', finishedAt: SYNCED_AT } }));
    putDeployment(cluster, { ...cartInStaging, releaseHash: 'h-b' }, { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    await expectSteps('staging', {
      synced: { state: 'done' },
      'rolled-out': {
        state: 'not-applicable',
        reason: `superseded: a newer commit ${later.slice(0, 7)} changed cart-api in staging since, and its release goes instead`,
      },
      ready: { state: 'not-applicable' },
    });
    expect(itemOf(await trace(traced), 'staging')?.supersededBy).toBe(later);
    // In development nothing newer changed it.
    expect(itemOf(await trace(traced), 'development')).not.toHaveProperty('supersededBy');
  });

  it('narrows to one component, and says when a spec change delivers nothing new', async () => {
    expect((await trace(traced, '?component=acme/cart-api')).items).toHaveLength(2);
    expect((await trace(traced, '?component=acme/search-api')).items).toEqual([]);
    const spec = await trace(specOnly);
    expect(spec.items.length).toBeGreaterThan(0);
    expect(spec.items.every(i => i.component === 'cart-api' && i.change === 'spec')).toBe(true);
    expect(stepsOf(spec.items[0]).rendered).toMatchObject({ state: 'not-applicable', reason: expect.stringContaining('nothing new to deliver') });
    expect((await trace(unrelated)).items).toEqual([]);
  });

  it('answers a bad sha or parameter with 400 naming it, and an unknown commit with 404 naming it', async () => {
    const bad = await request(backend.server).get('/api/cellplane/trace/not-a-sha');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('sha must be a commit id of 7 to 40 hexadecimal digits, got "not-a-sha"');
    const unknownParameter = await request(backend.server).get(`/api/cellplane/trace/${traced}?colour=red`);
    expect(unknownParameter.status).toBe(400);
    expect(unknownParameter.body.error.message).toBe('unknown query parameter "colour": this route takes component');
    const badComponent = await request(backend.server).get(`/api/cellplane/trace/${traced}?component=cart-api`);
    expect(badComponent.status).toBe(400);
    expect(badComponent.body.error.message).toBe('component must be <namespace>/<name>, got "cart-api"');
    const badName = await request(backend.server).get(`/api/cellplane/trace/${traced}?component=acme/Cart_Api`);
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(/^component name must be an RFC 1123 label/);
    const missing = await request(backend.server).get(`/api/cellplane/trace/${'d'.repeat(40)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(`no commit ${'d'.repeat(40)} on main of the GitOps repository`);
    expect(missing.body.error.stack).toBeUndefined();
  });
});

describe('GET /trace/:sha permission', () => {
  it('needs cellplane.status.read', async () => {
    const fixture = exampleRepository();
    const backend = await startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: { cellplane: { gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') } }, events: { useEventBus: 'never' } },
        }),
        mockServices.permissions.mock({ authorize: async requests => requests.map(() => ({ result: 'DENY' as any })) }).factory,
        createServiceFactory({ service: cellplaneDataPlanesServiceRef, deps: {}, factory: () => ({ connections: [] }) }),
      ],
    });
    try {
      const head = (await fixture.repository.fetch())!;
      const denied = await request(backend.server).get(`/api/cellplane/trace/${head}`);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe('tracing a commit requires the cellplane.status.read permission');
    } finally {
      await backend.stop();
      fixture.cleanup();
    }
  });
});
