import {
  ComponentEnvironmentStatus,
  ObservedObject,
  STATUS_LABELS,
  TraceStep,
} from '@cellplane/backstage-plugin-common';
import { ChangedComponent } from './changedComponents';

/** What the GitOps tool that delivers an environment reports, read from its object. */
export interface DeliveryReport {
  tool: 'Argo CD' | 'Flux';
  name: string;
  /** The revision it last synced (Argo CD `status.sync.revision`, Flux `lastAppliedRevision`). */
  revision?: string;
  syncing: boolean;
  /** When it last finished syncing (Argo CD `operationState.finishedAt` / `reconciledAt`, Flux Ready's time). */
  finishedAt?: string;
}

/** Everything known about one changed component in one environment, for its steps. */
export interface TraceInputs {
  changed: ChangedComponent;
  commit: string;
  committedAt: string;
  /** The release hash the commit rendered for a workload; undefined when it rendered none. */
  releaseHash?: string;
  /** Its status at the head; undefined when the head no longer has the component. */
  status?: ComponentEnvironmentStatus;
  /** Why the environment's data plane cannot be read, when it cannot. */
  unreadable?: string;
  /** The objects observed for it (workloads, pods, the delivery object). */
  objects: ObservedObject[];
  delivery?: DeliveryReport;
  /** Whether `delivery.revision` includes the commit (undefined when no revision is reported). */
  syncedIncludesCommit?: boolean;
  /** A newer commit that changed the same rendered file. */
  supersededBy?: string;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'CronJob']);
const short = (commit: string) => commit.slice(0, 7);
const hashOf = (object: ObservedObject) => object.metadata.labels?.[STATUS_LABELS.releaseHash];
const isApplied = (object: ObservedObject) => WORKLOAD_KINDS.has(object.kind) && !object.metadata.ownerReferences?.length;

const readyCondition = (pod: ObservedObject) => (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'True');
const isReady = (pod: ObservedObject) => readyCondition(pod) !== undefined;

/** Reads the Argo CD Application or Flux Kustomization among a component's observed objects. */
export function deliveryReport(objects: ObservedObject[]): DeliveryReport | undefined {
  for (const object of objects) {
    const status = object.status ?? {};
    if (object.kind === 'Application' && object.apiVersion.startsWith('argoproj.io/')) {
      return {
        tool: 'Argo CD',
        name: object.metadata.name,
        ...(status.sync?.revision ? { revision: String(status.sync.revision) } : {}),
        syncing: status.operationState?.phase === 'Running',
        ...(status.operationState?.finishedAt || status.reconciledAt
          ? { finishedAt: String(status.operationState?.finishedAt ?? status.reconciledAt) }
          : {}),
      };
    }
    if (object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) {
      const conditions: any[] = status.conditions ?? [];
      const ready = conditions.find(c => c.type === 'Ready');
      // `main@sha1:<id>` (Flux 2.x) or `main/<id>` (earlier): the commit is the last part.
      const revision = String(status.lastAppliedRevision ?? '').split(/[:/]/).pop();
      return {
        tool: 'Flux',
        name: object.metadata.name,
        ...(revision ? { revision } : {}),
        syncing: conditions.some(c => c.type === 'Reconciling' && c.status === 'True'),
        ...(ready?.status === 'True' && ready.lastTransitionTime ? { finishedAt: String(ready.lastTransitionTime) } : {}),
      };
    }
  }
  return undefined;
}

/**
 * The five steps of one changed component in one environment: committed → rendered → synced →
 * rolled out → ready. Each step after the first waits for the one before it; a failure names
 * the cause the status already derived (ImagePullBackOff, a sync error, a stuck rollout).
 */
