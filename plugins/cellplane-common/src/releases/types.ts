/**
 * One ComponentRelease as the portal lists it (`GET /api/cellplane/releases/:namespace/:component`):
 * enough to tell releases apart when choosing one to roll back to.
 *
 * @public
 */
export interface ComponentReleaseSummary {
  /** `<component>-<hash>`: the value `releaseName` of a ReleaseBinding takes. */
  name: string;
  /** The commit of the GitOps repository that added the release's file, when Git still has it. */
  commit?: string;
  /** When that commit was made (ISO 8601, committer time). */
  createdAt?: string;
  /** Container images of the release's workload snapshot. */
  images: string[];
  /** Where the snapshot's source came from (the Workload's `source`), when it says. */
  source?: { repository?: string; branch?: string; commit?: string };
  /** Environments whose ReleaseBinding pins this release now (`spec.releaseName`), in pipeline order. */
  environments: string[];
  /**
   * True when the component's current state (Component + Workload + types at head) is exactly
   * this release: environments whose binding pins no release run it too.
   */
  current: boolean;
  /**
   * Where the release ran and runs: each span an environment's ReleaseBinding pinned it, newest
   * first (from the binding files' Git history; see {@link ComponentReleaseList.historyComplete}).
   */
  deployments?: ReleaseDeployment[];
}

/** The answer of the releases route. @public */
export interface ComponentReleaseList {
  namespace: string;
  component: string;
  /** The commit of the GitOps repository the list was read at. */
  revision: string | null;
  /** Environments whose ReleaseBinding pins no release: they run the component's current state. */
  unpinnedEnvironments: string[];
  /** Newest first. */
  items: ComponentReleaseSummary[];
  /**
   * False when the binding files' history was read only back to a bound: spans older than that
   * are missing. Absent when the list carries no deployments.
   */
  historyComplete?: boolean;
}

/**
 * A span of time an environment's ReleaseBinding pinned a release, read from the Git history of
 * the binding's file.
 *
 * @public
 */
export interface ReleaseDeployment {
  environment: string;
  /** When the binding was pinned to the release (committer time, ISO 8601), and by which commit. */
  since: string;
  sinceCommit: string;
  /**
   * When it stopped (pinned to another release, unpinned, undeployed or removed), and by which
   * commit; absent while the environment still runs the release.
   */
  until?: string;
  untilCommit?: string;
}
