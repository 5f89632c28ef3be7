import {
  HealthState,
  OPENCHOREO_STATUS_KINDS,
  ObservedObject,
  OpenChoreoControlPlane,
  OpenChoreoResourceStatus,
  OpenChoreoStatus,
  OpenChoreoStatusKind,
  StatusCause,
  StatusCondition,
  SyncedRevision,
} from './types';

/**
 * Reasons OpenChoreo's controllers give to a False condition while work is under way or on
 * purpose (internal/controller/releasebinding/controller_conditions.go): not failures.
 */
const NOT_FAILING_REASONS = new Set([
  'ResourcesProgressing',
  'ResourcesUnknown',
  'ConnectionsPending',
  'ResourceDependenciesPending',
  'ResourcesUndeployed',
  'Finalizing',
  'JobRunning',
  'Progressing',
]);

/**
 * The conditions that say whether a release got out, most telling first: a ReleaseBinding's
 * `Ready` aggregates `ReleaseSynced` and `ResourcesReady` (and takes the reason of the first that
 * is not True); a RenderedRelease has `ResourcesApplied`.
 */
const DELIVERY_CONDITIONS = ['Ready', 'ReleaseSynced', 'ResourcesReady', 'ResourcesApplied'];

/** Condition messages are bounded (metav1.Condition allows 32 KiB); every status change is pushed to browsers. */
const MAX_MESSAGE_LENGTH = 1024;

const HEALTH_COUNTS = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Unknown'] as const;

/** Whether an observed object is one of the OpenChoreo control-plane kinds status reads. */
export function isOpenChoreoStatusObject(object: ObservedObject): boolean {
  return (
    object.apiVersion.startsWith('openchoreo.dev/') &&
    (OPENCHOREO_STATUS_KINDS as readonly string[]).includes(object.kind)
  );
}

/**
 * What OpenChoreo's control plane says about one component in one environment: the
 * ReleaseBinding and the RenderedReleases, each with its conditions as its controller wrote them.
 * Objects of another kind are ignored. Undefined when there is nothing to say (no object, and the
 * control plane can be read).
 */
export function summariseOpenChoreo(objects: ObservedObject[], controlPlane: OpenChoreoControlPlane): OpenChoreoStatus | undefined {
  const ours = objects.filter(isOpenChoreoStatusObject).filter(o => !o.metadata.deletionTimestamp);
  if (ours.length === 0 && controlPlane.available) return undefined;
  const byName = (a: OpenChoreoResourceStatus, b: OpenChoreoResourceStatus) => a.name.localeCompare(b.name);
  const bindings = ours.filter(o => o.kind === 'ReleaseBinding').map(resourceStatus).sort(byName);
  const releases = ours.filter(o => o.kind !== 'ReleaseBinding').map(resourceStatus).sort(byName);
  return {
    controlPlane: {
      name: controlPlane.name,
      available: controlPlane.available,
      ...(controlPlane.reason ? { reason: controlPlane.reason } : {}),
    },
    // One binding per component and environment is OpenChoreo's rule; the first by name is shown.
    ...(bindings[0] ? { releaseBinding: bindings[0] } : {}),
    renderedReleases: releases,
  };
}

/**
 * OpenChoreo's failures as causes: a reconciled ReleaseBinding or RenderedRelease whose delivery
 * condition is False for a reason that is not progress (rendering failed, a reference not found,
 * an apply that failed, resources degraded).
 */
export function openChoreoCauses(status: OpenChoreoStatus | undefined): StatusCause[] {
  if (!status) return [];
  const causes: StatusCause[] = [];
  for (const resource of [...(status.releaseBinding ? [status.releaseBinding] : []), ...status.renderedReleases]) {
    if (!resource.reconciled) continue;
    const failed = DELIVERY_CONDITIONS.map(type => resource.conditions.find(c => c.type === type)).find(
      c => c?.status === 'False' && !NOT_FAILING_REASONS.has(c.reason ?? ''),
    );
    if (!failed) continue;
    causes.push({
      type: 'SyncError',
      message: `OpenChoreo ${resource.kind} ${resource.name}: ${failed.reason ?? failed.type}${failed.message ? `: ${failed.message}` : ''}`,
      object: { apiVersion: 'openchoreo.dev/v1alpha1', kind: resource.kind, name: resource.name, namespace: resource.namespace },
    });
  }
  return causes;
}

