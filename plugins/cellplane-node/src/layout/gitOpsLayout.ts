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
