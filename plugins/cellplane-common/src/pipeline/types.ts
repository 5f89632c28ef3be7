import { ComponentEnvironmentStatus } from '../status/types';
import { ComponentReleaseSummary } from '../releases/types';

/**
 * How a change to an environment is published: committed to the GitOps branch, or opened as a
 * pull request someone reviews (the Environment annotation `cellplane.dev/publish`).
 *
 * @public
 */
export type PublishMode = 'commit' | 'pull-request';

/** A promotion or rollback pull request still open against an environment. @public */
export interface PipelinePullRequest {
  /** Which write opened it. */
  action: 'promote' | 'rollback';
  url: string;
  number: number;
  title: string;
  author?: string;
  /** Who is asked to review it (users and teams, as the Git host names them). */
  reviewers: string[];
  /** When it was opened, ISO 8601. */
  createdAt?: string;
}

/** The release an environment runs, as Git says. @public */
export interface PipelineRelease {
  /** The ComponentRelease name (`<component>-<hash>`). */
  name: string;
  images: string[];
  /** The commit of the GitOps repository that made the release (added its file, or, for a component followed live, last changed it). */
  commit?: string;
  /** When that commit was made (ISO 8601). */
  createdAt?: string;
}

/** A component's ReleaseBinding in one environment. @public */
export interface PipelineBinding {
  /** The pinned release (`spec.releaseName`); absent when the environment follows the component as it is at head. */
  releaseName?: string;
  /** True when no release is pinned: the environment runs the Component and Workload as they are now. */
  followsComponent: boolean;
  /** `Active` or `Undeploy`. */
  state: string;
  /** Set when no file holds the binding but OpenChoreo would create it (a Component with `autoDeploy`). */
  implied?: string;
}

/** A promotion path out of an environment. @public */
export interface PipelineTarget {
  environment: string;
  /** The path asks for an approval (`requiresApproval` or `isManualApprovalRequired`). */
  requiresApproval: boolean;
}

/** One environment of a component's delivery pipeline. @public */
export interface PipelineEnvironment {
  name: string;
  displayName?: string;
  /** The column: 0 for the pipeline's first environments, then one more per promotion step (the longest path). */
  stage: number;
  /** Where a release goes from here, along the pipeline's promotion paths. */
  next: PipelineTarget[];
  /** Environments that promote into this one. */
  previous: string[];
  isProduction: boolean;
  /** A promotion path into this environment asks for an approval. */
  requiresApproval: boolean;
  publish: PublishMode;
  /** The component's binding here; absent when it is not deployed to this environment. */
  binding?: PipelineBinding;
  /** What Git says runs here; absent when nothing is bound or the release cannot be found. */
  release?: PipelineRelease;
  /** The live status (health and cause, revisions, rollout, pods); absent when status cannot be read. */
  status?: ComponentEnvironmentStatus;
  /** Open promotion pull requests into this environment (pull-request publish mode). */
  pullRequests: PipelinePullRequest[];
}

/**
 * A component's delivery pipeline (`GET /api/cellplane/pipeline/:namespace/:component`): its
 * environments ordered along the project's DeploymentPipeline, what each runs and how it is.
 *
 * @public
 */
export interface DeliveryPipeline {
  namespace: string;
  component: string;
  project: string;
  /** The project's DeploymentPipeline; null when the project names none that exists. */
  pipeline: string | null;
  /** The commit of the GitOps repository read. */
  revision: string | null;
  /** In stage order, then by name. */
  environments: PipelineEnvironment[];
  /** The component's releases, newest first (for rolling back). */
  releases: ComponentReleaseSummary[];
  /** Why the status is missing (e.g. the status backend has not read this commit yet, or lacks the permission). */
  statusUnavailable?: string;
  /** Why open pull requests could not be listed (the Git host refused or failed); the columns show none then. */
  pullRequestsUnavailable?: string;
}
