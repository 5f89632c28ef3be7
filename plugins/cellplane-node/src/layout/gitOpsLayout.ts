import { InputError } from '@backstage/errors';
import {
  explainInvalidName,
  isClusterScoped,
  NameRule,
  OpenChoreoResource,
  ResourceKind,
} from '@cellplane/backstage-plugin-common';

/**
 * Where each resource lives in a GitOps repository. It follows OpenChoreo's own GitOps layout,
 * so a repository OpenChoreo users already have reads as is:
 *
 * ```
 * platform-shared/                                  cluster-scoped platform resources
 *   component-types/  traits/  resource-types/  infra/data-planes/
 * namespaces/<ns>/
 *   namespace.yaml
 *   platform/
 *     infra/environments/  infra/deployment-pipelines/  infra/data-planes/
 *     component-types/  traits/  resource-types/  secret-references/
 *   projects/<project>/
 *     project.yaml
 *     resources/<resource>/resource.yaml
 *     resources/<resource>/release-bindings/<resource>-<env>.yaml
 *     components/<component>/
 *       component.yaml  workload.yaml
 *       releases/<release>.yaml
 *       release-bindings/<component>-<env>.yaml
 * rendered/                                          written by the renderer, never read as model
 *   index.txt                                        <git blob id> <path> of every rendered file
 *   <data plane>/<ns>/<environment>/                 what Argo CD / Flux sync into the data plane
 *     <project>/cell.yaml                            Namespace, default-deny and DNS policies, mTLS
 *     <project>/components/<component>.yaml          a ReleaseBinding's objects and network policy
 *     <project>/resources/<resource>.yaml            a ResourceReleaseBinding's objects and policy
 *   _bootstrap/<data plane>.yaml                     Argo CD Applications or Flux objects, applied once
 *   _observability-plane/<ns>/<environment>/...      objects with targetPlane: observabilityplane
 * ```
 *
 * `<data plane>` is a ClusterDataPlane's name or `<ns>.<name>` for a DataPlane; the details are in
 * render/renderedLayout.ts, and `yarn cellplane render` keeps the folder up to date.
 *
 * The loader reads every YAML file outside `rendered/` and dot-folders, whatever its path, and
 * multi-document files anywhere; the layout only decides where Cellplane writes, and lets the
 * loader check that a file under `namespaces/<ns>/` declares that namespace.
 *
 * Where Cellplane writes:
 * - A resource the repository already has is changed where it is, whatever the file: in a
 *   multi-document file only its own document changes (the scaffolder module's YamlDocumentsFile).
 * - A new resource goes where its neighbours are ({@link gitOpsLayout.placeNew}). OpenChoreo's
 *   samples keep a Component and its Workload together in one multi-document file, and
 *   OpenChoreo's GitOps layout keeps each ReleaseBinding in a file of its own under the
 *   component's `release-bindings/`, where a promotion or a rollback is a change to one small
 *   file (and a CODEOWNERS rule can guard production's). So a new ReleaseBinding goes:
 *   1. into the file that holds the component's other ReleaseBindings, when they share one
 *      multi-document file (the team chose to keep them together);
 *   2. else as `<component>-<env>.yaml` beside the component's other bindings' files;
 *   3. else into `release-bindings/<component>-<env>.yaml` beside the component's file, even
 *      when that file is a multi-document one;
 *   4. else (the component is new too) to its layout path.
 *   A ResourceReleaseBinding goes alike (its owner is the Resource). A ComponentRelease goes
 *   beside the component's other releases, else into `releases/` beside the component's file
 *   (releases are written by Cellplane, one immutable file each, never into a file people
 *   edit). A component's missing Workload goes into the Component's file when that file holds
 *   several documents, else `workload.yaml` beside it. For a component at its layout path,
 *   each of these is the layout path itself. New Projects, Components, Resources and platform
 *   resources go to their layout paths.
 */

const PLATFORM_FOLDERS: Partial<Record<ResourceKind, string>> = {
  ComponentType: 'component-types',
  ClusterComponentType: 'component-types',
  Trait: 'traits',
  ClusterTrait: 'traits',
  ResourceType: 'resource-types',
  ClusterResourceType: 'resource-types',
  Environment: 'infra/environments',
  DeploymentPipeline: 'infra/deployment-pipelines',
  DataPlane: 'infra/data-planes',
  ClusterDataPlane: 'infra/data-planes',
  SecretReference: 'secret-references',
};

