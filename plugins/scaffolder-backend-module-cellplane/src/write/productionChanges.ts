import {
  canonicalJson,
  FileChange,
  gitOpsLayout,
  RENDERED_FOLDER,
  RepositoryModel,
  RepositoryRevision,
} from '@cellplane/backstage-plugin-node';
import yaml from 'js-yaml';
import { Environment } from '@cellplane/backstage-plugin-common';
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
  return (await environmentChanges(base, changes)).where(environment => environment.spec.isProduction === true);
}

/** The environments a change alters, found once and filtered by what an environment says. */
export interface EnvironmentChanges {
  /**
   * The altered environments that `select` picks, as they are before or after the change (so a
   * change cannot lift a flag or an annotation and slip through), sorted by name. With
   * `targeted`, only those the change addresses itself: one of their bindings, or the
   * Environment (not a live spec a binding of theirs follows, nor their rendered files alone).
   */
  where(select: (environment: Environment) => boolean, reach?: 'altered' | 'targeted'): ProductionChange[];
}

/**
 * Every environment a change alters, by the rules {@link productionChanges} describes: its
 * rendered manifests, a binding targeting it, a live spec one of its bindings runs, or the
 * Environment itself.
 */
export async function environmentChanges(base: RepositoryRevision, changes: EffectiveChange[]): Promise<EnvironmentChanges> {
  if (changes.length === 0) return { where: () => [] };
  const before = await base.model();
  const after = await changedModel(before, changes);
  const found = new Map<string, { namespace: string; environment: string; files: Set<string>; targeted: boolean }>();
  const note = (namespace: string | undefined, environment: unknown, file: string, targeted = false) => {
    if (typeof namespace !== 'string' || typeof environment !== 'string') return;
    const key = `${namespace}/${environment}`;
    if (!found.has(key)) found.set(key, { namespace, environment, files: new Set(), targeted: false });
    found.get(key)!.files.add(file);
    if (targeted) found.get(key)!.targeted = true;
  };

  for (const change of changes) {
    const rendered = renderedEnvironmentOf(change.path);
    if (rendered) {
      note(rendered.namespace, rendered.environment, change.path);
      continue;
    }
    if (!gitOpsLayout.isModelFile(change.path)) continue;
    for (const document of changedDocuments(change.before, contentOf(change))) {
      const namespace: string | undefined = document.metadata?.namespace ?? gitOpsLayout.namespaceOfPath(change.path);
      if (!namespace) continue;
      switch (document.kind) {
        case 'ReleaseBinding':
        case 'ResourceReleaseBinding':
          note(namespace, document.spec?.environment, change.path, true);
          break;
        case 'Environment':
          note(namespace, document.metadata?.name, change.path, true);
          break;
        case 'Component':
        case 'Workload': {
          const component = document.kind === 'Component' ? document.metadata?.name : document.spec?.owner?.componentName;
          for (const environment of liveEnvironments(before, after, namespace, 'component', component)) {
            note(namespace, environment, change.path);
          }
          break;
        }
        case 'Resource':
          for (const environment of liveEnvironments(before, after, namespace, 'resource', document.metadata?.name)) {
            note(namespace, environment, change.path);
          }
          break;
        default:
      }
    }
  }
  return {
    where: (select, reach = 'altered') =>
      [...found.entries()]
        .filter(([, { targeted }]) => reach === 'altered' || targeted)
        .filter(([, { namespace, environment }]) =>
          [before, after].some(model => {
            const entry = model.get('Environment', environment, namespace);
            return entry !== undefined && select(entry.resource);
          }),
        )
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([environment, { files }]) => ({ environment, files: [...files].sort() })),
  };
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