export function traceSteps(inputs: TraceInputs): TraceStep[] {
  const { changed, commit, committedAt } = inputs;
  const committed: TraceStep = { name: 'committed', state: 'done', at: committedAt, detail: `commit ${short(commit)}` };
  if (changed.change === 'spec') {
    const reason = `this commit changed ${changed.component}'s spec but none of its rendered manifests for ${changed.environment}: nothing new to deliver there (a pinned release, or a change that renders the same)`;
    return [
      committed,
      { name: 'rendered', state: 'not-applicable', reason },
      { name: 'synced', state: 'not-applicable' },
      { name: 'rolled-out', state: 'not-applicable' },
      { name: 'ready', state: 'not-applicable' },
    ];
  }
  const rendered: TraceStep = {
    name: 'rendered',
    state: 'done',
    at: committedAt,
    detail: changed.change === 'removed' ? `removed ${changed.renderedPath}` : `rendered ${changed.renderedPath}`,
  };
  const synced = syncedStep(inputs);
  if (changed.change === 'removed') {
    return [committed, rendered, synced, removalStep(inputs, synced), { name: 'ready', state: 'not-applicable' }];
  }
  const rolledOut = rolledOutStep(inputs, synced);
  return [committed, rendered, synced, rolledOut, readyStep(inputs, rolledOut)];
}

function syncedStep(inputs: TraceInputs): TraceStep {
  const { delivery, syncedIncludesCommit, unreadable, status, changed } = inputs;
  if (unreadable) return { name: 'synced', state: 'waiting', reason: unreadable };
  if (delivery?.revision) {
    const revision = delivery.revision;
    if (syncedIncludesCommit) {
      const later = revision !== inputs.commit ? ` (a later commit, which includes this one)` : '';
      return {
        name: 'synced',
        state: 'done',
        revision,
        ...(delivery.finishedAt ? { at: delivery.finishedAt } : {}),
        detail: `${delivery.tool} ${delivery.name} synced ${short(revision)}${later}`,
      };
    }
    const syncError = status?.causes.find(c => c.type === 'SyncError');
    if (syncError) return { name: 'synced', state: 'failed', revision, reason: syncError.message };
    if (delivery.syncing) {
      return { name: 'synced', state: 'in-progress', revision, reason: `${delivery.tool} ${delivery.name} is syncing` };
    }
    return {
      name: 'synced',
      state: 'waiting',
      revision,
      reason: `${delivery.tool} ${delivery.name} last synced ${short(revision)}, which does not include this commit yet${
        status?.synced?.state === 'OutOfSync' ? ` (it reports OutOfSync: is automated sync off?)` : ''
      }`,
    };
  }
  // No tool reports a revision (OpenChoreo, or none watched): what was applied says it.
  if (inputs.releaseHash && inputs.objects.some(o => isApplied(o) && hashOf(o) === inputs.releaseHash)) {
    return { name: 'synced', state: 'done', detail: `applied: the workloads carry release ${inputs.releaseHash}` };
  }
  return {
    name: 'synced',
    state: 'waiting',
    reason: `no Argo CD Application or Flux Kustomization reports what it synced for ${changed.environment}`,
  };
}

function rolledOutStep(inputs: TraceInputs, synced: TraceStep): TraceStep {
  const { releaseHash, objects, changed, supersededBy, status } = inputs;
  if (!releaseHash) {
    return { name: 'rolled-out', state: 'not-applicable', reason: `the commit renders no workload of ${changed.component} for ${changed.environment}` };
  }
  const workloads = objects.filter(isApplied);
  const ours = workloads.filter(o => hashOf(o) === releaseHash);
  if (ours.length === 0) {
    if (supersededBy) {
      return {
        name: 'rolled-out',
        state: 'not-applicable',
        reason: `superseded: a newer commit ${short(supersededBy)} changed ${changed.component} in ${changed.environment} since, and its release goes instead`,
      };
    }
    if (synced.state !== 'done') return { name: 'rolled-out', state: 'waiting', reason: 'waits for the sync' };
    const other = workloads.find(o => hashOf(o) !== undefined);
    return {
      name: 'rolled-out',
      state: 'waiting',
      reason: other
        ? `${other.kind} ${other.metadata.name} still carries release ${hashOf(other)}, not ${releaseHash}`
        : `no workload of ${changed.component} is in ${changed.environment} yet${status?.reason ? `: ${status.reason}` : ''}`,
    };
  }
  const stuck = status?.causes.find(c => c.type === 'RolloutStuck' && ours.some(o => o.metadata.name === c.object.name));
  if (stuck) return { name: 'rolled-out', state: 'failed', reason: stuck.message };
  const progress = ours.map(rolloutOf);
  const unfinished = progress.find(p => !p.complete);
  if (unfinished) return { name: 'rolled-out', state: 'in-progress', reason: unfinished.detail };
  const times = progress.map(p => p.at).filter(Boolean) as string[];
  return {
    name: 'rolled-out',
    state: 'done',
    ...(times.length ? { at: latest(times) } : {}),
    detail: progress.map(p => p.detail).join('; '),
  };
}

