import { STATUS_LABELS } from './labels';
import {
  isOpenChoreoStatusObject,
  openChoreoCauses,
  openChoreoHealth,
  openChoreoSynced,
  summariseOpenChoreo,
} from './openChoreoStatus';
import {
  ComponentEnvironmentStatus,
  DataPlaneRef,
  HealthState,
  ObservedObject,
  OpenChoreoControlPlane,
  OpenChoreoStatus,
  PodSummary,
  RolloutProgress,
  StatusCause,
  StatusObjectReference,
  StatusRevision,
  SyncedRevision,
} from './types';

/** Everything known about one component in one environment. @public */
export interface ComponentObservation {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  /** The data plane of the environment; `available: false` makes the status Unknown. */
  dataPlane?: DataPlaneRef & { available: boolean; reason?: string };
  /** What Git wants: the commit, the release hash and the objects rendered for it. */
  desired?: StatusRevision & { objects: StatusObjectReference[] };
  /**
   * The objects observed for the component in the environment: workloads, pods, services,
   * routes, the events about them, and the Argo CD Application / Flux Kustomization that deliver
   * them. OpenChoreo's ReleaseBinding / RenderedRelease found here are read as if they came from
   * `openChoreo` on the same cluster.
   */
  objects: ObservedObject[];
  /**
   * OpenChoreo's control plane, where a watched cluster serves its CRDs: its ReleaseBinding and
   * RenderedReleases for the component in the environment, and the cluster they are read from.
   */
  openChoreo?: { controlPlane: OpenChoreoControlPlane; objects: ObservedObject[] };
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);
const IMAGE_PULL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);
// Reasons a Flux Ready=False condition carries while work is still under way, not failing.
const FLUX_PROGRESSING_REASONS = new Set(['Progressing', 'DependencyNotReady', 'ProgressingWithRetry']);

/** The reference to an observed object. @public */
export function objectReference(object: ObservedObject): StatusObjectReference {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}

/**
 * Derives the health of a component in an environment from what was observed. Pure: the same
 * observation always gives the same status, so the backend can recompute it on every change and
 * the tests can cover every state without a cluster.
 *
 * Precedence: Unknown (data plane unreadable; OpenChoreo's verdict instead where its control plane
 * has the binding) → NotDeployed (nothing desired, nothing running) →
 * Degraded (any failure cause) → OutOfSync (missing objects, an applied object of another
 * release, or the GitOps tool says so) → Progressing (rollout or sync under way, or pods of the
 * previous release still running) → Healthy.
 *
 * @public
 */
