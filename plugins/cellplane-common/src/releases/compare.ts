/**
 * One file on both sides of a comparison, as text; `null` where that side has no such file. The
 * browser computes the diff (it shows it side by side or unified), so both sides travel whole.
 *
 * @public
 */
export interface ReleaseFileComparison {
  path: string;
  from: string | null;
  to: string | null;
}

/**
 * The answer of `GET /api/cellplane/releases/:namespace/:component/compare?from=&to=[&environment=]`:
 * two ComponentReleases of a component, as their snapshots (spec) and as the manifests each
 * renders to in one environment.
 *
 * @public
 */
export interface ComponentReleaseComparison {
  namespace: string;
  component: string;
  /** The commit of the GitOps repository both releases were read and rendered at. */
  revision: string | null;
  from: string;
  to: string;
  /** The two ComponentRelease resources as YAML (what a ReleaseBinding pinning each one runs). */
  spec: ReleaseFileComparison;
  /**
   * The environment the manifests were rendered for: the one asked for, or else the first of
   * the pipeline the component has a ReleaseBinding in; null when it has none.
   */
  environment: string | null;
  /**
   * The rendered files that differ between the two releases in that environment (the
   * component's manifests, its cell and observability files), each release rendered with the
   * platform (types, traits, environment, binding overrides) as it is at `revision`, so the
   * difference is the releases' own. Empty when they render alike.
   */
  rendered: ReleaseFileComparison[];
  /** Why a side rendered nothing or less than it should (render problems, one line each). */
  renderProblems: string[];
}
