/**
 * The status of a component in an environment, as the portal shows it: what Git wants, what the
 * GitOps tool synced, how the rollout goes, and why it is not healthy. Isomorphic: the backend
 * computes it, the browser renders it.
 */

/**
 * A Kubernetes object as read from a data plane (JSON as the API server sends it). Only the
 * fields status reads are typed; everything else passes through.
 *
 * @public
 */
export interface ObservedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
    deletionTimestamp?: unknown;
    creationTimestamp?: string;
    ownerReferences?: Array<{ kind: string; name: string; uid?: string }>;
  };
  spec?: any;
  status?: any;
  // Events keep their fields at the top level.
  [field: string]: any;
}

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

/** A condition as a Kubernetes controller reports it (`metav1.Condition`). @public */
export interface StatusCondition {
  type: string;
  /** `True`, `False` or `Unknown`. */
  status: string;
  /** One CamelCase word, e.g. `ResourcesDegraded`. */
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  /** The `metadata.generation` of the object the condition was set for. */
  observedGeneration?: number;
}

/** The kinds of OpenChoreo's control plane that status reads (`Release` is RenderedRelease's earlier name). @public */
export const OPENCHOREO_STATUS_KINDS = ['ReleaseBinding', 'RenderedRelease', 'Release'] as const;

/** @public */
export type OpenChoreoStatusKind = (typeof OPENCHOREO_STATUS_KINDS)[number];

/**
 * One object of OpenChoreo's control plane (a ReleaseBinding, or the RenderedRelease its
 * controller made from it) and the conditions its controller last wrote, as they are.
 *
 * @public
 */
export interface OpenChoreoResourceStatus {
  kind: OpenChoreoStatusKind;
  name: string;
  /** The OpenChoreo namespace it lives in (the namespace of the GitOps repository). */
  namespace: string;
  /** ReleaseBinding: the ComponentRelease it binds (`spec.releaseName`). */
  releaseName?: string;
  /** ReleaseBinding: `Active` or `Undeploy` (`spec.state`, `Active` when unset, as OpenChoreo defaults it). */
  state?: string;
  /** RenderedRelease: `dataplane` or `observabilityplane` (`spec.targetPlane`, `dataplane` when unset). */
  targetPlane?: string;
  /**
   * False while the controller has not reconciled the latest spec (`status.observedGeneration`
   * behind `metadata.generation`, or a condition's `observedGeneration` behind it): the
   * conditions describe an earlier version.
   */
  reconciled: boolean;
  conditions: StatusCondition[];
  /** RenderedRelease: the resources it applied, counted by their `healthStatus`. */
  resources?: { total: number; healthy: number; progressing: number; degraded: number; suspended: number; unknown: number };
}

/** The cluster OpenChoreo's objects are read from, and whether it can be read now. @public */
export interface OpenChoreoControlPlane {
  /** Its entry in `cellplane.dataPlanes`. */
  name: string;
  available: boolean;
  reason?: string;
}

/**
 * What OpenChoreo's control plane says about a component in an environment, shown beside
 * Cellplane's own view. Present only where a watched cluster serves OpenChoreo's CRDs.
 *
 * @public
 */
export interface OpenChoreoStatus {
  /** The cluster the objects are read from, and whether it can be read now. */
  controlPlane: OpenChoreoControlPlane;
  /** The component's ReleaseBinding for the environment; absent when OpenChoreo has none. */
  releaseBinding?: OpenChoreoResourceStatus;
  /** The RenderedReleases (or Releases) owned by the component in the environment, by name. */
  renderedReleases: OpenChoreoResourceStatus[];
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
  /**
   * OpenChoreo's own view, where its control plane is installed on a watched cluster: the
   * conditions of the ReleaseBinding and its RenderedReleases. Its failures (a release that could
   * not be rendered or applied) are also causes, of type `SyncError`.
   */
  openChoreo?: OpenChoreoStatus;
}

/** A change of status, as the events stream pushes it. @public */
export interface StatusChangeEvent {
  type: 'status';
  status: ComponentEnvironmentStatus;
}
