import {
  Component,
  IndexedResource,
  ModelProblem,
  Project,
  OpenChoreoResource,
  ResourceKind,
  ResourceOfKind,
  isClusterScoped,
} from '@cellplane/backstage-plugin-common';
import { gitOpsLayout } from '../layout/gitOpsLayout';

/** A resource of the model and where it was read from. @public */
export interface ModelEntry<R extends OpenChoreoResource = OpenChoreoResource> extends IndexedResource<R> {
  /**
   * Set when the resource is in no file but implied by one that is, as OpenChoreo's controllers
   * would create it (a Component with `autoDeploy: true` implies a ReleaseBinding to its
   * pipeline's first environment). `file` is then where the layout would write it, and
   * `documentIndex` 0: nothing is there yet, so a writer creates the file rather than edit one.
   */
  implied?: ImpliedBy;
}

/** What implies a resource that is in no file. @public */
export interface ImpliedBy {
  /** The resource that implies it, and the file that resource is in. */
  by: { kind: string; name: string; namespace?: string; file: string };
  /** Why, in the user's terms. */
  reason: string;
}

const key = (kind: string, name: string, namespace?: string) => `${kind}\u0000${namespace ?? ''}\u0000${name}`;

/** The kinds the model looks up by owner, and the owner field of each (e.g. components by project). */
const OWNER_FIELD = {
  Component: 'projectName',
  Workload: 'componentName',
  ReleaseBinding: 'componentName',
  ComponentRelease: 'componentName',
  Resource: 'projectName',
  ResourceReleaseBinding: 'resourceName',
  ResourceRelease: 'resourceName',
  ProjectRelease: 'projectName',
  ProjectReleaseBinding: 'projectName',
} as const;
type OwnedKind = keyof typeof OWNER_FIELD;

const isOwned = (entry: ModelEntry) => entry.resource.kind in OWNER_FIELD;

/** The key of an owned entry in `byOwner`: its kind, namespace and owner's name. */
function ownerKey({ resource, namespace }: ModelEntry): string {
  const owner = (resource.spec as { owner: Record<string, string> }).owner[OWNER_FIELD[resource.kind as OwnedKind]];
  return key(resource.kind, owner, namespace);
}

/**
 * A GitOps repository loaded into an indexed, cross-referenced model: namespaces → projects →
 * components → workloads → release bindings, and the platform resources they refer to. Built
 * once per revision by `loadRepositoryModel`; read-only afterwards.
 *
 * @public
 */
export class RepositoryModel {
  private readonly byKey = new Map<string, ModelEntry>();
  private readonly byKind: Map<ResourceKind, ModelEntry[]>;
  /** Entries of the kinds of OWNER_FIELD by kind, namespace and owner name, in model order. */
  private readonly byOwner: Map<string, ModelEntry[]>;
  private readonly namespaceNames = new Set<string>();

  /**
   * @param entries - resources that passed validation; a duplicate (same kind, namespace and
   *   name) must already have been left out
   */
  constructor(
    /** The commit the model was read from, if any. */
    readonly revision: string | undefined,
    entries: ModelEntry[],
    /** Everything wrong, in file order. */
    readonly problems: ModelProblem[],
  ) {
    this.byKind = Map.groupBy(entries, entry => entry.resource.kind);
    this.byOwner = Map.groupBy(entries.filter(isOwned), ownerKey);
    for (const entry of entries) this.index(entry);
    // A component has one Workload: if several name it, the one where the layout keeps it is
    // the component's (a stray copy elsewhere must not take over), else the first.
    for (const workloads of this.byOwner.values()) {
      if (workloads.length < 2 || workloads[0].resource.kind !== 'Workload') continue;
      const atLayoutPath = workloads.findIndex(w => gitOpsLayout.isLayoutPathOf(w.file, w.resource, w.namespace));
      if (atLayoutPath > 0) workloads.unshift(...workloads.splice(atLayoutPath, 1));
    }
  }

  private index(entry: ModelEntry) {
    const { resource, namespace } = entry;
    this.byKey.set(key(resource.kind, resource.metadata.name, namespace), entry);
    if (namespace) this.namespaceNames.add(namespace);
    if (resource.kind === 'Namespace') this.namespaceNames.add(resource.metadata.name);
  }

  /**
   * Adds resources that no file holds but the model implies (see {@link ModelEntry.implied}),
   * while the model is being built, before anyone reads it. Each must be new: same kind,
   * namespace and name as no other entry.
   *
   * @internal
   */
  addImpliedEntries(entries: ModelEntry[]): void {
    for (const entry of entries) {
      this.byKind.set(entry.resource.kind, [...(this.byKind.get(entry.resource.kind) ?? []), entry]);
      if (isOwned(entry)) {
        const owner = ownerKey(entry);
        this.byOwner.set(owner, [...(this.byOwner.get(owner) ?? []), entry]);
      }
      this.index(entry);
    }
  }