export function deriveComponentStatus(observation: ComponentObservation): ComponentEnvironmentStatus {
  const { namespace, project, component, environment, dataPlane, desired } = observation;
  const openChoreo = openChoreoOf(observation); // beside Cellplane's view, whatever the data plane says
  const base = {
    namespace,
    project,
    component,
    environment,
    ...(dataPlane ? { dataPlane: { name: dataPlane.name, sandbox: dataPlane.sandbox } } : {}),
    ...(desired ? { desired: revisionOf(desired) } : {}),
    ...(openChoreo ? { openChoreo } : {}),
  };
  const emptyPods: PodSummary = { ready: 0, total: 0, restarts: 0 };
  if (dataPlane && !dataPlane.available) return { ...base, ...unreadable(dataPlane, openChoreo), pods: emptyPods };

  const objects = observation.objects.filter(o => (!o.metadata.deletionTimestamp || o.kind === 'Pod') && !isOpenChoreoStatusObject(o));
  const byKind = (kind: string) => objects.filter(o => o.kind === kind);
  const pods = byKind('Pod');
  const events = byKind('Event');
  const workloads = objects.filter(o => WORKLOAD_KINDS.has(o.kind));
  // Old ReplicaSets scaled to 0 are the Deployment's history (revisionHistoryLimit): they keep
  // the labels of their old pod template, old release hash included, but run nothing.
  const deployed = objects.filter(o => o.kind !== 'Event' && !isDeliveryObject(o) && !isHistory(o));
  const desiredObjects = desired?.objects ?? [];

  if (desiredObjects.length === 0 && deployed.length === 0) {
    return { ...base, health: 'NotDeployed', reason: `not deployed to ${environment}`, pods: emptyPods, causes: [] };
  }

  const causes: StatusCause[] = [
    ...podCauses(pods, events),
    ...workloadCauses(objects),
    ...deliveryCauses(objects),
    ...openChoreoCauses(openChoreo),
  ];
  const missing = missingObjects(desiredObjects, objects);
  const synced = syncedRevision(objects) ?? openChoreoSynced(openChoreo);
  const rollout = rolloutOf(workloads);
  const podSummary = summarisePods(pods);

  // What Git's release is compared with: the objects the GitOps tool applied (the Deployment,
  // not the ReplicaSets and pods its controller makes from it). A controller's children with
  // another hash are the old release still running while the new one rolls out.
  const desiredHash = desired?.releaseHash;
  const differs = (o: ObservedObject) => {
    const hash = releaseHashLabel(o);
    return desiredHash !== undefined && hash !== undefined && hash !== desiredHash;
  };
  const applied = deployed.filter(o => !isControlled(o));
  const staleApplied = applied.filter(differs);
  const oldStillRunning = deployed.filter(o => isControlled(o) && runsPods(o) && differs(o));
  // A stale hash is only ever named as running when it differs from the desired one.
  const runningReleaseHash = releaseHashOf(
    staleApplied.length > 0 ? staleApplied : [workloads, applied, deployed].find(list => list.length > 0) ?? [],
  );

  const failures = causes.length;
  const staleRelease = staleApplied.length > 0;
  const syncing = isSyncing(objects);
  const toolOutOfSync = synced?.state === 'OutOfSync' && !syncing;
  const progressing =
    syncing ||
    (rollout !== undefined && !rollout.complete) ||
    oldStillRunning.length > 0 ||
    pods.some(p => p.metadata.deletionTimestamp) ||
    podSummary.ready < podSummary.total;

  let health: HealthState;
  let reason: string;
  if (failures > 0) {
    health = 'Degraded';
    reason = causes[0].message;
  } else if (missing.length > 0 || staleRelease || toolOutOfSync) {
    health = syncing ? 'Progressing' : 'OutOfSync';
    if (missing.length > 0) {
      reason = `${missing.length} object(s) of the desired release are not in the cluster`;
    } else if (staleRelease) {
      reason = `release ${runningReleaseHash} runs, ${desiredHash} is desired`;
    } else {
      reason = `${synced?.tool} reports OutOfSync`;
    }
  } else if (progressing) {
    health = 'Progressing';
    const oldRelease = oldReleaseSummary(oldStillRunning);
    if (rollout && !rollout.complete) {
      reason = `rollout: ${rollout.readyReplicas}/${rollout.desiredReplicas} ready, ${rollout.updatedReplicas} updated${
        oldRelease ? `; ${oldRelease}` : ''
      }`;
    } else if (oldRelease) {
      reason = `${oldRelease} while ${desiredHash} rolls out`;
    } else if (syncing) {
      reason = `${synced?.tool ?? 'GitOps tool'} is syncing`;
    } else {
      reason = `${podSummary.ready}/${podSummary.total} pods ready`;
    }
  } else {
    health = 'Healthy';
    reason = rollout ? `${rollout.readyReplicas}/${rollout.desiredReplicas} replicas ready` : 'all objects in sync';
  }

  return {
    ...base,
    health,
    reason,
    ...(synced ? { synced } : {}),
    ...(runningReleaseHash ? { runningReleaseHash } : {}),
    ...(rollout ? { rollout } : {}),
    pods: podSummary,
    causes: [...causes, ...missing],
  };
}

/**
 * A data plane that cannot be read makes the status Unknown, unless OpenChoreo's control plane,
 * read apart, says how the release is: then its verdict, and why Cellplane could not look itself.
 */
function unreadable(dataPlane: { name: string; reason?: string }, openChoreo: OpenChoreoStatus | undefined) {
  const why = dataPlane.reason ?? `data plane ${dataPlane.name} is not available`;
  const fromOpenChoreo = openChoreoHealth(openChoreo);
  if (!fromOpenChoreo) return { health: 'Unknown' as const, reason: `Unknown: ${why}`, causes: [] };
  return { ...fromOpenChoreo, reason: `${fromOpenChoreo.reason} (Cellplane cannot read the data plane: ${why})` };
}

