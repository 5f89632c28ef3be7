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
}
