import { NotFoundError } from '@backstage/errors';
import { RepositoryModel, gitOpsLayout } from '@cellplane/backstage-plugin-node';

/** The component or project an activity log is about, by its OpenChoreo coordinates. */
export interface ActivityEntity {
  kind: 'component' | 'project';
  namespace: string;
  name: string;
}

/** Where an entity's files are, and how to tell what a changed path is about. */
export interface EntityPaths {
  /** Files and folders for `historyOfPaths`: a folder where the layout keeps its files, else each file. */
  paths: string[];
  /** The environment a changed path is about, if any. */
  environmentOf(path: string): string | undefined;
  /** The component a changed path is about, if any. */
  componentOf(path: string): string | undefined;
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The paths of a component (its Component, Workload, ReleaseBindings and ComponentReleases, and
 * its rendered manifests in each environment) or of a project (its Project, components, resources
 * and its rendered folders), as the model and `rendered/index.txt` at the head have them. A file
 * outside the layout's folder of its owner (an OpenChoreo repository's own layout) is listed by
 * itself. Throws NotFoundError when the model has no such component or project.
 */
export function entityPaths(model: RepositoryModel, entity: ActivityEntity, renderedIndex: string): EntityPaths {
  const { namespace, name } = entity;
  const owner = entity.kind === 'component' ? model.get('Component', name, namespace) : model.get('Project', name, namespace);
  if (!owner) {
    throw new NotFoundError(`${entity.kind === 'component' ? 'Component' : 'Project'} ${JSON.stringify(name)} not found in namespace ${namespace}`);
  }
  const project = entity.kind === 'component' ? model.get('Component', name, namespace)!.resource.spec.owner.projectName : name;
  const components = entity.kind === 'component' ? [name] : model.components(namespace, project).map(entry => entry.resource.metadata.name);
  const folder = entity.kind === 'component' ? gitOpsLayout.componentDir(namespace, project, name) : gitOpsLayout.projectDir(namespace, project);

  // Files by what they are about, from the model: a binding file says its environment.
  const fileComponent = new Map<string, string>();
  const fileEnvironment = new Map<string, string>();
  const files = new Set<string>([owner.file]);
  for (const component of components) {
    const entries = [
      model.get('Component', component, namespace),
      model.workload(namespace, component),
      ...model.releaseBindings(namespace, component),
      ...model.componentReleases(namespace, component),
    ];
    for (const entry of entries) {
      if (!entry || entry.implied) continue;
      files.add(entry.file);
      fileComponent.set(entry.file, component);
      if (entry.resource.kind === 'ReleaseBinding') fileEnvironment.set(entry.file, entry.resource.spec.environment);
    }
  }
  if (entity.kind === 'project') {
    for (const resource of model.resources(namespace, project)) {
      files.add(resource.file);
      for (const binding of model.resourceReleaseBindings(namespace, resource.resource.metadata.name)) {
        files.add(binding.file);
        fileEnvironment.set(binding.file, binding.resource.spec.environment);
      }
    }
  }

  // rendered/<data plane>/<namespace>/<environment>/<project>/..., and the observability plane's files.
  const ns = escape(namespace);
  const proj = escape(project);
  const renderedOwn =
    entity.kind === 'component'
      ? new RegExp(`^(rendered/[^/_][^/]*/${ns}/[^/]+/${proj}/components/${escape(name)}\\.yaml|rendered/_observability-plane/${ns}/[^/]+/${proj}/${escape(name)}\\.yaml)$`)
      : new RegExp(`^(rendered/[^/_][^/]*/${ns}/[^/]+/${proj}|rendered/_observability-plane/${ns}/[^/]+/${proj})/`);
  const rendered = new Set<string>();
  for (const line of renderedIndex.split('\n')) {
    const match = renderedOwn.exec(line.slice(line.indexOf(' ') + 1));
    if (match) rendered.add(match[1]);
  }

  const inFolder = (path: string) => path.startsWith(`${folder}/`);
  const paths = [...(([...files].some(inFolder) ? [folder] : []) as string[]), ...[...files].filter(file => !inFolder(file)), ...rendered];
  const renderedEnvironment = /^rendered\/(?:_observability-plane\/[^/]+|[^/]+\/[^/]+)\/([^/]+)\//;
  const renderedComponent = new RegExp(`^rendered/(?:[^/_][^/]*/${ns}/[^/]+/${proj}/components/([^/]+)\\.yaml|_observability-plane/${ns}/[^/]+/${proj}/([^/]+)\\.yaml)$`);
  const layoutComponent = new RegExp(`^${escape(gitOpsLayout.projectDir(namespace, project))}/components/([^/]+)/`);
  return {
    paths,
    environmentOf: path => fileEnvironment.get(path) ?? renderedEnvironment.exec(path)?.[1],
    componentOf: path => {
      const fromRendered = renderedComponent.exec(path);
      return fileComponent.get(path) ?? fromRendered?.[1] ?? fromRendered?.[2] ?? layoutComponent.exec(path)?.[1];
    },
  };
}
