import { ReleaseDeployment } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryModel, parseYamlDocuments } from '@cellplane/backstage-plugin-node';
import { isSafePath } from './readReleaseHistory';
import { posix } from 'node:path';

/** Commits of the binding files' history read at most: the bound on one list's cost. */
export const MAX_BINDING_COMMITS = 300;

const isYaml = (path: string) => /\.ya?ml$/.test(path);

/** What one file at one commit says about the component's bindings, by environment. */
export type BindingStates = Map<string, { release?: string; running: boolean }>;

/**
 * Reads what files say at commits, in the order asked; the route passes one that reads them in one
 * `readFilesAtCommits` and caches them (a commit's files never change).
 */
export type ReadBindingStates = (reads: Array<{ commit: string; path: string }>) => Promise<BindingStates[]>;

/** The deployments of each release of a component, and whether the history was read to its start. */
export interface ReleaseDeployments {
  byRelease: Map<string, ReleaseDeployment[]>;
  complete: boolean;
}

/**
 * Where each release of a component ran, and when: the history of its ReleaseBinding files
 * (`historyOfPaths`, at most MAX_BINDING_COMMITS commits), each changed file read at that commit.
 * A span starts when a commit pins an environment's binding to the release and ends when a later
 * one pins another, unpins it (it then follows the component), undeploys it or removes it.
 * Spans come newest first.
 */
export async function readReleaseDeployments(
  repository: Pick<GitOpsRepository, 'historyOfPaths'>,
  model: RepositoryModel,
  namespace: string,
  component: string,
  readStates: ReadBindingStates,
): Promise<ReleaseDeployments> {
  const byRelease = new Map<string, ReleaseDeployment[]>();
  const files = model
    .releaseBindings(namespace, component)
    .filter(entry => !entry.implied)
    .map(entry => entry.file);
  const folders = [...new Set(files.map(file => (posix.dirname(file) === '.' ? file : posix.dirname(file))))].filter(isSafePath);
  if (!model.revision || folders.length === 0) return { byRelease, complete: true };

  const history = (await repository.historyOfPaths(model.revision, folders, { limit: MAX_BINDING_COMMITS })).reverse();
  const reads = history.flatMap(entry => entry.paths.filter(isYaml).map(path => ({ entry, path })));
  const states = await readStates(reads.map(({ entry, path }) => ({ commit: entry.commit, path })));

  // Oldest first: each environment's open span, and which environments each file declared.
  const open = new Map<string, { release: string; span: ReleaseDeployment }>();
  const declaredBy = new Map<string, Set<string>>();
  const close = (environment: string, commit: string, at: string) => {
    const running = open.get(environment);
    if (running) Object.assign(running.span, { until: at, untilCommit: commit });
    open.delete(environment);
  };
  reads.forEach(({ entry, path }, index) => {
    const now = states[index];
    for (const environment of declaredBy.get(path) ?? []) {
      if (!now.has(environment)) close(environment, entry.commit, entry.committedAt);
    }
    declaredBy.set(path, new Set(now.keys()));
    for (const [environment, state] of now) {
      const release = state.running ? state.release : undefined;
      if (open.get(environment)?.release === release) continue;
      close(environment, entry.commit, entry.committedAt);
      if (!release) continue;
      const span: ReleaseDeployment = { environment, since: entry.committedAt, sinceCommit: entry.commit };
      open.set(environment, { release, span });
      byRelease.set(release, [span, ...(byRelease.get(release) ?? [])]);
    }
  });
  return { byRelease, complete: history.length < MAX_BINDING_COMMITS };
}

/** The bindings of `component` in a file's content (any document of it), by environment. */
export function bindingStatesIn(content: Buffer | undefined, namespace: string, component: string): BindingStates {
  const states: BindingStates = new Map();
  if (!content) return states;
  const parsed = parseYamlDocuments(content);
  if (!parsed.ok) return states;
  for (const { value } of parsed.documents) {
    const doc = value as { kind?: unknown; metadata?: { namespace?: unknown }; spec?: Record<string, any> } | null;
    const spec = doc?.spec;
    if (doc?.kind !== 'ReleaseBinding' || !spec || spec.owner?.componentName !== component || typeof spec.environment !== 'string') continue;
    if (doc.metadata?.namespace !== undefined && doc.metadata.namespace !== namespace) continue;
    states.set(spec.environment, {
      ...(typeof spec.releaseName === 'string' ? { release: spec.releaseName } : {}),
      running: spec.state !== 'Undeploy',
    });
  }
  return states;
}
