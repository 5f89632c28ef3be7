import { LoggerService } from '@backstage/backend-plugin-api';
import { STATUS_LABELS } from '@cellplane/backstage-plugin-common';
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import type { PodLogs } from '@cellplane/kubernetes-test-server';
import { SandboxPodLogs } from './SandboxPodLogs';

/**
 * What a sandbox pod does with its image, so a developer can try every failure without a
 * cluster (documented in the plugin README):
 * - a tag `crashloop` (e.g. `acme/cart:crashloop`): CrashLoopBackOff, last exit code 1
 * - a tag `oomkilled`: CrashLoopBackOff after OOMKilled, exit code 137
 * - a registry host ending in `.invalid` or containing `nonexistent`: ImagePullBackOff
 * - a tag `unschedulable`: the pod stays Pending, Unschedulable
 * - anything else: the pod becomes ready
 *
 * @public
 */
export function sandboxImageOutcome(image: string): 'ready' | 'crashloop' | 'oomkilled' | 'imagepull' | 'unschedulable' {
  const lastSlash = image.lastIndexOf('/');
  const host = lastSlash > 0 ? image.slice(0, image.indexOf('/')) : '';
  const tag = image.slice(lastSlash + 1).split('@')[0].split(':')[1] ?? '';
  if (/\.invalid$/.test(host) || /nonexistent/.test(host)) return 'imagepull';
  if (tag === 'crashloop') return 'crashloop';
  if (tag === 'oomkilled') return 'oomkilled';
  if (tag === 'unschedulable') return 'unschedulable';
  return 'ready';
}

/**
 * The log of a sandbox pod's container, as Backstage's Kubernetes tab shows it: no process runs in
 * the sandbox, so it says what the pod stands for and what the sandbox made of its image.
 *
 * @public
 */
export function sandboxPodLog(pod: { metadata: { name?: string; namespace?: string }; spec?: any }, container: string): string {
  const image = String((pod.spec?.containers ?? []).find((c: any) => c.name === container)?.image ?? 'unknown');
  const outcome = sandboxImageOutcome(image);
  return [
    `[cellplane sandbox] pod ${pod.metadata.namespace}/${pod.metadata.name}, container ${container}, image ${image}`,
    `[cellplane sandbox] no container runs in the sandbox data plane; this pod plays: ${outcome}`,
    '',
  ].join('\n');
}

interface Rollout {
  templateHash: string;
  replicas: number;
  token: number;
}

const CARRIED_LABELS = Object.values(STATUS_LABELS);

/**
 * Plays the controllers and kubelet of the sandbox: a Deployment or StatefulSet that Argo CD
 * (the sandbox sync) applied gets pods, which start Pending and become ready (or fail, see
 * sandboxImageOutcome) after `podStartMs`, and a status that walks through the rollout as the
 * real controllers report it. As in a cluster, a Deployment's pods belong to a ReplicaSet per
 * pod template (`<deployment>-<hash>`, older ones kept scaled to 0), which is how Backstage's
 * Kubernetes tab finds a Deployment's pods. Jobs complete after the same delay.
 */
export class SandboxRollouts {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly rollouts = new Map<string, Rollout>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private token = 0;
  private stopped = false;
  private readonly podLogs?: SandboxPodLogs;

  constructor(
    kubeConfig: KubeConfig,
    private readonly options: { podStartMs: number; logger: LoggerService; logs?: PodLogs },
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.batch = kubeConfig.makeApiClient(BatchV1Api);
    if (options.logs) this.podLogs = new SandboxPodLogs(options.logs);
  }

