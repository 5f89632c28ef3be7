/**
 * The status of a component in an environment, as the portal shows it: what Git wants, what the
 * GitOps tool synced, how the rollout goes, and why it is not healthy. Isomorphic: the backend
 * computes it, the browser renders it.
 */

/** @public */
export const HEALTH_STATES = ['Healthy', 'Progressing', 'Degraded', 'OutOfSync', 'NotDeployed', 'Unknown'] as const;

/**
 * - `Healthy`: the desired revision runs, every replica ready.
 * - `Progressing`: a rollout or sync is under way.
 * - `Degraded`: something fails (see causes).
 * - `OutOfSync`: the cluster does not (yet) hold what Git says.
 * - `NotDeployed`: nothing desired and nothing running in this environment.
 * - `Unknown`: the data plane cannot be read (see `reason`).
 *
 * @public
 */
export type HealthState = (typeof HEALTH_STATES)[number];

/** A Kubernetes object a status or cause points at. @public */
export interface StatusObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** @public */
export const STATUS_CAUSE_TYPES = [
  'ImagePullBackOff',
  'CrashLoopBackOff',
  'OOMKilled',
  'Unschedulable',
  'ProbeFailed',
  'RolloutStuck',
  'JobFailed',
  'SyncError',
  'MissingObject',
] as const;

/** @public */
export type StatusCauseType = (typeof STATUS_CAUSE_TYPES)[number];

/** Why a component is not healthy, and which object says so. @public */
export interface StatusCause {
  type: StatusCauseType;
  /** One line a developer can act on. */
  message: string;
  object: StatusObjectReference;
  container?: string;
  /** ImagePullBackOff: the image that cannot be pulled. */
  image?: string;
  /** CrashLoopBackOff / OOMKilled: the last exit code of the container. */
  exitCode?: number;
  restartCount?: number;
}

/** Replicas of the component's Deployments and StatefulSets, summed. @public */
export interface RolloutProgress {
  desiredReplicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** False while any workload's controller has not observed its latest generation. */
  generationObserved: boolean;
  complete: boolean;
}

/** @public */
export interface PodSummary {
  ready: number;
  total: number;
  restarts: number;
}

/** A revision of the GitOps repository: the commit, and the hash of the rendered release. @public */
export interface StatusRevision {
  commit?: string;
  releaseHash?: string;
}

/** What the GitOps tool (Argo CD, Flux, OpenChoreo, or the sandbox) reports as synced. @public */
export interface SyncedRevision extends StatusRevision {
  tool: 'ArgoCD' | 'Flux' | 'OpenChoreo';
  /** The tool's own words, e.g. `Synced`, `OutOfSync`, `Running`. */
  state?: string;
  object: StatusObjectReference;
}

/** @public */
export interface DataPlaneRef {
  name: string;
  /** True for the embedded sandbox data plane (no real cluster). */
  sandbox: boolean;
}

/** The status of one component in one environment. @public */
export interface ComponentEnvironmentStatus {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  dataPlane?: DataPlaneRef;
  health: HealthState;
  /** One line: why the health is what it is (always set for Unknown). */
  reason?: string;
  desired?: StatusRevision;
  synced?: SyncedRevision;
  /**
   * The release hash of what the GitOps tool applied (the Deployment, not its ReplicaSets and
   * pods). When it differs from the desired one, it is the differing hash. A Deployment's old
   * ReplicaSets kept at 0 replicas as history never count; its old pods still running during a
   * rolling update make the status Progressing, not OutOfSync.
   */
  runningReleaseHash?: string;
  rollout?: RolloutProgress;
  pods: PodSummary;
  causes: StatusCause[];
}

/** A change of status, as the events stream pushes it. @public */
export interface StatusChangeEvent {
  type: 'status';
  status: ComponentEnvironmentStatus;
}