/** OpenChoreo's objects: those of its control plane, and any found among the data plane's (the same cluster). */
function openChoreoOf(observation: ComponentObservation) {
  const fromDataPlane = observation.objects.filter(isOpenChoreoStatusObject);
  const given = observation.openChoreo;
  if (!given && fromDataPlane.length === 0) return undefined;
  const controlPlane = given?.controlPlane ?? {
    name: observation.dataPlane?.name ?? 'unknown',
    available: observation.dataPlane?.available ?? true,
    ...(observation.dataPlane?.reason ? { reason: observation.dataPlane.reason } : {}),
  };
  return summariseOpenChoreo([...(given?.objects ?? []), ...fromDataPlane], controlPlane);
}

function revisionOf(revision: StatusRevision): StatusRevision {
  return {
    ...(revision.commit ? { commit: revision.commit } : {}),
    ...(revision.releaseHash ? { releaseHash: revision.releaseHash } : {}),
  };
}

function isDeliveryObject(object: ObservedObject) {
  return (
    (object.kind === 'Application' && object.apiVersion.startsWith('argoproj.io/')) ||
    (object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))
  );
}

function podCauses(pods: ObservedObject[], events: ObservedObject[]): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const object = objectReference(pod);
    const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const container of statuses) {
      const waiting = container.state?.waiting;
      const lastTerminated = container.lastState?.terminated;
      const terminated = container.state?.terminated;
      const restartCount = Number(container.restartCount ?? 0);
      if (waiting && IMAGE_PULL_REASONS.has(waiting.reason)) {
        const image = container.image ?? specImage(pod, container.name);
        causes.push({
          type: 'ImagePullBackOff',
          message: `container ${container.name} cannot pull image ${image}${waiting.message ? `: ${waiting.message}` : ''}`,
          object,
          container: container.name,
          image,
        });
      }
      if (waiting?.reason === 'CrashLoopBackOff') {
        const exitCode = lastTerminated?.exitCode;
        causes.push({
          type: 'CrashLoopBackOff',
          message: `container ${container.name} keeps crashing: last exit code ${exitCode ?? 'unknown'}, ${restartCount} restarts`,
          object,
          container: container.name,
          ...(exitCode !== undefined ? { exitCode: Number(exitCode) } : {}),
          restartCount,
        });
      }
      const oom = [lastTerminated, terminated].find(t => t?.reason === 'OOMKilled');
      if (oom) {
        causes.push({
          type: 'OOMKilled',
          message: `container ${container.name} was killed for exceeding its memory limit (exit code ${oom.exitCode ?? 137})`,
          object,
          container: container.name,
          exitCode: Number(oom.exitCode ?? 137),
          restartCount,
        });
      }
    }
    const scheduled = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      causes.push({
        type: 'Unschedulable',
        message: `pod ${pod.metadata.name} cannot be scheduled${scheduled.message ? `: ${scheduled.message}` : ''}`,
        object,
      });
    }
    // Failed probes only show as events (the kubelet's "Unhealthy"); the newest one per pod says why.
    if (!isReady(pod)) {
      const probe = events
        .filter(e => e.reason === 'Unhealthy' && isAbout(e, pod))
        .sort((a, b) => eventTime(b) - eventTime(a))[0];
      if (probe) {
        causes.push({ type: 'ProbeFailed', message: `pod ${pod.metadata.name}: ${probe.message}`, object });
      }
    }
  }
  return causes;
}

function workloadCauses(objects: ObservedObject[]): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const object of objects) {
    const conditions: any[] = object.status?.conditions ?? [];
    if (object.kind === 'Deployment') {
      const progressing = conditions.find(c => c.type === 'Progressing');
      if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
        causes.push({
          type: 'RolloutStuck',
          message: `deployment ${object.metadata.name} exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`,
          object: objectReference(object),
        });
      }
    }
    if (object.kind === 'Job') {
      const failed = conditions.find(c => c.type === 'Failed' && c.status === 'True');
      if (failed) {
        causes.push({
          type: 'JobFailed',
          message: `job ${object.metadata.name} failed${failed.message || failed.reason ? `: ${failed.message ?? failed.reason}` : ''}`,
          object: objectReference(object),
        });
      }
    }
  }
  return causes;
}

