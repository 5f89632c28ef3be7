/** The app path of the commit page, which shows the trace of the commit first (cellplane's `commitRouteRef`). */
const COMMIT_PAGE_PATH = '/cellplane/commits';

// The files of one component: its spec (gitOpsLayout) and its rendered manifests per environment.
const COMPONENT_SPEC = /^namespaces\/([^/]+)\/projects\/[^/]+\/components\/([^/]+)\//;
const RENDERED_COMPONENT = /^rendered\/[^_/][^/]*\/([^/]+)\/[^/]+\/[^/]+\/components\/([^/]+)\.ya?ml$/;

/**
 * The component a change is about, `<namespace>/<name>`, when its files concern exactly one
 * component (spec or rendered manifests); undefined for a change of several or none (a project,
 * a platform resource).
 */
export function changedComponent(paths: readonly string[]): string | undefined {
  const components = new Set<string>();
  for (const path of paths) {
    const match = COMPONENT_SPEC.exec(path) ?? RENDERED_COMPONENT.exec(path);
    if (match) components.add(`${match[1]}/${match[2]}`);
  }
  return components.size === 1 ? [...components][0] : undefined;
}

/**
 * The `traceUrl` output of a write: the portal's path of the commit's trace ("did my commit
 * land?"), `/cellplane/commits/<sha>`, focused with `?component=<namespace>/<name>` on the
 * component the change is about when there is one. An app path, not a URL, so it works whatever
 * the portal's address (a template's output link opens it in the app).
 */
export function traceUrl(sha: string, changedPaths: readonly string[]): string {
  const component = changedComponent(changedPaths);
  return `${COMMIT_PAGE_PATH}/${sha}${component ? `?component=${component}` : ''}`;
}
