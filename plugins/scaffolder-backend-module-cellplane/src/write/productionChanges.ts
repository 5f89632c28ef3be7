import {
  canonicalJson,
  FileChange,
  gitOpsLayout,
  RENDERED_FOLDER,
  RepositoryModel,
  RepositoryRevision,
} from '@cellplane/backstage-plugin-node';
import yaml from 'js-yaml';
import { changedModel } from './changedModel';
import { EffectiveChange } from './diff';

/** A production environment a change alters, and the files that show it. */
export interface ProductionChange {
  /** `<namespace>/<environment>`. */
  environment: string;
  /** Repository paths of the change that alter it (rendered manifests, bindings, live specs). */
  files: string[];
}

/**
 * The environments marked `isProduction` that a change alters, whatever action made it.
 * Computed from the files themselves, so a race that re-derives the change re-derives this too:
 *
 * - a rendered manifest under `rendered/<data plane>/<namespace>/<environment>/` (or the
 *   observability plane's copy) of a production environment is written or deleted;
 * - a ReleaseBinding or ResourceReleaseBinding targeting one is written or deleted (its
 *   overrides, the release it pins);
 * - a Component, Workload or Resource changes while a production binding runs it live (no
 *   pinned release): OpenChoreo deploys the live spec, so this changes production even when
 *   no renderer is plugged in;
 * - an Environment that is (or was) production is itself changed.
 *
 * An environment counts as production if it is marked so before or after the change, so a
 * change cannot lift the flag and slip through. `rendered/index.txt` and `rendered/_bootstrap/`
 * are bookkeeping: they change together with an environment folder, which is what counts.
 */
export async function productionChanges(base: RepositoryRevision, changes: EffectiveChange[]): Promise<ProductionChange[]> {
  if (changes.length === 0) return [];
  const before = await base.model();
  const after = await changedModel(before, changes);
  const isProduction = (namespace: string | undefined, environment: unknown) =>
    typeof namespace === 'string' &&
    typeof environment === 'string' &&
    [before, after].some(model => model.get('Environment', environment, namespace)?.resource.spec.isProduction === true);

  const found = new Map<string, Set<string>>();
  const note = (namespace: string, environment: string, file: string) => {
    const key = `${namespace}/${environment}`;
    if (!found.has(key)) found.set(key, new Set());
    found.get(key)!.add(file);
  };

  for (const change of changes) {
    const rendered = renderedEnvironmentOf(change.path);
    if (rendered) {
      if (isProduction(rendered.namespace, rendered.environment)) note(rendered.namespace, rendered.environment, change.path);
      continue;
    }
    if (!gitOpsLayout.isModelFile(change.path)) continue;
    for (const document of changedDocuments(change.before, contentOf(change))) {
      const namespace: string | undefined = document.metadata?.namespace ?? gitOpsLayout.namespaceOfPath(change.path);
      if (!namespace && document.kind !== 'Environment') continue;
      switch (document.kind) {
        case 'ReleaseBinding':
        case 'ResourceReleaseBinding':
          if (isProduction(namespace, document.spec?.environment)) note(namespace!, document.spec.environment, change.path);
          break;
        case 'Environment':
          if (isProduction(namespace, document.metadata?.name)) note(namespace!, document.metadata.name, change.path);
          break;
        case 'Component':
        case 'Workload': {
          const component = document.kind === 'Component' ? document.metadata?.name : document.spec?.owner?.componentName;
          for (const environment of liveEnvironments(before, after, namespace!, 'component', component)) {
            if (isProduction(namespace, environment)) note(namespace!, environment, change.path);
          }
          break;
        }
        case 'Resource':
          for (const environment of liveEnvironments(before, after, namespace!, 'resource', document.metadata?.name)) {
            if (isProduction(namespace, environment)) note(namespace!, environment, change.path);
          }
          break;
        default:
      }
    }
  }
  return [...found.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([environment, files]) => ({ environment, files: [...files].sort() }));
}

/** The namespace and environment of a rendered manifest's path, if it belongs to one. */
export function renderedEnvironmentOf(path: string): { namespace: string; environment: string } | undefined {
  const segments = path.split('/');
  if (segments[0] !== RENDERED_FOLDER || segments.length < 5) return undefined;
  // rendered/_observability-plane/<namespace>/<environment>/<project>/<component>.yaml
  if (segments[1] === '_observability-plane') return { namespace: segments[2], environment: segments[3] };
  // rendered/_bootstrap/... and other bookkeeping folders name no environment
  if (segments[1].startsWith('_')) return undefined;
  // rendered/<data plane>/<namespace>/<environment>/<project>/...
  return { namespace: segments[2], environment: segments[3] };
}

/** Environments where a component's or resource's binding runs its live spec (pins no release). */
function liveEnvironments(
  before: RepositoryModel,
  after: RepositoryModel,
  namespace: string,
  kind: 'component' | 'resource',
  name: unknown,
): string[] {
  if (typeof name !== 'string') return [];
  return [before, after].flatMap(model =>
    kind === 'component'
      ? model
          .releaseBindings(namespace, name)
          .filter(entry => !entry.resource.spec.releaseName)
          .map(entry => entry.resource.spec.environment)
      : model
          .resourceReleaseBindings(namespace, name)
          .filter(entry => !entry.resource.spec.resourceRelease)
          .map(entry => entry.resource.spec.environment),
  );
}

function contentOf(change: FileChange): string | undefined {
  return change.content === null ? undefined : change.content.toString();
}

/**
 * The documents a change to a file adds, removes or alters, as they were and as they will be.
 * In a multi-document file the documents beside the edited one are not the change's doing: a
 * development binding edited in a file that also holds the production binding does not change
 * production.
 */
function changedDocuments(before: string | undefined, after: string | undefined): any[] {
  const identity = (document: any) => `${document.kind}/${document.metadata?.namespace ?? ''}/${document.metadata?.name}`;
  const byIdentity = (documents: any[]) => new Map(documents.map(document => [identity(document), canonicalJson(document)]));
  const old = documentsOf(before);
  const now = documentsOf(after);
  const oldByIdentity = byIdentity(old);
  const nowByIdentity = byIdentity(now);
  return [
    ...old.filter(document => nowByIdentity.get(identity(document)) !== canonicalJson(document)),
    ...now.filter(document => oldByIdentity.get(identity(document)) !== canonicalJson(document)),
  ];
}

/** The YAML documents of a file's content, loosely: a file that does not parse names nothing. */
function documentsOf(content: string | undefined): any[] {
  if (!content) return [];
  try {
    return yaml.loadAll(content).filter(document => document && typeof document === 'object');
  } catch {
    return [];
  }
}
