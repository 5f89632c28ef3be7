/**
 * The trace of a commit ("did my commit land?"), as `GET /api/cellplane/trace/:sha` answers it
 * and the commit page shows it: for each component and environment the commit changed, the steps
 * from Git to running pods, each with its state, its time and, when stuck, why.
 */

/**
 * - `done`: it happened (see `at`).
 * - `in-progress`: under way (a sync running, a rollout with pods still starting).
 * - `waiting`: not started; an earlier step has not finished.
 * - `failed`: it cannot go on by itself (see `reason`: an image that cannot be pulled, a sync error).
 * - `not-applicable`: it will not happen for this commit (nothing rendered changed, no workload,
 *   a newer commit superseded it).
 *
 * @public
 */
export const TRACE_STEP_STATES = ['done', 'in-progress', 'waiting', 'failed', 'not-applicable'] as const;

/** @public */
export type TraceStepState = (typeof TRACE_STEP_STATES)[number];

/** The steps of a commit's way to running pods, in order. @public */
export const TRACE_STEP_NAMES = ['committed', 'rendered', 'synced', 'rolled-out', 'ready'] as const;

/** @public */
export type TraceStepName = (typeof TRACE_STEP_NAMES)[number];

/** One step of a commit's way in one environment. @public */
export interface TraceStep {
  name: TraceStepName;
  state: TraceStepState;
  /**
   * When it happened (ISO 8601), read from the objects themselves so it survives restarts: the
   * commit's date, Argo CD's `operationState.finishedAt` / `reconciledAt` or Flux's Ready
   * condition, the Deployment's `Progressing` condition, the pods' `Ready` condition.
   */
  at?: string;
  /** One line on what happened (e.g. `Argo CD synced 1a2b3c4`, `2/2 pods ready`). */
  detail?: string;
  /** Why it is not done: where it is stuck, in words a developer can act on. */
  reason?: string;
  /** synced: the revision the GitOps tool reports. */
  revision?: string;
}

/** How the commit touched a component in an environment. @public */
export type TraceChange =
  /** It changed the component's rendered manifests there: something new to deliver. */
  | 'rendered'
  /** It changed the component's spec, but not what is rendered for that environment. */
  | 'spec'
  /** It removed the component's rendered manifests there. */
  | 'removed';

/** The way of one commit to one component in one environment. @public */
export interface CommitTraceItem {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  change: TraceChange;
  /** The release hash the commit rendered (`cellplane.dev/release-hash`), when it rendered a workload. */
  releaseHash?: string;
  /** A newer commit that changed the same rendered manifests since, and now goes instead. */
  supersededBy?: string;
  steps: TraceStep[];
}

/** The trace of a commit (`GET /api/cellplane/trace/:sha[?component=<namespace>/<name>]`). @public */
export interface CommitTrace {
  /** The full commit id. */
  commit: string;
  /** The commit's date (ISO 8601). */
  committedAt: string;
  /** The head the status is computed against (null before the first read of the repository). */
  head: string | null;
  /** Components × environments the commit changed (only the one asked for with `?component=`), in pipeline order. */
  items: CommitTraceItem[];
}