/**
 * Where the resources next to a new one live, for {@link gitOpsLayout.placeNew}.
 *
 * @public
 */
export interface NewResourceNeighbours {
  /**
   * The file of its owner, and how many documents that file holds: the Component of a Workload,
   * ReleaseBinding or ComponentRelease; the Resource of a ResourceReleaseBinding.
   */
  owner?: { file: string; documents: number };
  /**
   * The files of the owner's other resources of its kind (its other ReleaseBindings or
   * ComponentReleases, say), and how many documents each holds.
   */
  siblings?: ReadonlyArray<{ file: string; documents: number }>;
}

/** The folder of rendered manifests, which the model loader skips. @public */
export const RENDERED_FOLDER = 'rendered';

function checked(value: string, what: string, rule: NameRule = 'dns-label'): string {
  const problem = explainInvalidName(value, rule);
  if (problem) {
    throw new InputError(`${what} ${problem}`);
  }
  return value;
}

/** The paths of the layout above, each name checked before it becomes part of a path. @public */
export const gitOpsLayout = {
  namespaceDir(namespace: string): string {
    return `namespaces/${checked(namespace, 'namespace')}`;
  },
  namespaceFile(namespace: string): string {
    return `${this.namespaceDir(namespace)}/namespace.yaml`;
  },
  projectDir(namespace: string, project: string): string {
    return `${this.namespaceDir(namespace)}/projects/${checked(project, 'project name')}`;
  },
  projectFile(namespace: string, project: string): string {
    return `${this.projectDir(namespace, project)}/project.yaml`;
  },
  componentDir(namespace: string, project: string, component: string): string {
    return `${this.projectDir(namespace, project)}/components/${checked(component, 'component name')}`;
  },
  componentFile(namespace: string, project: string, component: string): string {
    return `${this.componentDir(namespace, project, component)}/component.yaml`;
  },
  workloadFile(namespace: string, project: string, component: string): string {
    return `${this.componentDir(namespace, project, component)}/workload.yaml`;
  },
  releaseBindingFile(namespace: string, project: string, component: string, environment: string): string {
    return `${this.componentDir(namespace, project, component)}/release-bindings/${component}-${checked(
      environment,
      'environment name',
    )}.yaml`;
  },
  componentReleaseFile(namespace: string, project: string, component: string, release: string): string {
    return `${this.componentDir(namespace, project, component)}/releases/${checked(
      release,
      'release name',
      'dns-subdomain',
    )}.yaml`;
  },
  resourceDir(namespace: string, project: string, resource: string): string {
    return `${this.projectDir(namespace, project)}/resources/${checked(resource, 'resource name')}`;
  },
  resourceFile(namespace: string, project: string, resource: string): string {
    return `${this.resourceDir(namespace, project, resource)}/resource.yaml`;
  },
  resourceReleaseBindingFile(namespace: string, project: string, resource: string, environment: string): string {
    return `${this.resourceDir(namespace, project, resource)}/release-bindings/${resource}-${checked(
      environment,
      'environment name',
    )}.yaml`;
  },
  platformFile(kind: ResourceKind, name: string, namespace?: string): string {
    const folder = PLATFORM_FOLDERS[kind];
    if (!folder) {
      throw new InputError(`${kind} is not a platform resource`);
    }
    const file = `${folder}/${checked(name, `${kind} name`, 'dns-subdomain')}.yaml`;
    if (isClusterScoped(kind)) {
      return `platform-shared/${file}`;
    }
    if (!namespace) {
      throw new InputError(`${kind} is namespaced; a namespace is required`);
    }
    return `${this.namespaceDir(namespace)}/platform/${file}`;
  },

  /** The canonical path of any resource; owner names come from its spec. */
  pathFor(resource: OpenChoreoResource): string {
    const name = resource.metadata.name;
    const namespace = resource.metadata.namespace ?? '';
    switch (resource.kind) {
      case 'Namespace':
        return this.namespaceFile(name);
      case 'Project':
        return this.projectFile(namespace, name);
      case 'Component':
        return this.componentFile(namespace, resource.spec.owner.projectName, name);
      case 'Workload':
        return this.workloadFile(namespace, resource.spec.owner.projectName, resource.spec.owner.componentName);
      case 'ReleaseBinding':
        return this.releaseBindingFile(
          namespace,
          resource.spec.owner.projectName,
          resource.spec.owner.componentName,
          resource.spec.environment,
        );
      case 'ComponentRelease':
        return this.componentReleaseFile(
          namespace,
          resource.spec.owner.projectName,
          resource.spec.owner.componentName,
          name,
        );
      case 'Resource':
        return this.resourceFile(namespace, resource.spec.owner.projectName, name);
      case 'ResourceReleaseBinding':
        return this.resourceReleaseBindingFile(
          namespace,
          resource.spec.owner.projectName,
          resource.spec.owner.resourceName,
          resource.spec.environment,
        );
      default:
        return this.platformFile(resource.kind, name, namespace || undefined);
    }
  },

  /**
   * Where a new resource goes, given where its owner and siblings live (see the rules at the
   * top of this file). Without neighbours, or for kinds that have no owner, its layout path.
   */
  placeNew(resource: OpenChoreoResource, neighbours: NewResourceNeighbours = {}): string {
    const { owner, siblings = [] } = neighbours;
    const folderOf = (file: string) => file.slice(0, file.lastIndexOf('/') + 1);
    // Beside its siblings' files when it has any, else in `folder` beside its owner's file.
    const beside = (folder: string, file: string) => {
      if (siblings.length > 0) return `${folderOf(siblings[0].file)}${file}`;
      return owner ? `${folderOf(owner.file)}${folder}/${file}` : undefined;
    };
    switch (resource.kind) {
      case 'Workload':
        if (!owner) break;
        return owner.documents > 1 ? owner.file : `${folderOf(owner.file)}workload.yaml`;
      case 'ReleaseBinding':
      case 'ResourceReleaseBinding': {
        const files = new Set(siblings.map(sibling => sibling.file));
        if (files.size === 1 && siblings[0].documents > 1) return siblings[0].file;
        const ownerName = resource.kind === 'ReleaseBinding' ? resource.spec.owner.componentName : resource.spec.owner.resourceName;
        const file = `${checked(ownerName, `${resource.kind} owner name`)}-${checked(resource.spec.environment, 'environment name')}.yaml`;
        return beside('release-bindings', file) ?? this.pathFor(resource);
      }
      case 'ComponentRelease':
        return beside('releases', `${checked(resource.metadata.name, 'release name', 'dns-subdomain')}.yaml`) ?? this.pathFor(resource);
      default:
    }
    return this.pathFor(resource);
  },

  /**
   * Whether `path` is where the layout keeps `resource`: when two files define the same
   * resource, the one at this path wins. `namespace` is the namespace the resource belongs to
   * when it has none in its metadata (the loader takes it from the folder).
   */
  isLayoutPathOf(path: string, resource: OpenChoreoResource, namespace?: string): boolean {
    const placed =
      namespace && !resource.metadata.namespace
        ? ({ ...resource, metadata: { ...resource.metadata, namespace } } as OpenChoreoResource)
        : resource;
    try {
      return this.pathFor(placed) === path;
    } catch {
      return false; // a name the layout cannot place (the loader reports it elsewhere)
    }
  },

  /** Whether the model loader reads this repository path. */
  isModelFile(path: string): boolean {
    if (!/\.ya?ml$/.test(path)) return false;
    const segments = path.split('/');
    return segments[0] !== RENDERED_FOLDER && !segments.some(s => s.startsWith('.'));
  },

  /** The namespace a path under `namespaces/<ns>/` belongs to. */
  namespaceOfPath(path: string): string | undefined {
    const match = /^namespaces\/([^/]+)\//.exec(path);
    return match?.[1];
  },
};

/**
 * Checks a repository-relative path Cellplane is about to write: no absolute paths, no `..`,
 * nothing inside `.git`, only characters that are safe in Git and on every file system.
 *
 * @public
 */
export function assertSafeRepositoryPath(path: string): string {
  if (
    path.length === 0 ||
    path.length > 1024 ||
    path.startsWith('/') ||
    path.endsWith('/') ||
    !/^[A-Za-z0-9._\-/]+$/.test(path) ||
    path.split('/').some(segment => segment === '' || segment === '.' || segment === '..' || segment === '.git')
  ) {
    throw new InputError(
      `refusing to write ${JSON.stringify(path)}: a repository path must be relative, use letters, digits, '.', '_', '-' and '/', and contain no '..' or '.git' segment`,
    );
  }
  return path;
}
