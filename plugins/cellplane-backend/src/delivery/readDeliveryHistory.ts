import { NotFoundError } from '@backstage/errors';
import { DeliveryScope } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryModel, parseYamlDocuments } from '@cellplane/backstage-plugin-node';
import { pipelineOrder } from '../status/StatusService';
import { HistoryCommit } from './computeDeliveryMetrics';

/** The walk stops after this many commits of the scope's files: what bounds one request's cost. */
export const MAX_HISTORY_COMMITS = 100_000;

/** The write path's rollback commit (rollbackComponent.ts): `Roll back <ns>/<component> in <env> to <release>`. */
const ROLLBACK_SUMMARY = /^Roll back ([a-z0-9-]+)\/([a-z0-9-]+) in ([a-z0-9-]+) to \S+/;
/** Where the layout puts a component's files, for files the model at head no longer has. */
const COMPONENT_FILE = /\/components\/([a-z0-9-]+)\/(?:component|workload)\.ya?ml$/;
const BINDING_FILE = /\/components\/([a-z0-9-]+)\/release-bindings\/[^/]+\.ya?ml$/;

/** The components and environments a scope measures, from the model at head. */
export interface ScopeOfMetrics {
  components: string[];
  environments: Array<{ name: string; production: boolean }>;
  /** Files of those components at head, by kind. */
  specFiles: Map<string, string>;
  bindingFiles: Map<string, { component: string; environment: string }>;
  /** The folders whose history holds those files. */
  folders: string[];
}

/** The components of a scope; NotFoundError naming what the repository does not have. */
export function scopeOfMetrics(model: RepositoryModel, scope: DeliveryScope): ScopeOfMetrics {
  const { namespace } = scope;
  if (!model.namespaces().includes(namespace)) throw new NotFoundError(`no namespace ${JSON.stringify(namespace)} in the GitOps repository`);
  const components = model
    .list('Component', namespace)
    .filter(entry => scope.kind === 'namespace' || (scope.kind === 'component' ? entry.resource.metadata.name === scope.name : entry.resource.spec.owner.projectName === scope.name));
  if (scope.kind === 'component' && components.length === 0) {
    throw new NotFoundError(`Component ${JSON.stringify(scope.name)} not found in namespace ${namespace}`);
  }
  const project = scope.kind === 'project' ? model.get('Project', scope.name, namespace) : undefined;
  if (scope.kind === 'project' && !project) throw new NotFoundError(`Project ${JSON.stringify(scope.name)} not found in namespace ${namespace}`);

  const specFiles = new Map<string, string>();
  const bindingFiles = new Map<string, { component: string; environment: string }>();
  for (const entry of components) {
    const name = entry.resource.metadata.name;
    specFiles.set(entry.file, name);
    const workload = model.workload(namespace, name);
    if (workload && !workload.implied) specFiles.set(workload.file, name);
    for (const binding of model.releaseBindings(namespace, name)) {
      if (!binding.implied) bindingFiles.set(binding.file, { component: name, environment: (binding.resource.spec as any).environment });
    }
  }
  const order = pipelineOrder(model, namespace);
  const environments = model
    .list('Environment', namespace)
    .map(entry => ({ name: entry.resource.metadata.name, production: Boolean((entry.resource.spec as any)?.isProduction) }))
    .sort((a, b) => rank(order, a.name) - rank(order, b.name) || a.name.localeCompare(b.name));
  const root = scope.kind === 'namespace' ? `namespaces/${namespace}/` : project ? `${dirname(project.file)}/` : undefined;
  const files = [...specFiles.keys(), ...bindingFiles.keys()];
  const folders =
    root && files.every(file => file.startsWith(root))
      ? [root.slice(0, -1)]
      : [...new Set(files.map(file => (COMPONENT_FILE.test(file) || BINDING_FILE.test(file) ? componentFolder(file) : file)))];
  return { components: components.map(entry => entry.resource.metadata.name), environments, specFiles, bindingFiles, folders };
}

/**
 * The history of a scope's files, oldest first, as computeDeliveryMetrics reads it: one
 * `git log` of the folders, and one `git cat-file --batch` for what each changed binding says
 * after each commit (the release it pins, its environment).
 */
export async function readDeliveryHistory(repository: GitOpsRepository, revision: string, scope: ScopeOfMetrics): Promise<HistoryCommit[]> {
  const log = (await repository.historyOfPaths(revision, scope.folders, { limit: MAX_HISTORY_COMMITS, details: true })).reverse();
  const bindingReads = log.flatMap(entry => entry.paths.filter(path => BINDING_FILE.test(path)).map(path => ({ commit: entry.commit, path })));
  const contents = new Map<string, Buffer | undefined>();
  for (const file of await repository.readFilesAtCommits(bindingReads)) contents.set(`${file.commit}:${file.path}`, file.content);

  const bindingOf = new Map(scope.bindingFiles);
  return log.map(entry => {
    const summary = (entry.message ?? '').split('\n')[0];
    const specChanges = new Set<string>();
    const bindingChanges: HistoryCommit['bindingChanges'] = [];
    for (const path of entry.paths) {
      const specOwner = scope.specFiles.get(path) ?? COMPONENT_FILE.exec(path)?.[1];
      if (specOwner) specChanges.add(specOwner);
      if (!BINDING_FILE.test(path)) continue;
      const content = contents.get(`${entry.commit}:${path}`);
      const binding = content ? readBinding(content) : undefined;
      if (binding) bindingOf.set(path, binding);
      const known = binding ?? bindingOf.get(path);
      if (!known) continue;
      bindingChanges.push(
        content ? { ...known, ...(binding?.release ? { release: binding.release } : {}) } : { component: known.component, environment: known.environment, removed: true },
      );
    }
    const rollback = ROLLBACK_SUMMARY.exec(summary);
    return {
      commit: entry.commit,
      at: Date.parse(entry.committedAt),
      summary,
      specChanges: [...specChanges],
      bindingChanges,
      ...(rollback ? { rollback: { component: rollback[2], environment: rollback[3] } } : {}),
    };
  });
}

/** What a ReleaseBinding file says: its component, environment and pinned release; undefined when it is not one. */
function readBinding(content: Buffer): { component: string; environment: string; release?: string } | undefined {
  const parsed = parseYamlDocuments(content);
  if (!parsed.ok) return undefined;
  for (const document of parsed.documents) {
    const value = document.value as any;
    if (value?.kind !== 'ReleaseBinding') continue;
    const component = value.spec?.owner?.componentName;
    const environment = value.spec?.environment;
    if (typeof component !== 'string' || typeof environment !== 'string') return undefined;
    const release = typeof value.spec?.releaseName === 'string' && value.spec.releaseName ? value.spec.releaseName : undefined;
    return { component, environment, ...(release ? { release } : {}) };
  }
  return undefined;
}

const rank = (order: string[], name: string) => (order.indexOf(name) < 0 ? Infinity : order.indexOf(name));
const dirname = (path: string) => path.slice(0, path.lastIndexOf('/'));
const componentFolder = (file: string) => file.slice(0, file.indexOf('/components/') + '/components/'.length) + file.slice(file.indexOf('/components/') + '/components/'.length).split('/')[0];