/**
 * Where the environment's data plane cannot be read (OpenChoreo's multi-cluster setups expose only
 * the control plane), OpenChoreo's own verdict: its binding's aggregate `Ready` condition.
 * Undefined when it has none to give (no readable binding, not reconciled, Ready unknown).
 */
export function openChoreoHealth(
  status: OpenChoreoStatus | undefined,
): { health: HealthState; reason: string; causes: StatusCause[] } | undefined {
  const binding = status?.releaseBinding;
  if (!status?.controlPlane.available || !binding?.reconciled) return undefined;
  const ready = binding.conditions.find(c => c.type === 'Ready');
  if (!ready || (ready.status !== 'True' && ready.status !== 'False')) return undefined;
  const said = `OpenChoreo ${binding.kind} ${binding.name}: ${ready.reason ?? 'Ready'}${ready.message ? `: ${ready.message}` : ''}`;
  if (ready.status === 'True') return { health: 'Healthy', reason: said, causes: [] };
  if (ready.reason === 'ResourcesUndeployed') return { health: 'NotDeployed', reason: said, causes: [] };
  const causes = openChoreoCauses(status);
  return causes.length > 0 ? { health: 'Degraded', reason: causes[0].message, causes } : { health: 'Progressing', reason: said, causes: [] };
}

/** OpenChoreo as the delivery tool, when nothing else (Argo CD, Flux) reports a sync: its binding's Ready condition. */
export function openChoreoSynced(status: OpenChoreoStatus | undefined): SyncedRevision | undefined {
  const binding = status?.releaseBinding;
  if (!binding) return undefined;
  const ready = binding.conditions.find(c => c.type === 'Ready');
  const state = ready ? (ready.status === 'True' ? 'Ready' : ready.reason ?? `Ready=${ready.status}`) : undefined;
  return {
    tool: 'OpenChoreo',
    ...(state ? { state } : {}),
    object: { apiVersion: 'openchoreo.dev/v1alpha1', kind: binding.kind, name: binding.name, namespace: binding.namespace },
  };
}

function resourceStatus(object: ObservedObject): OpenChoreoResourceStatus {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  const conditions: StatusCondition[] = (Array.isArray(status.conditions) ? status.conditions : [])
    .filter((c: any) => c && typeof c.type === 'string')
    .map(condition);
  const generation = numberOrUndefined(object.metadata.generation);
  const observed =
    numberOrUndefined(status.observedGeneration) ??
    conditions.reduce<number | undefined>(
      (max, c) => (c.observedGeneration === undefined ? max : Math.max(max ?? 0, c.observedGeneration)),
      undefined,
    );
  const kind = object.kind as OpenChoreoStatusKind;
  return {
    kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? '',
    ...(kind === 'ReleaseBinding'
      ? {
          ...(typeof spec.releaseName === 'string' && spec.releaseName ? { releaseName: spec.releaseName } : {}),
          state: typeof spec.state === 'string' && spec.state ? spec.state : 'Active',
        }
      : { targetPlane: typeof spec.targetPlane === 'string' && spec.targetPlane ? spec.targetPlane : 'dataplane' }),
    reconciled: generation === undefined || observed === undefined || observed >= generation,
    conditions,
    ...(kind !== 'ReleaseBinding' && Array.isArray(status.resources) ? { resources: countByHealth(status.resources) } : {}),
  };
}

function condition(raw: any): StatusCondition {
  const message = raw.message === undefined || raw.message === '' ? undefined : String(raw.message);
  const observedGeneration = numberOrUndefined(raw.observedGeneration);
  return {
    type: raw.type,
    status: String(raw.status ?? 'Unknown'),
    ...(raw.reason ? { reason: String(raw.reason) } : {}),
    ...(message ? { message: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message } : {}),
    ...(raw.lastTransitionTime ? { lastTransitionTime: String(raw.lastTransitionTime) } : {}),
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
  };
}

function countByHealth(resources: any[]): NonNullable<OpenChoreoResourceStatus['resources']> {
  const counts = { total: resources.length, healthy: 0, progressing: 0, degraded: 0, suspended: 0, unknown: 0 };
  for (const resource of resources) {
    const health = HEALTH_COUNTS.find(h => h === resource?.healthStatus) ?? 'Unknown';
    counts[health.toLowerCase() as Lowercase<typeof health>]++;
  }
  return counts;
}

function numberOrUndefined(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
