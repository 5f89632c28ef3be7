import {
  Component,
  ModelProblem,
  OpenChoreoResource,
  ResourceKind,
  ResourceOfKind,
  isClusterScoped,
} from '@cellplane/backstage-plugin-common';
import { gitOpsLayout } from '../layout/gitOpsLayout';

/** A resource of the model and where it was read from. @public */
export interface ModelEntry<R extends OpenChoreoResource = OpenChoreoResource> {
  resource: R;
  /** Repository-relative path of the file. */
  file: string;
  /** 0-based position in a multi-document file. */
  documentIndex: number;
  /** The namespace it belongs to (from metadata or from its folder); undefined when cluster-scoped. */
  namespace?: string;
}

const key = (kind: string, name: string, namespace?: string) => `${kind}\u0000${namespace ?? ''}\u0000${name}`;
const scoped = (namespace: string | undefined, name: string) => `${namespace ?? ''}\u0000${name}`;

function push<K, V>(map: Map<K, V[]>, k: K, value: V) {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
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
  private readonly byKind = new Map<ResourceKind, ModelEntry[]>();
  private readonly componentsByProject = new Map<string, ModelEntry<ResourceOfKind<'Component'>>[]>();
  private readonly workloadsByComponent = new Map<string, ModelEntry<ResourceOfKind<'Workload'>>[]>();
  private readonly bindingsByComponent = new Map<string, ModelEntry<ResourceOfKind<'ReleaseBinding'>>[]>();
  private readonly releasesByComponent = new Map<string, ModelEntry<ResourceOfKind<'ComponentRelease'>>[]>();
  private readonly resourcesByProject = new Map<string, ModelEntry<ResourceOfKind<'Resource'>>[]>();
  private readonly resourceBindingsByResource = new Map<
    string,
    ModelEntry<ResourceOfKind<'ResourceReleaseBinding'>>[]
  >();
  private readonly namespaceNames = new Set<string>();

  /**
   * @param revision - the commit the model was read from, if any
   * @param entries - resources that passed validation; a duplicate (same kind, namespace and
   *   name) must already have been left out
   * @param problems - everything wrong, in file order
   */
  constructor(
    readonly revision: string | undefined,
    entries: ModelEntry[],
    readonly problems: ModelProblem[],
  ) {
    for (const entry of entries) {
      const { resource, namespace } = entry;
      this.byKey.set(key(resource.kind, resource.metadata.name, namespace), entry);
      push(this.byKind, resource.kind, entry);
      if (namespace) this.namespaceNames.add(namespace);
      if (resource.kind === 'Namespace') this.namespaceNames.add(resource.metadata.name);
      switch (resource.kind) {
        case 'Component':
          push(this.componentsByProject, scoped(namespace, resource.spec.owner.projectName), entry as any);
          break;
        case 'Workload':
          push(this.workloadsByComponent, scoped(namespace, resource.spec.owner.componentName), entry as any);
          break;
        case 'ReleaseBinding':
          push(this.bindingsByComponent, scoped(namespace, resource.spec.owner.componentName), entry as any);
          break;
        case 'ComponentRelease':
          push(this.releasesByComponent, scoped(namespace, resource.spec.owner.componentName), entry as any);
          break;
        case 'Resource':
          push(this.resourcesByProject, scoped(namespace, resource.spec.owner.projectName), entry as any);
          break;
        case 'ResourceReleaseBinding':
          push(this.resourceBindingsByResource, scoped(namespace, resource.spec.owner.resourceName), entry as any);
          break;
        default:
      }
    }
    // A component has one Workload: if several name it, the one where the layout keeps it is
    // the component's (a stray copy elsewhere must not take over), else the first.
    for (const workloads of this.workloadsByComponent.values()) {
      if (workloads.length < 2) continue;
      const atLayoutPath = workloads.findIndex(w => gitOpsLayout.isLayoutPathOf(w.file, w.resource, w.namespace));
      if (atLayoutPath > 0) workloads.unshift(...workloads.splice(atLayoutPath, 1));
    }
  }

  /** Every resource of the model. */
  entries(): ModelEntry[] {
    return [...this.byKey.values()];
  }

  get<K extends ResourceKind>(
    kind: K,
    name: string,
    namespace?: string,
  ): ModelEntry<ResourceOfKind<K>> | undefined {
    return this.byKey.get(key(kind, name, isClusterScoped(kind) ? undefined : namespace)) as
      | ModelEntry<ResourceOfKind<K>>
      | undefined;
  }

  list<K extends ResourceKind>(kind: K, namespace?: string): ModelEntry<ResourceOfKind<K>>[] {
    const all = (this.byKind.get(kind) ?? []) as ModelEntry<ResourceOfKind<K>>[];
    return namespace === undefined ? all : all.filter(entry => entry.namespace === namespace);
  }

  /** Every namespace that is declared or used, sorted. */
  namespaces(): string[] {
    return [...this.namespaceNames].sort();
  }

  components(namespace: string, project: string) {
    return this.componentsByProject.get(scoped(namespace, project)) ?? [];
  }

  /** The Workload of a component (OpenChoreo links them by owner, not by name). */
  workload(namespace: string, component: string) {
    return this.workloadsByComponent.get(scoped(namespace, component))?.[0];
  }

  releaseBindings(namespace: string, component: string) {
    return this.bindingsByComponent.get(scoped(namespace, component)) ?? [];
  }

  componentReleases(namespace: string, component: string) {
    return this.releasesByComponent.get(scoped(namespace, component)) ?? [];
  }

  resources(namespace: string, project: string) {
    return this.resourcesByProject.get(scoped(namespace, project)) ?? [];
  }

  resourceReleaseBindings(namespace: string, resource: string) {
    return this.resourceBindingsByResource.get(scoped(namespace, resource)) ?? [];
  }

  /** The ComponentType or ClusterComponentType a component names. */
  componentTypeOf(
    component: Component,
    namespace: string,
  ): ModelEntry<ResourceOfKind<'ComponentType'> | ResourceOfKind<'ClusterComponentType'>> | undefined {
    const ref = component.spec.componentType;
    const { kind, name } =
      typeof ref === 'string' ? { kind: 'ComponentType' as const, name: ref } : { kind: ref.kind ?? 'ComponentType', name: ref.name };
    const typeName = name.split('/')[1];
    return kind === 'ClusterComponentType'
      ? this.get('ClusterComponentType', typeName)
      : this.get('ComponentType', typeName, namespace);
  }

  /** Problems that concern one resource. */
  problemsOf(kind: string, name: string, namespace?: string): ModelProblem[] {
    return this.problems.filter(
      p =>
        p.resource?.kind === kind &&
        p.resource.name === name &&
        (p.resource.namespace ?? undefined) === (namespace ?? undefined),
    );
  }
}