function deliveryCauses(objects: ObservedObject[]): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const object of objects.filter(isDeliveryObject)) {
    const status = object.status ?? {};
    const conditions: any[] = status.conditions ?? [];
    const ref = objectReference(object);
    const syncError = (message: string) => causes.push({ type: 'SyncError', message, object: ref });
    if (object.kind === 'Application') {
      for (const c of conditions) {
        if (/Error$/.test(String(c.type))) syncError(`Argo CD ${object.metadata.name}: ${c.type}: ${c.message}`);
      }
      const phase = status.operationState?.phase;
      if ((phase === 'Failed' || phase === 'Error') && !conditions.some(c => /Error$/.test(String(c.type)))) {
        syncError(`Argo CD ${object.metadata.name}: sync ${phase.toLowerCase()}: ${status.operationState?.message ?? ''}`.trim());
      }
    } else {
      const ready = conditions.find(c => c.type === 'Ready');
      if (ready?.status === 'False' && !FLUX_PROGRESSING_REASONS.has(ready.reason)) {
        syncError(`Flux ${object.metadata.name}: ${ready.reason}: ${ready.message}`);
      }
    }
  }
  return causes;
}

function missingObjects(desired: StatusObjectReference[], objects: ObservedObject[]): StatusCause[] {
  const present = new Set(objects.map(o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  const presentAnyNamespace = new Set(objects.map(o => `${o.kind}/${o.metadata.name}`));
  return desired
    .filter(ref =>
      ref.namespace
        ? !present.has(`${ref.kind}/${ref.namespace}/${ref.name}`)
        : !presentAnyNamespace.has(`${ref.kind}/${ref.name}`),
    )
    .map(ref => ({
      type: 'MissingObject' as const,
      message: `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} is in Git but not in the cluster`,
      object: ref,
    }));
}

/** The revision the GitOps tool reports; Argo CD first, then Flux (OpenChoreo: see openChoreoSynced). */
function syncedRevision(objects: ObservedObject[]): SyncedRevision | undefined {
  for (const object of objects.filter(isDeliveryObject)) {
    const status = object.status ?? {};
    if (object.kind === 'Application') {
      const state = status.operationState?.phase === 'Running' ? 'Running' : status.sync?.status;
      return {
        tool: 'ArgoCD',
        ...(status.sync?.revision ? { commit: String(status.sync.revision) } : {}),
        ...(state ? { state: String(state) } : {}),
        object: objectReference(object),
      };
    }
    if (object.kind === 'Kustomization') {
      const applied = String(status.lastAppliedRevision ?? '');
      const commit = applied.split(':').pop();
      const ready = (status.conditions ?? []).find((c: any) => c.type === 'Ready');
      return {
        tool: 'Flux',
        ...(commit ? { commit } : {}),
        ...(ready ? { state: ready.status === 'True' ? 'Synced' : String(ready.reason) } : {}),
        object: objectReference(object),
      };
    }
  }
  return undefined;
}

function isSyncing(objects: ObservedObject[]) {
  return objects.some(
    o =>
      (o.kind === 'Application' && isDeliveryObject(o) && o.status?.operationState?.phase === 'Running') ||
      (o.kind === 'Kustomization' &&
        isDeliveryObject(o) &&
        (o.status?.conditions ?? []).some((c: any) => c.type === 'Reconciling' && c.status === 'True')),
  );
}

function releaseHashLabel(object: ObservedObject): string | undefined {
  return object.metadata.labels?.[STATUS_LABELS.releaseHash];
}

function releaseHashOf(objects: ObservedObject[]): string | undefined {
  const hashes = objects.map(releaseHashLabel).filter(Boolean) as string[];
  return hashes.sort()[0];
}

/** Made by a controller from an applied object (a Deployment's ReplicaSets, a ReplicaSet's pods). */
function isControlled(object: ObservedObject) {
  return object.kind === 'ReplicaSet' || object.kind === 'Pod' || (object.metadata.ownerReferences?.length ?? 0) > 0;
}

/** A Deployment's old ReplicaSet kept at 0 replicas: history, not something that runs. */
function isHistory(object: ObservedObject) {
  return object.kind === 'ReplicaSet' && Number(object.spec?.replicas ?? 1) === 0;
}

/**
 * Children that run a release: ReplicaSets with replicas and live pods. Pods of Jobs are left out:
 * a CronJob's run of an earlier release is its own history, not a rollout.
 */
function runsPods(object: ObservedObject) {
  if (object.kind === 'ReplicaSet') return true; // history (at 0) is already gone
  if (object.kind !== 'Pod') return false;
  return (
    !object.metadata.deletionTimestamp &&
    !['Succeeded', 'Failed'].includes(object.status?.phase) &&
    !object.metadata.ownerReferences?.some(owner => owner.kind === 'Job')
  );
}

/** "release h0 still runs on 2 pod(s)": the oldest-named release among what still runs. */
function oldReleaseSummary(oldStillRunning: ObservedObject[]): string | undefined {
  const hash = releaseHashOf(oldStillRunning);
  if (hash === undefined) return undefined;
  const ofHash = oldStillRunning.filter(o => releaseHashLabel(o) === hash);
  const pods = ofHash.filter(o => o.kind === 'Pod').length;
  const replicas = ofHash.filter(o => o.kind === 'ReplicaSet').reduce((sum, rs) => sum + Number(rs.status?.replicas ?? rs.spec?.replicas ?? 0), 0);
  return `release ${hash} still runs on ${pods || replicas} pod(s)`;
}

function rolloutOf(workloads: ObservedObject[]): RolloutProgress | undefined {
  if (workloads.length === 0) return undefined;
  const progress: RolloutProgress = {
    desiredReplicas: 0,
    updatedReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    generationObserved: true,
    complete: true,
  };
  for (const workload of workloads) {
    const desired = Number(workload.spec?.replicas ?? 1);
    const status = workload.status ?? {};
    const updated = Number((workload.kind === 'StatefulSet' ? status.updatedReplicas : status.updatedReplicas) ?? 0);
    const ready = Number(status.readyReplicas ?? 0);
    const available = Number((workload.kind === 'StatefulSet' ? status.availableReplicas ?? status.readyReplicas : status.availableReplicas) ?? 0);
    const total = Number(status.replicas ?? 0);
    const observed =
      workload.metadata.generation === undefined ||
      Number(status.observedGeneration ?? 0) >= Number(workload.metadata.generation);
    progress.desiredReplicas += desired;
    progress.updatedReplicas += updated;
    progress.readyReplicas += ready;
    progress.availableReplicas += available;
    progress.generationObserved &&= observed;
    // As `kubectl rollout status` decides: observed, all updated, no old replicas left, all available.
    progress.complete &&= observed && updated >= desired && total <= updated && available >= desired && ready >= desired;
  }
  return progress;
}

function summarisePods(pods: ObservedObject[]): PodSummary {
  const live = pods.filter(p => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded');
  return {
    ready: live.filter(isReady).length,
    total: live.length,
    restarts: live.reduce(
      (sum, p) => sum + (p.status?.containerStatuses ?? []).reduce((s: number, c: any) => s + Number(c.restartCount ?? 0), 0),
      0,
    ),
  };
}

function isReady(pod: ObservedObject) {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

function specImage(pod: ObservedObject, container: string): string | undefined {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c: any) => c.name === container)?.image;
}

function isAbout(event: ObservedObject, object: ObservedObject) {
  const involved = event.involvedObject ?? event.regarding;
  if (!involved) return false;
  if (involved.uid && object.metadata.uid) return involved.uid === object.metadata.uid;
  return involved.kind === object.kind && involved.name === object.metadata.name && (involved.namespace ?? '') === (object.metadata.namespace ?? '');
}

function eventTime(event: ObservedObject): number {
  const time = event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp ?? event.firstTimestamp;
  return time ? new Date(time).getTime() : 0;
}
