import fc from 'fast-check';
import { ComponentObservation, deriveComponentStatus } from './deriveStatus';
import { ObservedObject } from './types';
import { STATUS_LABELS } from './labels';

/** Raise for a release check: `CELLPLANE_FUZZ_RUNS=20000 yarn test`. */
const FUZZ_RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS ?? 300);

const labels = (hash = 'h1') => ({
  [STATUS_LABELS.component]: 'cart',
  [STATUS_LABELS.project]: 'shop',
  [STATUS_LABELS.environment]: 'development',
  [STATUS_LABELS.releaseHash]: hash,
});

const deployment = (overrides: { replicas?: number; status?: any; generation?: number; hash?: string } = {}): ObservedObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'cart', namespace: 'shop-development', generation: overrides.generation ?? 2, labels: labels(overrides.hash) },
  spec: { replicas: overrides.replicas ?? 2 },
  status: overrides.status ?? { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
});

const pod = (name: string, status: any, extra: Partial<ObservedObject['metadata']> = {}): ObservedObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop-development', uid: `uid-${name}`, labels: labels(), ...extra },
  spec: { containers: [{ name: 'main', image: 'registry.example/cart:1.0' }] },
  status,
});

const readyPod = (name: string) =>
  pod(name, {
    phase: 'Running',
    conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'main', image: 'registry.example/cart:1.0', ready: true, restartCount: 0, state: { running: {} } }],
  });

const service: ObservedObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'cart', namespace: 'shop-development', labels: labels() },
};

const desired = (objects = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', namespace: 'shop-development' }]) => ({
  commit: 'c'.repeat(40),
  releaseHash: 'h1',
  objects,
});

const observe = (objects: ObservedObject[], more: Partial<ComponentObservation> = {}): ComponentObservation => ({
  namespace: 'acme',
  project: 'shop',
  component: 'cart',
  environment: 'development',
  dataPlane: { name: 'default', sandbox: false, available: true },
  desired: desired(),
  objects,
  ...more,
});

const application = (status: any): ObservedObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'shop-development', namespace: 'argocd', labels: { [STATUS_LABELS.environment]: 'development' } },
  status,
});

