import type { HealthState } from './status/types';

/**
 * Delivery (DORA) metrics, as `GET /api/cellplane/delivery-metrics` answers them: computed from
 * the GitOps repository's history (every deployment, promotion and rollback is a commit) and
 * the status history the backend records, each figure with the commits and status changes
 * behind it.
 */

/** Whose delivery is measured: a component, a project, or a whole namespace (organisation). @public */
export interface DeliveryScope {
  kind: 'component' | 'project' | 'namespace';
  namespace: string;
  /** The component or project; the namespace again for a namespace. */
  name: string;
}

/** What a deployment commit changed for the environment. @public */
export type DeliveryChangeKind =
  /** The binding pinned another release, or its overrides changed (a promotion, typically). */
  | 'binding'
  /** The component or its workload changed, and the binding follows the component. */
  | 'spec'
  /** The write path's rollback (`Roll back <ns>/<component> in <env> to <release>`). */
  | 'rollback';

/** One deployment: a commit that changed what an environment runs for a component. @public */
export interface DeliveryDeployment {
  commit: string;
  /** Committer date, ISO 8601. */
  at: string;
  component: string;
  environment: string;
  kind: DeliveryChangeKind;
  /** The release the binding pins after the commit (absent: it follows the component). */
  release?: string;
  /** The commit message's first line. */
  summary: string;
  /** Why the deployment counts as failed: a rollback came next, or the environment went Degraded. */
  failure?: { cause: 'rollback' | 'degraded'; at: string; commit?: string };
}

/** One change of a component's spec and when it ran Healthy in the environment. @public */
export interface DeliveryLeadTime {
  /** The commit that changed the Component or its Workload. */
  commit: string;
  committedAt: string;
  component: string;
  environment: string;
  summary: string;
  /** The deployment that brought the change to the environment. */
  deployedBy: string;
  /** The first Healthy status with a new release after that deployment. */
  healthyAt: string;
  seconds: number;
}

/** One time the component went Degraded in the environment, and when it was Healthy again. @public */
export interface DeliveryRestore {
  component: string;
  environment: string;
  degradedAt: string;
  /** Absent while it is not Healthy again. */
  restoredAt?: string;
  seconds?: number;
  /** The status' reason when it went Degraded. */
  reason?: string;
}

/** Deployments and failures of one day (UTC), for the charts. @public */
export interface DeliveryDay {
  /** `YYYY-MM-DD`. */
  day: string;
  deployments: number;
  failures: number;
}

/** The four figures of one environment over the period. @public */
export interface EnvironmentDeliveryMetrics {
  environment: string;
  production: boolean;
  deploymentFrequency: { deployments: number; perDay: number };
  /** Median seconds from a spec change to Healthy in this environment; absent without such changes. */
  leadTime: { changes: number; medianSeconds?: number };
  /** `rate` is failed / deployments; absent without deployments. */
  changeFailureRate: { deployments: number; failed: number; rate?: number };
  /** Median seconds from Degraded to Healthy; `unresolved` counts episodes not over yet. */
  timeToRestore: { restores: number; unresolved: number; medianSeconds?: number };
  daily: DeliveryDay[];
  /** What the figures are made of, newest first (each list at most `evidenceLimit` long). */
  evidence: {
    deployments: DeliveryDeployment[];
    leadTimes: DeliveryLeadTime[];
    restores: DeliveryRestore[];
  };
}

/** The answer of `GET /api/cellplane/delivery-metrics`. @public */
export interface DeliveryMetrics {
  scope: DeliveryScope;
  /** The period, ISO 8601. */
  from: string;
  to: string;
  /** The commit the history was read back from (null for an empty repository). */
  revision: string | null;
  /** A deployment followed by Degraded within this many seconds (before the next deployment) failed. */
  failureWindowSeconds: number;
  /** How many items each evidence list holds at most. */
  evidenceLimit: number;
  /** When the status history starts for the scope: figures from status need it to cover the period. */
  statusHistorySince?: string;
  environments: EnvironmentDeliveryMetrics[];
}

/** One recorded change of a component's status in an environment. @public */
export interface StatusHistoryEntry {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  health: HealthState;
  /** The release hash that runs (or, Healthy, the desired one). */
  releaseHash?: string;
  /** The commit the status was derived against. */
  revision?: string;
  reason?: string;
  /** ISO 8601. */
  at: string;
}