  stop() {
    this.stopped = true;
    this.podLogs?.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Reacts to a workload as the API server returned it after apply. */
  async reconcile(object: any): Promise<void> {
    if (object.kind === 'Deployment' || object.kind === 'StatefulSet') await this.rollOut(object);
    else if (object.kind === 'Job') this.later(() => this.completeJob(object));
  }

  /** A pruned workload takes its pods with it (the sandbox has no garbage collector). */
  async removed(object: { kind: string; metadata: { name: string; namespace?: string } }) {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return;
    const key = `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
    this.rollouts.delete(key);
    const namespace = object.metadata.namespace!;
    const replicaSets = object.kind === 'Deployment' ? await this.replicaSetsOf(namespace, object.metadata.name) : [];
    const owners = object.kind === 'Deployment' ? replicaSets.map(rs => rs.metadata.name as string) : [object.metadata.name];
    for (const pod of await this.podsOwnedBy(namespace, owners)) {
      await this.deletePod(pod);
    }
    for (const replicaSet of replicaSets) {
      await this.apps.deleteNamespacedReplicaSet({ name: replicaSet.metadata.name, namespace }).catch(() => undefined);
    }
  }

  private async rollOut(workload: any) {
    const { name, namespace, generation } = workload.metadata;
    const key = `${workload.kind}/${namespace}/${name}`;
    const replicas = Number(workload.spec?.replicas ?? 1);
    const templateHash = createHash('sha256').update(JSON.stringify(workload.spec?.template ?? {})).digest('hex').slice(0, 10);
    const previous = this.rollouts.get(key);
    const existing = await this.podsOf(workload.kind, namespace, name);
    if (previous && previous.templateHash === templateHash && previous.replicas === replicas && existing.length > 0) {
      await this.setWorkloadStatus(workload, { observedGeneration: generation });
      return;
    }
    const rollout = { templateHash, replicas, token: ++this.token };
    this.rollouts.set(key, rollout);
    const old = existing.filter(p => p.metadata?.labels?.['pod-template-hash'] !== templateHash);
    const oldReady = old.filter(isReady).length;
    await this.setWorkloadStatus(workload, {
      observedGeneration: generation,
      replicas: replicas + old.length,
      updatedReplicas: 0,
      readyReplicas: oldReady,
      availableReplicas: oldReady,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `rolling out ${templateHash}` }],
    });
    const containers: any[] = workload.spec?.template?.spec?.containers ?? [];
    const podOwner = workload.kind === 'Deployment' ? await this.ensureReplicaSet(workload, templateHash, replicas) : workload;
    const podNames: string[] = [];
    for (let i = 0; i < replicas; i += 1) {
      const podName = `${name}-${templateHash}-${i}`.slice(0, 63).replace(/-+$/, '');
      podNames.push(podName);
      await this.createPod(workload, podOwner, podName, templateHash, containers);
    }
    this.later(async () => {
      if (this.rollouts.get(key)?.token !== rollout.token) return; // a newer rollout took over
      const outcomes = containers.map(c => sandboxImageOutcome(String(c.image ?? '')));
      const failing = outcomes.find(o => o !== 'ready');
      for (const podName of podNames) await this.startPod(namespace, podName, containers);
      for (const pod of old) await this.deletePod(pod);
      const ready = failing ? 0 : replicas;
      if (workload.kind === 'Deployment') await this.settleReplicaSets(workload, podOwner.metadata.name, replicas, ready);
      await this.setWorkloadStatus(workload, {
        observedGeneration: generation,
        replicas,
        updatedReplicas: failing === 'unschedulable' ? 0 : replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(workload.kind === 'StatefulSet' ? { currentReplicas: replicas } : {}),
        conditions: [
          { type: 'Available', status: ready >= replicas ? 'True' : 'False', reason: ready >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' },
          { type: 'Progressing', status: 'True', reason: failing ? 'ReplicaSetUpdated' : 'NewReplicaSetAvailable' },
        ],
      });
    });
  }

  /** The ReplicaSet of the Deployment's current pod template, made (or rescaled) as its controller would. */
  private async ensureReplicaSet(deployment: any, templateHash: string, replicas: number): Promise<any> {
    const { namespace } = deployment.metadata;
    const name = `${deployment.metadata.name}-${templateHash}`.slice(0, 63).replace(/-+$/, '');
    const labels = podLabels(deployment, templateHash);
    const existing = await this.apps.readNamespacedReplicaSet({ name, namespace }).catch(() => undefined);
    if (existing) {
      existing.spec = { ...existing.spec!, replicas };
      return asReplicaSet(await this.apps.replaceNamespacedReplicaSet({ name, namespace, body: existing }));
    }
    const created = await ignoreConflict(
      this.apps.createNamespacedReplicaSet({
        namespace,
        body: {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name, namespace, labels, ownerReferences: [controllerReference(deployment)] },
          spec: {
            replicas,
            selector: { matchLabels: { ...(deployment.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': templateHash } },
            template: { ...(deployment.spec?.template ?? {}), metadata: { ...(deployment.spec?.template?.metadata ?? {}), labels } },
          },
        },
      }),
    );
    if (!created) return this.ensureReplicaSet(deployment, templateHash, replicas); // made meanwhile: rescale it
    created.status = { replicas, readyReplicas: 0, availableReplicas: 0, observedGeneration: created.metadata?.generation };
    return asReplicaSet(await this.apps.replaceNamespacedReplicaSetStatus({ name, namespace, body: created }));
  }

  /** After a rollout: the current ReplicaSet reports its pods, older ones are scaled to 0 and kept as history. */
  private async settleReplicaSets(deployment: any, current: string, replicas: number, ready: number) {
    for (const replicaSet of await this.replicaSetsOf(deployment.metadata.namespace, deployment.metadata.name)) {
      const isCurrent = replicaSet.metadata.name === current;
      if (!isCurrent && replicaSet.spec?.replicas !== 0) {
        replicaSet.spec = { ...replicaSet.spec, replicas: 0 };
        Object.assign(replicaSet, await this.apps.replaceNamespacedReplicaSet({ name: replicaSet.metadata.name, namespace: replicaSet.metadata.namespace, body: replicaSet }));
      }
      replicaSet.status = isCurrent
        ? { replicas, readyReplicas: ready, availableReplicas: ready, observedGeneration: replicaSet.metadata.generation }
        : { replicas: 0, observedGeneration: replicaSet.metadata.generation };
      await this.apps
        .replaceNamespacedReplicaSetStatus({ name: replicaSet.metadata.name, namespace: replicaSet.metadata.namespace, body: replicaSet })
        .catch(error => this.warn(`ReplicaSet ${replicaSet.metadata.name}`, error));
    }
  }

  private async createPod(workload: any, owner: any, name: string, templateHash: string, containers: any[]) {
    const template = workload.spec?.template ?? {};
    const labels = podLabels(workload, templateHash);
    await ignoreConflict(
      this.core.createNamespacedPod({
        namespace: workload.metadata.namespace,
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name,
            namespace: workload.metadata.namespace,
            labels,
            ownerReferences: [controllerReference(owner)],
          },
          spec: { ...(template.spec ?? {}), containers: containers.length ? containers : [{ name: 'main', image: 'unknown' }] },
        },
      }),
    );
    const pod = await this.core.readNamespacedPod({ name, namespace: workload.metadata.namespace });
    pod.status = {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: new Date() },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: new Date() },
      ],
      containerStatuses: containers.map(c => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
    };
    await this.core.replaceNamespacedPodStatus({ name, namespace: workload.metadata.namespace, body: pod });
  }

  private async startPod(namespace: string, name: string, containers: any[]) {
    const pod = await this.core.readNamespacedPod({ name, namespace }).catch(() => undefined);
    if (!pod) return;
    const outcomes = containers.map(c => sandboxImageOutcome(String(c.image ?? '')));
    if (outcomes.includes('unschedulable')) {
      pod.status = {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', lastTransitionTime: new Date(), reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu (sandbox: image tag "unschedulable").' },
        ],
      };
    } else {
      const allReady = outcomes.every(o => o === 'ready');
      pod.status = {
        phase: 'Running',
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: new Date() },
          { type: 'Ready', status: allReady ? 'True' : 'False', ...(allReady ? {} : { reason: 'ContainersNotReady' }), lastTransitionTime: new Date() },
        ],
        containerStatuses: containers.map((c, i) => containerStatus(c, outcomes[i])),
      };
    }
    await this.core.replaceNamespacedPodStatus({ name, namespace, body: pod }).catch(error => this.warn(`pod ${namespace}/${name}`, error));
    this.podLogs?.started(namespace, name, containers, outcomes);
    await this.recordFailure(pod, containers, outcomes);
  }

  /**
   * The Event the kubelet or scheduler would record about a pod that does not start (a back-off,
   * a failed pull, no node), which the portal shows beside the logs.
   */
  private async recordFailure(pod: any, containers: any[], outcomes: Array<ReturnType<typeof sandboxImageOutcome>>) {
    const failing = outcomes.findIndex(o => o !== 'ready');
    if (failing < 0) return;
    const container = containers[failing] ?? { name: 'main', image: 'unknown' };
    const { reason, type, message } = {
      crashloop: { reason: 'BackOff', type: 'Warning', message: `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name}` },
      oomkilled: { reason: 'BackOff', type: 'Warning', message: `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name} (OOMKilled)` },
      imagepull: { reason: 'Failed', type: 'Warning', message: `Failed to pull image "${container.image}": not found in the sandbox registry` },
      unschedulable: { reason: 'FailedScheduling', type: 'Warning', message: '0/1 nodes are available: 1 Insufficient cpu (sandbox: image tag "unschedulable").' },
      ready: { reason: '', type: '', message: '' },
    }[outcomes[failing]];
    const now = new Date();
    await this.core
      .createNamespacedEvent({
        namespace: pod.metadata.namespace,
        body: {
          metadata: { name: `${pod.metadata.name}.${now.getTime().toString(16)}`, namespace: pod.metadata.namespace },
          involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
          reason,
          type,
          message,
          count: 1,
          firstTimestamp: now,
          lastTimestamp: now,
          source: { component: reason === 'FailedScheduling' ? 'default-scheduler' : 'kubelet' },
        },
      })
      .catch(error => this.warn(`event of pod ${pod.metadata.namespace}/${pod.metadata.name}`, error));
  }

  private async completeJob(job: any) {
    const current = await this.batch.readNamespacedJob({ name: job.metadata.name, namespace: job.metadata.namespace }).catch(() => undefined);
    if (!current) return;
    current.status = { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] as any };
    await this.batch
      .replaceNamespacedJobStatus({ name: job.metadata.name, namespace: job.metadata.namespace, body: current })
      .catch(error => this.warn(`job ${job.metadata.name}`, error));
  }

  private async setWorkloadStatus(workload: any, status: Record<string, unknown>) {
    const { name, namespace } = workload.metadata;
    try {
      if (workload.kind === 'Deployment') {
        const current = await this.apps.readNamespacedDeployment({ name, namespace });
        current.status = { ...(current.status ?? {}), ...stampConditions(current.status?.conditions, status, true) } as any;
        await this.apps.replaceNamespacedDeploymentStatus({ name, namespace, body: current });
      } else {
        const current = await this.apps.readNamespacedStatefulSet({ name, namespace });
        current.status = { replicas: 0, ...(current.status ?? {}), ...stampConditions(current.status?.conditions, status, false) } as any;
        await this.apps.replaceNamespacedStatefulSetStatus({ name, namespace, body: current });
      }
    } catch (error) {
      this.warn(`${workload.kind} ${namespace}/${name}`, error);
    }
  }

  /** A workload's pods: a StatefulSet's own, a Deployment's through its ReplicaSets. */
  private async podsOf(kind: string, namespace: string, owner: string): Promise<any[]> {
    const owners = kind === 'Deployment' ? (await this.replicaSetsOf(namespace, owner)).map(rs => rs.metadata.name as string) : [owner];
    return this.podsOwnedBy(namespace, owners);
  }

  private async podsOwnedBy(namespace: string, owners: string[]): Promise<any[]> {
    const names = new Set(owners);
    const pods = await this.core.listNamespacedPod({ namespace });
    return pods.items.filter(p => p.metadata?.ownerReferences?.some(o => names.has(o.name)));
  }

  private async replicaSetsOf(namespace: string, deployment: string): Promise<any[]> {
    const replicaSets = await this.apps.listNamespacedReplicaSet({ namespace });
    return replicaSets.items.filter(rs => rs.metadata?.ownerReferences?.some(o => o.kind === 'Deployment' && o.name === deployment));
  }

  private async deletePod(pod: any) {
    this.podLogs?.deleted(pod.metadata.namespace, pod.metadata.name);
    await this.core
      .deleteNamespacedPod({ name: pod.metadata.name, namespace: pod.metadata.namespace, gracePeriodSeconds: 0 })
      .catch(() => undefined);
  }

  private later(fn: () => Promise<void>) {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn().catch(error => this.warn('rollout', error));
    }, this.options.podStartMs);
    this.timers.add(timer);
  }

  private warn(what: string, error: unknown) {
    if (!this.stopped) this.options.logger.warn(`sandbox: could not update ${what}: ${(error as Error)?.message?.split('\n')[0] ?? error}`);
  }
}

/** A pod's labels: its template's, the template hash, and the component labels status reads. */
function podLabels(workload: any, templateHash: string): Record<string, string> {
  const labels: Record<string, string> = { ...(workload.spec?.template?.metadata?.labels ?? {}), 'pod-template-hash': templateHash };
  for (const label of CARRIED_LABELS) {
    const value = workload.metadata.labels?.[label];
    if (value !== undefined) labels[label] ??= value;
  }
  return labels;
}

/** The client returns typed objects whose apiVersion and kind the API may leave out. */
function asReplicaSet(object: any) {
  return { ...object, apiVersion: 'apps/v1', kind: 'ReplicaSet' };
}

function controllerReference(owner: any) {
  return { apiVersion: owner.apiVersion ?? 'apps/v1', kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true };
}

function containerStatus(container: any, outcome: ReturnType<typeof sandboxImageOutcome>) {
  const base = { name: container.name, image: container.image, imageID: '', restartCount: 0, ready: false };
  switch (outcome) {
    case 'imagepull':
      return {
        ...base,
        state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${container.image}"` } },
      };
    case 'crashloop':
      return {
        ...base,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      };
    case 'oomkilled':
      return {
        ...base,
        restartCount: 2,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container' } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
      };
    default:
      return { ...base, ready: true, started: true, state: { running: {} } };
  }
}

function isReady(pod: any) {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

async function ignoreConflict<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error: any) {
    if (error?.code === 409) return undefined;
    throw error;
  }
}

/**
 * A workload status with its conditions dated as the controllers date them: a condition whose
 * status did not change keeps its lastTransitionTime; a Deployment's also say when they were
 * last updated. The commit trace shows these times (rolled out at, ready at).
 */
function stampConditions(
  previous: Array<{ type: string; status: string; lastTransitionTime?: Date }> | undefined,
  status: Record<string, unknown>,
  withUpdateTime: boolean,
): Record<string, unknown> {
  const conditions = status.conditions as Array<{ type: string; status: string }> | undefined;
  if (!conditions) return status;
  const now = new Date();
  return {
    ...status,
    conditions: conditions.map(condition => {
      const before = previous?.find(c => c.type === condition.type);
      const lastTransitionTime = before && before.status === condition.status && before.lastTransitionTime ? before.lastTransitionTime : now;
      return { ...condition, lastTransitionTime, ...(withUpdateTime ? { lastUpdateTime: now } : {}) };
    }),
  };
}