describe('deriveComponentStatus', () => {
  it('is Healthy when the desired release runs with every replica ready', () => {
    const status = deriveComponentStatus(
      observe([deployment(), readyPod('cart-1'), readyPod('cart-2'), service, application({ sync: { status: 'Synced', revision: 'c'.repeat(40) } })]),
    );
    expect(status).toMatchObject({
      health: 'Healthy',
      desired: { commit: 'c'.repeat(40), releaseHash: 'h1' },
      synced: { tool: 'ArgoCD', commit: 'c'.repeat(40), state: 'Synced', object: { kind: 'Application', name: 'shop-development' } },
      runningReleaseHash: 'h1',
      rollout: { desiredReplicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, complete: true },
      pods: { ready: 2, total: 2, restarts: 0 },
      causes: [],
    });
  });

  it('is NotDeployed when nothing is desired and nothing runs', () => {
    const status = deriveComponentStatus(observe([], { desired: undefined }));
    expect(status).toMatchObject({ health: 'NotDeployed', causes: [], pods: { ready: 0, total: 0, restarts: 0 } });
  });

  it('is Unknown with the reason when the data plane cannot be read, whatever was seen before', () => {
    const status = deriveComponentStatus(
      observe([deployment()], { dataPlane: { name: 'eu-1', sandbox: false, available: false, reason: 'connect ECONNREFUSED 10.0.0.1:6443' } }),
    );
    expect(status.health).toBe('Unknown');
    expect(status.reason).toBe('Unknown: connect ECONNREFUSED 10.0.0.1:6443');
    expect(status.dataPlane).toEqual({ name: 'eu-1', sandbox: false });
  });

  it('is Progressing while a rollout is under way', () => {
    const status = deriveComponentStatus(
      observe([
        deployment({ generation: 3, status: { observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 } }),
        readyPod('cart-1'),
        pod('cart-3', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] }),
      ]),
    );
    expect(status.health).toBe('Progressing');
    expect(status.rollout).toMatchObject({ desiredReplicas: 2, updatedReplicas: 1, complete: false });
    expect(status.pods).toEqual({ ready: 1, total: 2, restarts: 0 });
    expect(status.reason).toMatch(/^rollout: 2\/2 ready, 1 updated$/);
  });

  it('is Progressing while the controller has not observed the new generation', () => {
    const status = deriveComponentStatus(observe([deployment({ generation: 4 }), readyPod('cart-1'), readyPod('cart-2')]));
    expect(status.health).toBe('Progressing');
    expect(status.rollout?.generationObserved).toBe(false);
  });

  it('is Progressing while Argo CD syncs, even before the new objects exist', () => {
    const status = deriveComponentStatus(
      observe([application({ sync: { status: 'OutOfSync', revision: 'b'.repeat(40) }, operationState: { phase: 'Running' } })]),
    );
    expect(status.health).toBe('Progressing');
    expect(status.synced).toMatchObject({ commit: 'b'.repeat(40), state: 'Running' });
  });

  it('is OutOfSync with a MissingObject cause when a desired object is not in the cluster', () => {
    const status = deriveComponentStatus(
      observe([deployment(), readyPod('cart-1'), readyPod('cart-2')], {
        desired: desired([
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', namespace: 'shop-development' },
          { apiVersion: 'v1', kind: 'Service', name: 'cart', namespace: 'shop-development' },
        ]),
      }),
    );
    expect(status.health).toBe('OutOfSync');
    expect(status.causes).toEqual([
      {
        type: 'MissingObject',
        message: 'Service shop-development/cart is in Git but not in the cluster',
        object: { apiVersion: 'v1', kind: 'Service', name: 'cart', namespace: 'shop-development' },
      },
    ]);
  });

  it('is OutOfSync when another release runs than the one desired', () => {
    const status = deriveComponentStatus(observe([deployment({ hash: 'h0' }), readyPod('cart-1'), readyPod('cart-2')]));
    expect(status.health).toBe('OutOfSync');
    expect(status.runningReleaseHash).toBe('h0');
    expect(status.reason).toBe('release h0 runs, h1 is desired');
  });

  it('is OutOfSync when Argo CD says so and is not syncing', () => {
    const status = deriveComponentStatus(
      observe([deployment(), readyPod('cart-1'), readyPod('cart-2'), application({ sync: { status: 'OutOfSync', revision: 'a'.repeat(40) } })]),
    );
    expect(status.health).toBe('OutOfSync');
    expect(status.reason).toBe('ArgoCD reports OutOfSync');
  });

  it('names the image of an ImagePullBackOff', () => {
    const status = deriveComponentStatus(
      observe([
        deployment({ status: { observedGeneration: 2, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } }),
        readyPod('cart-1'),
        pod('cart-2', {
          phase: 'Pending',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            { name: 'main', image: 'nope.invalid/cart:2.0', restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } },
          ],
        }),
      ]),
    );
    expect(status.health).toBe('Degraded');
    expect(status.causes).toEqual([
      {
        type: 'ImagePullBackOff',
        message: 'container main cannot pull image nope.invalid/cart:2.0: Back-off pulling image',
        object: { apiVersion: 'v1', kind: 'Pod', name: 'cart-2', namespace: 'shop-development' },
        container: 'main',
        image: 'nope.invalid/cart:2.0',
      },
    ]);
    expect(status.reason).toBe(status.causes[0].message);
  });

  it('falls back to the pod spec for the image when the status has none', () => {
    const status = deriveComponentStatus(
      observe([pod('cart-2', { containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ErrImagePull' } } }] })]),
    );
    expect(status.causes[0]).toMatchObject({ type: 'ImagePullBackOff', image: 'registry.example/cart:1.0' });
  });

  it('gives the last exit code and restart count of a CrashLoopBackOff', () => {
    const status = deriveComponentStatus(
      observe([
        deployment(),
        pod('cart-1', {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            {
              name: 'main',
              restartCount: 5,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 3, reason: 'Error' } },
            },
          ],
        }),
      ]),
    );
    expect(status.health).toBe('Degraded');
    expect(status.causes).toEqual([
      expect.objectContaining({ type: 'CrashLoopBackOff', exitCode: 3, restartCount: 5, message: 'container main keeps crashing: last exit code 3, 5 restarts' }),
    ]);
    expect(status.pods).toEqual({ ready: 0, total: 1, restarts: 5 });
  });

  it('reports OOMKilled beside the crash loop it causes', () => {
    const status = deriveComponentStatus(
      observe([
        deployment(),
        pod('cart-1', {
          containerStatuses: [
            { name: 'main', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
          ],
        }),
      ]),
    );
    expect(status.causes.map(c => c.type)).toEqual(['CrashLoopBackOff', 'OOMKilled']);
    expect(status.causes[1]).toMatchObject({ exitCode: 137, container: 'main' });
  });

  it('says why a pod cannot be scheduled', () => {
    const status = deriveComponentStatus(
      observe([
        deployment(),
        pod('cart-1', {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }],
        }),
      ]),
    );
    expect(status.health).toBe('Degraded');
    expect(status.causes).toEqual([
      expect.objectContaining({ type: 'Unschedulable', message: 'pod cart-1 cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.' }),
    ]);
  });

  it('reports the newest failed probe of a pod that is not ready', () => {
    const event = (message: string, at: string): ObservedObject => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `cart-1.${at}`, namespace: 'shop-development' },
      involvedObject: { kind: 'Pod', name: 'cart-1', namespace: 'shop-development', uid: 'uid-cart-1' },
      reason: 'Unhealthy',
      message,
      lastTimestamp: at,
    });
    const notReady = pod('cart-1', {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'main', restartCount: 0, state: { running: {} } }],
    });
    const status = deriveComponentStatus(
      observe([
        deployment(),
        notReady,
        event('Readiness probe failed: HTTP probe failed with statuscode: 500', '2026-01-01T00:00:02Z'),
        event('Readiness probe failed: connection refused', '2026-01-01T00:00:01Z'),
      ]),
    );
    expect(status.causes).toEqual([
      expect.objectContaining({ type: 'ProbeFailed', message: 'pod cart-1: Readiness probe failed: HTTP probe failed with statuscode: 500' }),
    ]);
    // Once the pod is ready again, old probe events no longer count.
    const recovered = deriveComponentStatus(observe([deployment({ replicas: 1, status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } }), readyPod('cart-1'), event('Readiness probe failed', '2026-01-01T00:00:03Z')]));
    expect(recovered.health).toBe('Healthy');
  });

  it('reports a rollout past its progress deadline and a failed job', () => {
    const stuck = deployment();
    stuck.status.conditions = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "cart-5d9" has timed out progressing.' }];
    const job: ObservedObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop-development', labels: labels() },
      status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
    };
    const status = deriveComponentStatus(observe([stuck, job]));
    expect(status.health).toBe('Degraded');
    expect(status.causes.map(c => [c.type, c.object.name])).toEqual([
      ['RolloutStuck', 'cart'],
      ['JobFailed', 'migrate'],
    ]);
  });

  it('reports an Argo CD sync error with the Application as the object', () => {
    const status = deriveComponentStatus(
      observe([
        deployment(),
        application({ sync: { status: 'OutOfSync', revision: 'a'.repeat(40) }, conditions: [{ type: 'SyncError', message: 'one or more objects failed to apply' }] }),
      ]),
    );
    expect(status.health).toBe('Degraded');
    expect(status.causes[0]).toEqual({
      type: 'SyncError',
      message: 'Argo CD shop-development: SyncError: one or more objects failed to apply',
      object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'shop-development', namespace: 'argocd' },
    });
  });

  it('reports a failed Argo CD operation', () => {
    const status = deriveComponentStatus(observe([application({ operationState: { phase: 'Failed', message: 'the server could not find the requested resource' } })]));
    expect(status.causes[0].message).toBe('Argo CD shop-development: sync failed: the server could not find the requested resource');
  });

  it('reads the synced revision and errors of a Flux Kustomization', () => {
    const kustomization = (ready: any): ObservedObject => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'shop-development', namespace: 'flux-system' },
      status: { lastAppliedRevision: `main@sha1:${'d'.repeat(40)}`, conditions: [ready] },
    });
    const synced = deriveComponentStatus(
      observe([deployment(), readyPod('a'), readyPod('b'), kustomization({ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' })]),
    );
    expect(synced.health).toBe('Healthy');
    expect(synced.synced).toMatchObject({ tool: 'Flux', commit: 'd'.repeat(40), state: 'Synced' });
    const failed = deriveComponentStatus(
      observe([deployment(), kustomization({ type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message: 'Deployment/cart dry-run failed' })]),
    );
    expect(failed.health).toBe('Degraded');
    expect(failed.causes[0]).toMatchObject({ type: 'SyncError', message: 'Flux shop-development: ReconciliationFailed: Deployment/cart dry-run failed' });
  });

  it('reads OpenChoreo ReleaseBinding conditions', () => {
    const binding: ObservedObject = {
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ReleaseBinding',
      metadata: { name: 'cart-development', namespace: 'acme' },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'RenderingFailed', message: 'trait ingress: missing host' }] },
    };
    const status = deriveComponentStatus(observe([deployment(), binding]));
    expect(status.causes[0]).toMatchObject({ type: 'SyncError', message: 'OpenChoreo ReleaseBinding cart-development: RenderingFailed: trait ingress: missing host' });
    expect(status.synced).toMatchObject({ tool: 'OpenChoreo' });
    expect(status.openChoreo?.releaseBinding?.conditions).toEqual([
      { type: 'Ready', status: 'False', reason: 'RenderingFailed', message: 'trait ingress: missing host' },
    ]);
  });

  it("does not call a healthy rollout Degraded while OpenChoreo's binding is still progressing", () => {
    // OpenChoreo's Ready=False reasons for work under way (ResourcesProgressing, ConnectionsPending)
    // are not failures; before, any Ready=False but "Progressing" was a SyncError.
    for (const reason of ['ResourcesProgressing', 'ConnectionsPending']) {
      const binding: ObservedObject = {
        apiVersion: 'openchoreo.dev/v1alpha1',
        kind: 'ReleaseBinding',
        metadata: { name: 'cart-development', namespace: 'acme' },
        status: { conditions: [{ type: 'Ready', status: 'False', reason, message: 'Primary workload Deployment/cart is progressing' }] },
      };
      const status = deriveComponentStatus(observe([deployment(), readyPod('a'), readyPod('b'), binding]));
      expect(status).toMatchObject({ health: 'Healthy', causes: [] });
    }
  });

  describe('after an update of a running component', () => {
    /** A ReplicaSet of the Deployment for one pod template (its labels: that template's, old release hash included). */
    const replicaSet = (hash: string, replicas: number, ready = replicas): ObservedObject => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `cart-${hash}`,
        namespace: 'shop-development',
        labels: { ...labels(hash), 'pod-template-hash': hash },
        ownerReferences: [{ kind: 'Deployment', name: 'cart', uid: 'uid-cart' }],
      },
      spec: { replicas },
      status: { replicas, readyReplicas: ready, availableReplicas: ready },
    });
    const podOf = (hash: string, name: string, ready = true): ObservedObject => {
      const base = ready ? readyPod(name) : pod(name, { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] });
      return {
        ...base,
        metadata: { ...base.metadata, labels: labels(hash), ownerReferences: [{ kind: 'ReplicaSet', name: `cart-${hash}` }] },
      };
    };

    it('is Healthy at the new release when the old ReplicaSet is kept at 0 as history', () => {
      const status = deriveComponentStatus(
        observe([deployment(), replicaSet('h0', 0), replicaSet('h1', 2), podOf('h1', 'cart-h1-0'), podOf('h1', 'cart-h1-1'), service]),
      );
      expect(status).toMatchObject({ health: 'Healthy', runningReleaseHash: 'h1', reason: '2/2 replicas ready', causes: [] });
    });

    it('is Progressing, not OutOfSync, while old and new pods both run during the rolling update', () => {
      const status = deriveComponentStatus(
        observe([
          deployment({ generation: 3, status: { observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 } }),
          replicaSet('h0', 2),
          replicaSet('h1', 1, 0),
          podOf('h0', 'cart-h0-0'),
          podOf('h0', 'cart-h0-1'),
          podOf('h1', 'cart-h1-0', false),
          service,
        ]),
      );
      expect(status.health).toBe('Progressing');
      expect(status.runningReleaseHash).toBe('h1');
      expect(status.reason).toBe('rollout: 2/2 ready, 1 updated; release h0 still runs on 2 pod(s)');
    });

    it('is Progressing while the last pod of the old release still runs after the Deployment reports done', () => {
      const status = deriveComponentStatus(observe([deployment(), replicaSet('h0', 1), replicaSet('h1', 2), podOf('h0', 'cart-h0-0'), podOf('h1', 'a'), podOf('h1', 'b')]));
      expect(status.health).toBe('Progressing');
      expect(status.reason).toBe('release h0 still runs on 1 pod(s) while h1 rolls out');
    });

    it('stays OutOfSync when the Deployment itself still carries the old release', () => {
      const status = deriveComponentStatus(observe([deployment({ hash: 'h0' }), replicaSet('h0', 2), replicaSet('hx', 0), podOf('h0', 'a'), podOf('h0', 'b')]));
      expect(status).toMatchObject({ health: 'OutOfSync', runningReleaseHash: 'h0', reason: 'release h0 runs, h1 is desired' });
    });

    it('never says two releases differ when they are the same (property)', () => {
      const hash = fc.constantFrom('h0', 'h1', 'h2');
      const observedObject = fc.oneof(
        hash.map(h => deployment({ hash: h })),
        fc.tuple(hash, fc.nat(3)).map(([h, n]) => replicaSet(h, n)),
        fc.tuple(hash, fc.boolean(), fc.nat(5)).map(([h, ready, i]) => podOf(h, `cart-${h}-${i}`, ready)),
        hash.map(h => ({ ...service, metadata: { ...service.metadata, labels: labels(h) } })),
      );
      fc.assert(
        fc.property(fc.array(observedObject, { maxLength: 8 }), hash, (objects, desiredHash) => {
          const { reason = '' } = deriveComponentStatus(observe(objects, { desired: { ...desired(), releaseHash: desiredHash } }));
          const claim = /release (\S+) runs, (\S+) is desired/.exec(reason);
          const stillRuns = /release (\S+) still runs/.exec(reason);
          const allDesired = objects.every(o => o.metadata.labels?.[STATUS_LABELS.releaseHash] === desiredHash);
          const selfContradicting =
            (claim !== null && claim[1] === claim[2]) ||
            (stillRuns !== null && stillRuns[1] === desiredHash) ||
            (allDesired && /release \S+ (runs|still runs)/.test(reason));
          expect({ reason, selfContradicting }).toEqual({ reason, selfContradicting: false });
        }),
        { seed: 42, numRuns: FUZZ_RUNS },
      );
    });
  });

  it('does not count terminating objects as deployed, and counts terminating pods as a rollout', () => {
    const gone = { ...deployment(), metadata: { ...deployment().metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(deriveComponentStatus(observe([gone], { desired: undefined })).health).toBe('NotDeployed');
    const terminating = pod('cart-0', readyPod('x').status, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const status = deriveComponentStatus(observe([deployment(), readyPod('cart-1'), readyPod('cart-2'), terminating]));
    expect(status.health).toBe('Progressing');
    expect(status.pods.total).toBe(2);
  });
});