/** Whether a workload carrying the release finished rolling out, as `kubectl rollout status` decides. */
function rolloutOf(workload: ObservedObject): { complete: boolean; detail: string; at?: string } {
  const what = `${workload.kind} ${workload.metadata.name}`;
  if (workload.kind === 'CronJob') return { complete: true, detail: `${what} carries the release; its next run uses it` };
  const status = workload.status ?? {};
  const desired = Number(workload.spec?.replicas ?? 1);
  const updated = Number(status.updatedReplicas ?? 0);
  const ready = Number(status.readyReplicas ?? 0);
  const available = Number(status.availableReplicas ?? (workload.kind === 'StatefulSet' ? ready : 0));
  const observed = workload.metadata.generation === undefined || Number(status.observedGeneration ?? 0) >= Number(workload.metadata.generation);
  const complete = observed && updated >= desired && Number(status.replicas ?? 0) <= updated && available >= desired;
  const conditions: any[] = status.conditions ?? [];
  const progressing = conditions.find(c => c.type === 'Progressing');
  const at = progressing?.lastUpdateTime ?? conditions.find(c => c.type === 'Available')?.lastUpdateTime;
  return {
    complete,
    detail: complete ? `${what}: ${updated}/${desired} updated` : `${what}: ${updated}/${desired} updated, ${available} available${observed ? '' : ', not yet observed by its controller'}`,
    ...(complete && at ? { at: String(at) } : {}),
  };
}

function readyStep(inputs: TraceInputs, rolledOut: TraceStep): TraceStep {
  const { releaseHash, objects, status } = inputs;
  if (rolledOut.state === 'not-applicable') return { name: 'ready', state: 'not-applicable' };
  const ours = objects.filter(o => isApplied(o) && hashOf(o) === releaseHash);
  if (ours.length > 0 && ours.every(o => o.kind === 'CronJob')) {
    return { name: 'ready', state: 'not-applicable', reason: 'a scheduled task: its pods run on its schedule' };
  }
  const pods = objects.filter(
    o => o.kind === 'Pod' && hashOf(o) === releaseHash && !o.metadata.deletionTimestamp && o.status?.phase !== 'Succeeded',
  );
  const failure = status?.causes.find(c => c.object.kind === 'Pod' && pods.some(p => p.metadata.name === c.object.name));
  if (failure) return { name: 'ready', state: 'failed', reason: failure.message };
  if (rolledOut.state === 'waiting' || ours.length === 0) return { name: 'ready', state: 'waiting', reason: 'waits for the rollout' };
  const desired = ours.reduce((sum, o) => sum + Number(o.spec?.replicas ?? 1), 0);
  if (desired === 0) return { name: 'ready', state: 'not-applicable', reason: 'scaled to 0 replicas' };
  const ready = pods.filter(isReady);
  if (ready.length >= desired) {
    const times = ready.map(readySince).filter(Boolean) as string[];
    return { name: 'ready', state: 'done', ...(times.length ? { at: latest(times) } : {}), detail: `${ready.length}/${desired} pods ready` };
  }
  return { name: 'ready', state: 'in-progress', reason: `${ready.length}/${desired} pods ready` };
}

/** A removal is rolled out when none of the component's workloads is left in the cluster. */
function removalStep(inputs: TraceInputs, synced: TraceStep): TraceStep {
  if (synced.state !== 'done') return { name: 'rolled-out', state: 'waiting', reason: 'waits for the sync' };
  const left = inputs.objects.filter(isApplied);
  return left.length === 0
    ? { name: 'rolled-out', state: 'done', detail: 'removed from the cluster' }
    : { name: 'rolled-out', state: 'in-progress', reason: `still in the cluster: ${left.map(o => `${o.kind} ${o.metadata.name}`).join(', ')}` };
}

/** When a ready pod became ready: its Ready condition's time, which the kubelet keeps across restarts of the portal. */
function readySince(pod: ObservedObject): string | undefined {
  const time = readyCondition(pod)?.lastTransitionTime;
  return time ? String(time) : undefined;
}

function latest(times: string[]): string {
  return times.reduce((a, b) => (new Date(b).getTime() > new Date(a).getTime() ? b : a));
}
