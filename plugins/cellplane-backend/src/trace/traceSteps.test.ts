import { ComponentEnvironmentStatus, ObservedObject, STATUS_LABELS } from '@cellplane/backstage-plugin-common';
import { ChangedComponent } from './changedComponents';
import { TraceInputs, deliveryReport, traceSteps } from './traceSteps';

const COMMIT = 'a'.repeat(40);
const NEWER = 'b'.repeat(40);
const AT = '2026-12-01T09:00:00Z';
const changed: ChangedComponent = {
  namespace: 'acme',
  project: 'storefront',
  component: 'cart-api',
  environment: 'development',
  change: 'rendered',
  renderedPath: 'rendered/default/acme/development/storefront/components/cart-api.yaml',
};
const labels = (hash: string) => ({ [STATUS_LABELS.component]: 'cart-api', [STATUS_LABELS.environment]: 'development', [STATUS_LABELS.releaseHash]: hash });
const workload = (kind: string, hash: string, status: any = {}, replicas = 1): ObservedObject => ({
  apiVersion: kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
  kind,
  metadata: { name: 'cart-api', namespace: 'acme-storefront-development', generation: 1, labels: labels(hash) },
  spec: { replicas },
  status: { observedGeneration: 1, ...status },
});
const kustomization = (status: any): ObservedObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'cellplane-acme-development', namespace: 'flux-system' },
  status,
});
const healthy: ComponentEnvironmentStatus = {
  namespace: 'acme',
  project: 'storefront',
  component: 'cart-api',
  environment: 'development',
  health: 'Healthy',
  pods: { ready: 1, total: 1, restarts: 0 },
  causes: [],
};

const steps = (inputs: Partial<TraceInputs>) =>
  Object.fromEntries(
    traceSteps({ changed, commit: COMMIT, committedAt: AT, releaseHash: 'h1', status: healthy, objects: [], ...inputs }).map(({ name, ...rest }) => [
      name,
      rest,
    ]),
  );

describe('traceSteps', () => {
  it("reads Flux's applied revision and the time its Ready condition turned true", () => {
    const delivery = deliveryReport([
      kustomization({ lastAppliedRevision: `main@sha1:${COMMIT}`, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: AT }] }),
    ]);
    expect(delivery).toEqual({ tool: 'Flux', name: 'cellplane-acme-development', revision: COMMIT, syncing: false, finishedAt: AT });
    expect(steps({ delivery, syncedIncludesCommit: true }).synced).toEqual({
      state: 'done',
      at: AT,
      revision: COMMIT,
      detail: `Flux cellplane-acme-development synced aaaaaaa`,
    });
  });

  it('fails the rollout with the stuck Deployment, and waits for it with the pods', () => {
    const stuck = workload('Deployment', 'h1', { replicas: 2, updatedReplicas: 1 }, 2);
    const status = {
      ...healthy,
      health: 'Degraded' as const,
      causes: [{ type: 'RolloutStuck' as const, message: 'deployment cart-api exceeded its progress deadline', object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart-api' } }],
    };
    expect(steps({ objects: [stuck], status })).toMatchObject({
      synced: { state: 'done', detail: 'applied: the workloads carry release h1' },
      'rolled-out': { state: 'failed', reason: 'deployment cart-api exceeded its progress deadline' },
      ready: { state: 'in-progress', reason: '0/2 pods ready' },
    });
  });

  it('has nothing to roll out when the commit renders no workload, and no pods to wait for with a CronJob', () => {
    expect(steps({ releaseHash: undefined })).toMatchObject({
      'rolled-out': { state: 'not-applicable', reason: 'the commit renders no workload of cart-api for development' },
      ready: { state: 'not-applicable' },
    });
    expect(steps({ objects: [workload('CronJob', 'h1')] })).toMatchObject({
      'rolled-out': { state: 'done', detail: 'CronJob cart-api carries the release; its next run uses it' },
      ready: { state: 'not-applicable', reason: 'a scheduled task: its pods run on its schedule' },
    });
  });

  it('says a newer commit superseded it only when its release runs nowhere', () => {
    expect(steps({ objects: [workload('Deployment', 'h2')], supersededBy: NEWER })['rolled-out']).toMatchObject({
      state: 'not-applicable',
      reason: expect.stringContaining('superseded: a newer commit bbbbbbb'),
    });
    // The newer commit rendered the same release (it changed only, say, a NetworkPolicy): ours runs.
    const running = workload('Deployment', 'h1', { replicas: 1, updatedReplicas: 1, availableReplicas: 1 });
    expect(steps({ objects: [running], supersededBy: NEWER })['rolled-out']).toMatchObject({ state: 'done' });
  });

  it('follows a removal until the workloads are gone', () => {
    const removal = { changed: { ...changed, change: 'removed' as const }, releaseHash: undefined, status: undefined };
    const delivery = deliveryReport([kustomization({ lastAppliedRevision: `main@sha1:${COMMIT}` })]);
    expect(steps({ ...removal, delivery, syncedIncludesCommit: true, objects: [workload('Deployment', 'h1')] })['rolled-out']).toEqual({
      state: 'in-progress',
      reason: 'still in the cluster: Deployment cart-api',
    });
    expect(steps({ ...removal, delivery, syncedIncludesCommit: true })['rolled-out']).toEqual({ state: 'done', detail: 'removed from the cluster' });
  });

  it('waits, naming why, while the data plane cannot be read', () => {
    expect(steps({ unreadable: 'data plane default cannot be read: connection refused' })).toMatchObject({
      synced: { state: 'waiting', reason: 'data plane default cannot be read: connection refused' },
      'rolled-out': { state: 'waiting' },
      ready: { state: 'waiting' },
    });
  });

  it('says a spec change that renders nothing new has nothing to deliver', () => {
    const result = steps({ changed: { ...changed, change: 'spec', renderedPath: undefined } });
    expect(result.rendered).toMatchObject({ state: 'not-applicable', reason: expect.stringContaining('nothing new to deliver there') });
    expect([result.synced.state, result['rolled-out'].state, result.ready.state]).toEqual(['not-applicable', 'not-applicable', 'not-applicable']);
  });
});
