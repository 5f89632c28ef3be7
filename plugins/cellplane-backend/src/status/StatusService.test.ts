import { mockServices } from '@backstage/backend-test-utils';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { KubernetesTestServer, argoCdResourceTypes, builtinResourceTypes } from '@cellplane/kubernetes-test-server';
import { DataPlaneWatcher } from '../dataplanes/DataPlaneWatcher';
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
import { StatusService } from './StatusService';

const cart: RenderedComponentOptions = { project: 'storefront', component: 'cart-api', environment: 'development', replicas: 2 };
const search: RenderedComponentOptions = { project: 'storefront', component: 'search-api', environment: 'development' };
const cartInProduction: RenderedComponentOptions = { ...cart, environment: 'production' };

const readyStatus = { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }] };

function pod(o: RenderedComponentOptions, name: string, status: any = readyStatus) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: cellNamespace(o), labels: renderedLabels(o) },
    spec: { containers: [{ name: 'main', image: o.image ?? `registry.example/${o.component}:1.0` }] },
    status,
  };
}

/** What Argo CD and the controllers would leave in the cluster for a healthy rollout. */
function deployed(server: KubernetesTestServer, o: RenderedComponentOptions) {
  const replicas = o.replicas ?? 1;
  const [deployment, ...rest] = renderedComponent(o);
  putWorkload(server, deployment, { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
  // The ConfigMap stays out: a kind status does not watch is never reported missing.
  server.objects.putAll(rest.filter(object => object.kind !== 'ConfigMap'));
  for (let i = 0; i < replicas; i++) server.objects.put(pod(o, `${o.component}-${i}`));
}

/** Stores a workload, then its status as its controller reports it for the stored generation. */
function putWorkload(server: KubernetesTestServer, workload: any, status: any) {
  const stored = server.objects.put(workload);
  server.objects.put({ ...stored, status: { observedGeneration: stored.metadata.generation, ...status } });
}

describe('StatusService against the Kubernetes test server', () => {
  const logger = mockServices.logger.mock();
  const fixture = exampleRepository();
  let eu: KubernetesTestServer;
  let local: KubernetesTestServer;
  let status: StatusService;
  let watchers: DataPlaneWatcher[];
  let commit: string;

  const statusOf = (component: string, environment: string): ComponentEnvironmentStatus =>
    status.componentStatus('acme', component).find(s => s.environment === environment)!;
  const expectStatus = (component: string, environment: string, expected: Partial<ComponentEnvironmentStatus> | any) =>
    eventually(() => {
      try {
        expect(statusOf(component, environment)).toMatchObject(expected);
      } catch (e) {
        (e as Error).message += `\n${JSON.stringify(statusOf(component, environment), null, 1)}`;
        throw e;
      }
    });

  beforeAll(async () => {
    // production runs on its own data plane ("eu"); development and staging on "default".
    const result = await fixture.repository.commit({
      message: 'render cart-api and search-api',
      author,
      async changes(base) {
        const production = (await base.readFile('namespaces/acme/platform/infra/environments/production.yaml'))!.toString();
        const dataPlane = (await base.readFile('platform-shared/infra/data-planes/default.yaml'))!.toString();
        return [
          { path: 'namespaces/acme/platform/infra/environments/production.yaml', content: production.replace(/name: default/, 'name: eu') },
          { path: 'platform-shared/infra/data-planes/eu.yaml', content: dataPlane.replace(/name: default/, 'name: eu') },
          { path: renderedPath(cart), content: renderedFile(renderedComponent(cart)) },
          { path: renderedPath(search), content: renderedFile(renderedComponent(search)) },
          { path: renderedPath(cartInProduction), content: renderedFile(renderedComponent(cartInProduction)) },
        ];
      },
    });
    commit = result.commit!;
    local = await KubernetesTestServer.start();
    eu = await KubernetesTestServer.start();
    watchers = [];
    const service = new StatusService({ repository: fixture.repository, dataPlanes: [], logger, refreshIntervalMs: 60_000 });
    status = service;
    for (const [name, server] of [['default', local], ['eu', eu]] as const) {
      const watcher = new DataPlaneWatcher({
        connection: { name, kubeConfig: server.kubeConfig(), server: server.url, sandbox: false },
        logger,
        onChange: scopes => service.planeChanged(name, scopes),
        backoff: { initialMs: 20, maxMs: 200 },
      });
      watchers.push(watcher);
      status.addDataPlane(watcher);
      watcher.start();
    }
    deployed(local, cart);
    deployed(local, search);
    deployed(eu, cartInProduction);
    await status.start();
  });

  afterAll(async () => {
    await status.stop();
    await Promise.all(watchers.map(w => w.stop()));
    await local.close();
    await eu.close();
    fixture.cleanup();
  });

  afterEach(async () => {
    await local.faults.reset();
    await eu.faults.reset();
  });

  it('reports Healthy at the desired revision, with rollout and pods', async () => {
    await expectStatus('cart-api', 'development', {
      health: 'Healthy',
      desired: { commit, releaseHash: 'r1' },
      runningReleaseHash: 'r1',
      dataPlane: { name: 'default', sandbox: false },
      rollout: { desiredReplicas: 2, readyReplicas: 2, complete: true },
      pods: { ready: 2, total: 2, restarts: 0 },
      causes: [],
    });
    await expectStatus('cart-api', 'production', { health: 'Healthy', dataPlane: { name: 'eu' } });
    // Nothing rendered for staging and nothing running there.
    await expectStatus('cart-api', 'staging', { health: 'NotDeployed' });
    expect(status.componentStatus('acme', 'cart-api').map(s => s.environment)).toEqual(['development', 'staging', 'production']);
  });

  it('answers for projects and environments, and 404s what is not in Git', async () => {
    await expectStatus('cart-api', 'development', { health: 'Healthy' });
    const project = status.projectStatus('acme', 'storefront');
    expect(new Set(project.map(s => s.component))).toEqual(new Set(['cart-api', 'catalog-api', 'notifications-ws', 'search-api', 'web-shop']));
    expect(project).toHaveLength(5 * 3);
    expect(status.environmentStatus('acme', 'production').find(s => s.component === 'cart-api')?.health).toBe('Healthy');
    expect(() => status.projectStatus('acme', 'nope')).toThrow('no project acme/nope in the GitOps repository');
    expect(() => status.componentStatus('acme', 'nope')).toThrow(/no component acme\/nope/);
    expect(() => status.environmentStatus('acme', 'qa')).toThrow(/no environment acme\/qa/);
  });

  it('follows every cause as the cluster changes, and returns to Healthy', async () => {
    expect.hasAssertions();
    const failing = (name: string, containerStatus: any, conditions: any[] = [{ type: 'Ready', status: 'False' }]) =>
      local.objects.put(pod(search, name, { phase: 'Running', conditions, containerStatuses: [{ name: 'main', restartCount: 0, ...containerStatus }] }));

    failing('search-api-0', { image: 'nope.invalid/search:2', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } });
    await expectStatus('search-api', 'development', {
      health: 'Degraded',
      causes: [{ type: 'ImagePullBackOff', image: 'nope.invalid/search:2', object: { kind: 'Pod', name: 'search-api-0', namespace: 'acme-storefront-development' } }],
    });

    failing('search-api-0', { restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 2, reason: 'Error' } } });
    await expectStatus('search-api', 'development', { health: 'Degraded', causes: [{ type: 'CrashLoopBackOff', exitCode: 2, restartCount: 4 }] });

    failing('search-api-0', { restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } });
    await expectStatus('search-api', 'development', { causes: [{ type: 'CrashLoopBackOff' }, { type: 'OOMKilled', exitCode: 137 }] });

    local.objects.put(pod(search, 'search-api-0', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] }));
    await expectStatus('search-api', 'development', { health: 'Degraded', causes: [{ type: 'Unschedulable', message: 'pod search-api-0 cannot be scheduled: 0/3 nodes are available' }] });

    const running = local.objects.put(pod(search, 'search-api-0', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'main', restartCount: 0, state: { running: {} } }] }));
    local.objects.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'search-api-0.probe', namespace: cellNamespace(search) },
      involvedObject: { kind: 'Pod', name: 'search-api-0', namespace: cellNamespace(search), uid: (running as any).metadata.uid },
      reason: 'Unhealthy',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      type: 'Warning',
    });
    await expectStatus('search-api', 'development', { health: 'Degraded', causes: [{ type: 'ProbeFailed', message: 'pod search-api-0: Readiness probe failed: HTTP probe failed with statuscode: 503' }] });

    local.objects.put(pod(search, 'search-api-0'));
    await expectStatus('search-api', 'development', { health: 'Healthy', causes: [] });

    // A rollout under way, then done.
    const [deployment] = renderedComponent(search);
    putWorkload(local, deployment, { replicas: 2, updatedReplicas: 0, readyReplicas: 1, availableReplicas: 1 });
    await expectStatus('search-api', 'development', { health: 'Progressing', rollout: { updatedReplicas: 0, complete: false } });
    putWorkload(local, deployment, { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    await expectStatus('search-api', 'development', { health: 'Healthy' });

    // The Service disappears from the cluster; Git still has it.
    local.objects.delete('v1', 'Service', cellNamespace(search), 'search-api');
    await expectStatus('search-api', 'development', { health: 'OutOfSync', causes: [{ type: 'MissingObject', object: { kind: 'Service', name: 'search-api' } }] });
    deployed(local, search);
    await expectStatus('search-api', 'development', { health: 'Healthy' });

    // Another release runs than Git wants.
    deployed(local, { ...search, releaseHash: 'r0' });
    await expectStatus('search-api', 'development', { health: 'OutOfSync', runningReleaseHash: 'r0', reason: 'release r0 runs, r1 is desired' });
    deployed(local, search);
    await expectStatus('search-api', 'development', { health: 'Healthy' });
  });

  it('reads the synced revision and sync errors from the Argo CD Application', async () => {
    const application = (applicationStatus: any) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'cellplane-acme-development', namespace: 'argocd', labels: { 'app.kubernetes.io/managed-by': 'cellplane' } },
      spec: { project: 'default' },
      status: applicationStatus,
    });
    local.objects.put(application({ sync: { status: 'Synced', revision: commit }, operationState: { phase: 'Succeeded' } }));
    await expectStatus('cart-api', 'development', { health: 'Healthy', synced: { tool: 'ArgoCD', commit, state: 'Synced' } });
    // The production Application (other data plane) does not leak into development.
    expect(statusOf('cart-api', 'production').synced).toBeUndefined();

    local.objects.put(application({ sync: { status: 'OutOfSync', revision: commit }, conditions: [{ type: 'SyncError', message: 'Deployment.apps "cart-api" is invalid' }] }));
    await expectStatus('cart-api', 'development', {
      health: 'Degraded',
      causes: [{ type: 'SyncError', message: 'Argo CD cellplane-acme-development: SyncError: Deployment.apps "cart-api" is invalid', object: { kind: 'Application', namespace: 'argocd' } }],
    });
    local.objects.delete('argoproj.io/v1alpha1', 'Application', 'argocd', 'cellplane-acme-development');
    await expectStatus('cart-api', 'development', { health: 'Healthy' });
  });

  it("reads OpenChoreo's ReleaseBinding status where its control plane runs", async () => {
    local.objects.put({
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ReleaseBinding',
      metadata: { name: 'cart-api-development', namespace: 'acme' },
      spec: { owner: { projectName: 'storefront', componentName: 'cart-api' }, environment: 'development' },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'ResourcesDegraded', message: 'Deployment cart-api is not available' }] },
    });
    await expectStatus('cart-api', 'development', {
      health: 'Degraded',
      synced: { tool: 'OpenChoreo', object: { kind: 'ReleaseBinding', name: 'cart-api-development' } },
      causes: [{ type: 'SyncError', message: 'OpenChoreo ReleaseBinding cart-api-development: ResourcesDegraded: Deployment cart-api is not available' }],
    });
    expect(statusOf('cart-api', 'staging').health).toBe('NotDeployed');
    local.objects.delete('openchoreo.dev/v1alpha1', 'ReleaseBinding', 'acme', 'cart-api-development');
    await expectStatus('cart-api', 'development', { health: 'Healthy' });
  });

  it('reads OpenChoreo objects of its own OpenChoreo namespace only', async () => {
    // Another OpenChoreo namespace (organisation) with a project and component of the same names.
    const seen = watchers[0].store.size;
    local.objects.put({
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ReleaseBinding',
      metadata: { name: 'cart-api-development', namespace: 'globex' },
      spec: { owner: { projectName: 'storefront', componentName: 'cart-api' }, environment: 'development' },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'RenderingFailed', message: 'globex: trait ingress: missing host' }] },
    });
    await eventually(() => expect(watchers[0].store.size).toBe(seen + 1));
    // A change that reaches the status after the binding was seen (watches of two kinds keep no order between them).
    local.objects.put(pod(cart, 'cart-api-1', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [] }));
    await expectStatus('cart-api', 'development', { pods: { ready: 1, total: 2 } });
    expect(statusOf('cart-api', 'development').causes).toEqual([]);
    expect(statusOf('cart-api', 'development')).not.toHaveProperty('openChoreo');
    local.objects.delete('openchoreo.dev/v1alpha1', 'ReleaseBinding', 'globex', 'cart-api-development');
    local.objects.put(pod(cart, 'cart-api-1'));
    await expectStatus('cart-api', 'development', { health: 'Healthy', pods: { ready: 2, total: 2 } });
  });

  it('shows an unreachable data plane as Unknown for its environments only, and recovers without restart', async () => {
    await expectStatus('cart-api', 'production', { health: 'Healthy' });
    await eu.faults.refuseConnections();
    await expectStatus('cart-api', 'production', { health: 'Unknown', reason: expect.stringMatching(new RegExp(`^Unknown: data plane eu \\(${eu.url.replace(/[.]/g, '\\.')}\\): .*ECONNREFUSED`)) });
    expect(statusOf('cart-api', 'development').health).toBe('Healthy');

    // What changed during the outage is seen after it: the watch relists.
    eu.objects.put(pod(cartInProduction, 'cart-api-0', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'main', restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }] }));
    await eu.faults.acceptConnections();
    await expectStatus('cart-api', 'production', { health: 'Degraded', causes: [{ type: 'CrashLoopBackOff', restartCount: 7 }] });
    eu.objects.put(pod(cartInProduction, 'cart-api-0'));
    await expectStatus('cart-api', 'production', { health: 'Healthy' });
  });

  it('recovers from server errors, dropped watches and expired resourceVersions', async () => {
    // 500s on every list while watches are cut: the informers back off and retry.
    const undo = local.faults.failRequests({ status: 500, match: { verb: 'list' } });
    local.faults.dropWatches();
    await expectStatus('cart-api', 'development', { health: 'Unknown', reason: expect.stringContaining('HTTP 500: Internal error occurred: injected fault') });
    local.objects.delete('v1', 'Pod', cellNamespace(cart), 'cart-api-1');
    undo();
    await expectStatus('cart-api', 'development', { dataPlane: { name: 'default' }, pods: { ready: 1, total: 1 } });
    local.objects.put(pod(cart, 'cart-api-1'));
    await expectStatus('cart-api', 'development', { health: 'Healthy', pods: { ready: 2, total: 2 } });

    // 410 Gone: the informers relist and see what changed meanwhile.
    local.faults.expireResourceVersions();
    local.objects.delete('v1', 'Pod', cellNamespace(cart), 'cart-api-0');
    await expectStatus('cart-api', 'development', { pods: { ready: 1, total: 1 } });
    local.objects.put(pod(cart, 'cart-api-0'));
    await expectStatus('cart-api', 'development', { health: 'Healthy', pods: { ready: 2, total: 2 } });

    // A watch cut without a word (a proxy timing out): the informer re-watches from where it was.
    expect(local.faults.dropWatches()).toBeGreaterThan(0);
    local.objects.delete('v1', 'Pod', cellNamespace(cart), 'cart-api-1');
    await expectStatus('cart-api', 'development', { pods: { ready: 1, total: 1 } });
    local.objects.put(pod(cart, 'cart-api-1'));
    await expectStatus('cart-api', 'development', { health: 'Healthy', pods: { ready: 2, total: 2 } });

    // A slow API server: status is late, never wrong.
    const slow = local.faults.addLatency(300);
    local.faults.dropWatches();
    local.objects.put(pod(cart, 'cart-api-1', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no nodes' }] }));
    await expectStatus('cart-api', 'development', { health: 'Degraded', causes: [{ type: 'Unschedulable' }] });
    slow();
    local.objects.put(pod(cart, 'cart-api-1'));
    await expectStatus('cart-api', 'development', { health: 'Healthy' });

    // 401 after a token rotation: Unknown with the reason, until the token works again.
    const unauthorized = local.faults.failRequests({ status: 401, message: 'Unauthorized' });
    local.faults.dropWatches();
    await expectStatus('cart-api', 'development', { health: 'Unknown', reason: expect.stringContaining('HTTP 401') });
    expect(statusOf('cart-api', 'production').health).toBe('Healthy');
    unauthorized();
    await expectStatus('cart-api', 'development', { health: 'Healthy' });
  });

  it('discovers which CRDs the data plane serves and watches only those', async () => {
    const kinds = watchers[0].watchedKinds();
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Pod', 'Event', 'Application', 'Kustomization', 'HTTPRoute', 'ReleaseBinding']));
    const lists = local.requests.entries({ verb: ['list', 'watch'], resource: 'pods' });
    expect(lists.length).toBeGreaterThan(0);
    const bare = await KubernetesTestServer.start({ resourceTypes: builtinResourceTypes });
    const plain = new DataPlaneWatcher({
      connection: { name: 'plain', kubeConfig: bare.kubeConfig(), server: bare.url, sandbox: false },
      logger,
      onChange: () => undefined,
      rediscoverMs: 50,
    });
    plain.start();
    try {
      await eventually(() => expect(plain.availability()).toEqual({ available: true }));
      expect(plain.watchedKinds()).not.toContain('Application');
      expect(plain.watchedKinds()).toContain('Deployment');
      // Argo CD gets installed: its Applications are watched from the next discovery on.
      bare.addResourceType(argoCdResourceTypes[0]);
      await eventually(() => expect(plain.watchedKinds()).toContain('Application'));
      expect(plain.watchedKinds().filter(k => k === 'Deployment')).toHaveLength(1);
    } finally {
      await plain.stop();
      await bare.close();
    }
  });
});