  /** Every resource of the model. */
  entries(): ModelEntry[] {
    return [...this.byKey.values()];
  }

  /** The resource of a kind and name (in `namespace`, unless the kind is cluster-scoped). */
  get<K extends ResourceKind>(
    kind: K,
    name: string,
    namespace?: string,
  ): ModelEntry<ResourceOfKind<K>> | undefined {
    return this.byKey.get(key(kind, name, isClusterScoped(kind) ? undefined : namespace)) as
      | ModelEntry<ResourceOfKind<K>>
      | undefined;
  }

  /** The resources of a kind, in model order; only those of `namespace` when given. */
  list<K extends ResourceKind>(kind: K, namespace?: string): ModelEntry<ResourceOfKind<K>>[] {
    const all = (this.byKind.get(kind) ?? []) as ModelEntry<ResourceOfKind<K>>[];
    return namespace === undefined ? all : all.filter(entry => entry.namespace === namespace);
  }

  /** Every namespace that is declared or used, sorted. */
  namespaces(): string[] {
    return [...this.namespaceNames].sort();
  }

  /** The resources of `kind` whose spec.owner names `owner` (a project, component or resource). */
  private owned<K extends OwnedKind>(kind: K, namespace: string, owner: string) {
    return (this.byOwner.get(key(kind, owner, namespace)) ?? []) as ModelEntry<ResourceOfKind<K>>[];
  }

  /** The Components of a project. */
  components(namespace: string, project: string) {
    return this.owned('Component', namespace, project);
  }

  /** The Workload of a component (OpenChoreo links them by owner, not by name). */
  workload(namespace: string, component: string): ModelEntry<ResourceOfKind<'Workload'>> | undefined {
    return this.owned('Workload', namespace, component)[0];
  }

  /** The ReleaseBindings of a component, one per environment when the model has no problem. */
  releaseBindings(namespace: string, component: string) {
    return this.owned('ReleaseBinding', namespace, component);
  }

  /** The ComponentReleases of a component. */
  componentReleases(namespace: string, component: string) {
    return this.owned('ComponentRelease', namespace, component);
  }

  /** The Resources of a project. */
  resources(namespace: string, project: string) {
    return this.owned('Resource', namespace, project);
  }

  /** The ResourceReleaseBindings of a resource. */
  resourceReleaseBindings(namespace: string, resource: string) {
    return this.owned('ResourceReleaseBinding', namespace, resource);
  }

  /** The ResourceReleases of a resource. */
  resourceReleases(namespace: string, resource: string) {
    return this.owned('ResourceRelease', namespace, resource);
  }

  /** The ProjectReleases of a project. */
  projectReleases(namespace: string, project: string) {
    return this.owned('ProjectRelease', namespace, project);
  }

  /** The ProjectReleaseBindings of a project, one per environment when the model has no problem. */
  projectReleaseBindings(namespace: string, project: string) {
    return this.owned('ProjectReleaseBinding', namespace, project);
  }

  /** The ProjectType or ClusterProjectType a project names in `spec.type`, if it names one. */
  projectTypeOf(
    project: Project,
    namespace: string,
  ): ModelEntry<ResourceOfKind<'ProjectType'> | ResourceOfKind<'ClusterProjectType'>> | undefined {
    const ref = project.spec.type;
    return ref ? this.get(ref.kind ?? 'ProjectType', ref.name, namespace) : undefined;
  }

  /** The ObservabilityAlertsNotificationChannels of an environment, in model order. */
  notificationChannels(namespace: string, environment: string) {
    return this.list('ObservabilityAlertsNotificationChannel', namespace).filter(
      entry => entry.resource.spec.environment === environment,
    );
  }

  /**
   * The default notification channel of an environment: the one marked `isEnvDefault`, else
   * the first. OpenChoreo makes the first channel created for an environment its default; a
   * repository has no creation order, so the first in file order stands for it (the loader warns
   * when that choice matters).
   */
  defaultNotificationChannel(namespace: string, environment: string) {
    const channels = this.notificationChannels(namespace, environment);
    return channels.find(entry => entry.resource.spec.isEnvDefault) ?? channels[0];
  }

  /** The ComponentType or ClusterComponentType a component names. */
  componentTypeOf(
    component: Component,
    namespace: string,
  ): ModelEntry<ResourceOfKind<'ComponentType'> | ResourceOfKind<'ClusterComponentType'>> | undefined {
    const ref = component.spec.componentType;
    const { kind, name } =
      typeof ref === 'string' ? { kind: 'ComponentType' as const, name: ref } : { kind: ref.kind ?? 'ComponentType', name: ref.name };
    return this.get(kind, name.split('/')[1], namespace);
  }
}
