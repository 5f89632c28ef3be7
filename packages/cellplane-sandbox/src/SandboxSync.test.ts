import { mockServices } from '@backstage/backend-test-utils';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { cellNamespace, eventually, renderedComponent } from '@cellplane/backstage-plugin-node/testUtils';
import { sandboxImageOutcome } from './SandboxRollouts';
import { SandboxSync } from './SandboxSync';

describe('sandboxImageOutcome', () => {
  it.each([
    ['registry.example/cart:1.0', 'ready'],
    ['cart', 'ready'],
    ['localhost:5000/cart:crashloop', 'crashloop'],
    ['acme/cart:oomkilled', 'oomkilled'],
    ['acme/cart:unschedulable', 'unschedulable'],
    ['registry.invalid/cart:1.0', 'imagepull'],
    ['nonexistent.registry/cart:1.0', 'imagepull'],
    ['crashloop/cart:1.0', 'ready'],
  ])('%s → %s', (image, outcome) => expect(sandboxImageOutcome(image)).toBe(outcome));
});

describe('SandboxSync', () => {
  let server: KubernetesTestServer;
  let sync: SandboxSync;
  beforeEach(async () => {
    server = await KubernetesTestServer.start();
    sync = new SandboxSync({ kubeConfig: server.kubeConfig(), logger: mockServices.logger.mock(), podStartMs: 50 });
  });
  afterEach(async () => {
    sync.stop();
    await server.close();
  });

  const cart = { project: 'storefront', component: 'cart-api', environment: 'development', replicas: 2 };
  const namespace = cellNamespace(cart);
  const application = () => server.objects.get<any>('argoproj.io/v1alpha1', 'Application', 'argocd', 'cellplane-acme-development');
  const pods = () => server.objects.list<any>('v1', 'Pod', namespace);
  const replicaSets = () => server.objects.list<any>('apps/v1', 'ReplicaSet', namespace);
  /** Owner chain as a cluster has it (and Backstage's Kubernetes tab follows): pod → ReplicaSet → Deployment. */
  const ownerOf = (object: any, candidates: any[]) =>
    candidates.find(c => object.metadata.ownerReferences?.some((o: any) => o.uid === c.metadata.uid && o.controller));

  it('applies a commit, reports it on the Application, and rolls pods out until ready', async () => {
    await sync.sync('a'.repeat(40), renderedComponent(cart));
    expect(application()?.status).toMatchObject({ sync: { status: 'Synced', revision: 'a'.repeat(40) }, operationState: { phase: 'Succeeded' } });
    expect(server.objects.get('v1', 'Service', namespace, 'cart-api')).toBeDefined();
    expect(pods()).toHaveLength(2);
    await eventually(() => {
      const deployment = server.objects.get<any>('apps/v1', 'Deployment', namespace, 'cart-api')!;
      expect(deployment.status).toMatchObject({ observedGeneration: deployment.metadata.generation, replicas: 2, updatedReplicas: 2, readyReplicas: 2 });
      expect(pods().every(p => p.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
    });
    const deployment = server.objects.get<any>('apps/v1', 'Deployment', namespace, 'cart-api')!;
    const [first] = replicaSets();
    expect(replicaSets()).toHaveLength(1);
    expect(ownerOf(first, [deployment])).toBeDefined();
    expect(pods().every(p => ownerOf(p, [first]))).toBe(true);
    expect(first.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(first.metadata.labels).toMatchObject({ 'openchoreo.dev/component': 'cart-api', 'pod-template-hash': expect.any(String) });

    // A new image: new pods replace the old ones, which crash-loop.
    await sync.sync('b'.repeat(40), renderedComponent({ ...cart, image: 'acme/cart-api:crashloop' }));
    await eventually(() => {
      expect(pods()).toHaveLength(2);
      expect(pods().every(p => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff')).toBe(true);
      expect(pods()[0].status.containerStatuses[0].lastState.terminated.exitCode).toBe(1);
      // A second ReplicaSet owns the new pods; the first is kept, scaled to 0, as history.
      const current = replicaSets().find(rs => rs.metadata.name !== first.metadata.name);
      const previous = replicaSets().find(rs => rs.metadata.name === first.metadata.name);
      expect(replicaSets()).toHaveLength(2);
      expect(pods().every(p => ownerOf(p, [current]))).toBe(true);
      expect(previous.spec.replicas).toBe(0);
      expect(previous.status.replicas).toBe(0);
    });

    // Gone from Git: pruned, pods and all.
    await sync.sync('c'.repeat(40), []);
    expect(server.objects.get('apps/v1', 'Deployment', namespace, 'cart-api')).toBeUndefined();
    expect(server.objects.get('v1', 'Service', namespace, 'cart-api')).toBeUndefined();
    expect(pods()).toHaveLength(0);
    expect(replicaSets()).toHaveLength(0);
  });

  it('keeps an object marked Prune=false when it leaves Git, as Argo CD does, and prunes the rest', async () => {
    const labels = { 'openchoreo.dev/environment': 'development', 'openchoreo.dev/namespace': 'acme' };
    const configMap = (name: string, annotations: Record<string, string> = {}) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels, annotations },
      data: { a: 'b' },
    });
    await sync.sync('e'.repeat(40), [configMap('retained', { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false' }), configMap('pruned')]);
    expect(server.objects.get('v1', 'ConfigMap', namespace, 'retained')).toBeDefined();
    expect(server.objects.get('v1', 'ConfigMap', namespace, 'pruned')).toBeDefined();

    await sync.sync('f'.repeat(40), [configMap('other')]);
    expect(server.objects.get('v1', 'ConfigMap', namespace, 'retained')).toBeDefined();
    expect(server.objects.get('v1', 'ConfigMap', namespace, 'pruned')).toBeUndefined();
    expect(application()?.status.operationState.message).toContain(`not pruned (Prune=false): ConfigMap ${namespace}/retained`);

    // No longer managed: a later sync does not delete it either.
    await sync.sync('0'.repeat(40), []);
    expect(server.objects.get('v1', 'ConfigMap', namespace, 'retained')).toBeDefined();
  });

  it('installs CRDs for operator kinds and reports what cannot be applied as a sync error', async () => {
    const externalSecret = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'cart-api-env', namespace, labels: { 'openchoreo.dev/environment': 'development', 'openchoreo.dev/namespace': 'acme' } },
      spec: { secretStoreRef: { name: 'default' } },
    };
    const unknownCore = { ...externalSecret, apiVersion: 'v1', kind: 'Widget', metadata: { ...externalSecret.metadata, name: 'w' } };
    await sync.sync('d'.repeat(40), [externalSecret, unknownCore]);
    expect(server.objects.get('external-secrets.io/v1', 'ExternalSecret', namespace, 'cart-api-env')).toBeDefined();
    expect(application()?.status).toMatchObject({
      sync: { status: 'OutOfSync' },
      operationState: { phase: 'Failed' },
      conditions: [{ type: 'SyncError', message: `Widget ${namespace}/w: Unrecognized API version and kind: v1 Widget` }],
    });
  });
});
