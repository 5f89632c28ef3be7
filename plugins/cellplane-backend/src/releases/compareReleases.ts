import { NotFoundError } from '@backstage/errors';
import { ComponentReleaseComparison, ReleaseFileComparison, formatProblem } from '@cellplane/backstage-plugin-common';
import { ModelEntry, RepositoryModel, gitOpsLayout, resourceToYaml } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '@cellplane/renderer';
import { pipelineOrder } from '../status/StatusService';

/** What a comparison asks for; names are checked RFC 1123 labels by the route. */
export interface ReleaseComparisonRequest {
  namespace: string;
  component: string;
  from: string;
  to: string;
  environment?: string;
}

/** The rendered files of one release in one environment, and what went wrong rendering them. */
export interface RenderedRelease {
  files: Map<string, string>;
  problems: string[];
}

/** Renders a release in an environment; the route passes a cached one. */
export type RenderRelease = (model: RepositoryModel, request: ReleaseRenderRequest) => Promise<RenderedRelease>;

export interface ReleaseRenderRequest {
  namespace: string;
  component: string;
  release: string;
  environment: string;
}

const BINDING_KINDS = new Set(['ReleaseBinding', 'ResourceReleaseBinding', 'ProjectReleaseBinding']);
const PROBLEMS_SHOWN = 20;

/**
 * Compares two ComponentReleases of a component: their snapshots as YAML, and the manifests each
 * renders to in one environment. Each release is rendered as a promotion or rollback to it would
 * render it now: the environment's ReleaseBinding (with its overrides) pinned to the release, the
 * platform (types, traits, environment, data plane) as it is at the model's revision. Reading
 * `rendered/` from the commits where each release was once deployed would mix in every platform
 * change made since, and has nothing for a release never deployed to that environment.
 *
 * Throws NotFoundError naming the component, the releases or the environment it does not know.
 */
export async function compareReleases(
  model: RepositoryModel,
  request: ReleaseComparisonRequest,
  render: RenderRelease = renderReleaseInEnvironment,
): Promise<ComponentReleaseComparison> {
  const { namespace, component, from, to } = request;
  if (!model.get('Component', component, namespace)) {
    throw new NotFoundError(`Component ${JSON.stringify(component)} not found in namespace ${namespace}`);
  }
  const releases = new Map(model.componentReleases(namespace, component).map(entry => [entry.resource.metadata.name, entry]));
  const unknown = [...new Set([from, to])].filter(name => !releases.has(name));
  if (unknown.length) {
    throw new NotFoundError(
      `${unknown.length > 1 ? 'releases' : 'release'} ${unknown.map(name => JSON.stringify(name)).join(' and ')} of component ${component} not found in namespace ${namespace}`,
    );
  }
  const environment = chooseEnvironment(model, request);
  const spec: ReleaseFileComparison = {
    path: releases.get(to)!.file,
    from: resourceToYaml(releases.get(from)!.resource),
    to: resourceToYaml(releases.get(to)!.resource),
  };
  const base = { namespace, component, revision: model.revision ?? null, from, to, spec, environment };
  if (!environment) return { ...base, rendered: [], renderProblems: [] };

  let sides: RenderedRelease[];
  try {
    sides = await Promise.all([from, to].map(release => render(model, { namespace, component, release, environment })));
  } catch (error) {
    // The snapshots still say what differs; half a manifest diff would say everything does.
    return { ...base, rendered: [], renderProblems: [`the manifests could not be rendered in ${environment}: ${(error as Error).message}`] };
  }
  const [before, after] = sides;
  return { ...base, rendered: changedFiles(before.files, after.files), renderProblems: [...new Set([...before.problems, ...after.problems])] };
}

/** The environment asked for (it must exist), or the first of the pipeline the component is bound in. */
function chooseEnvironment(model: RepositoryModel, request: ReleaseComparisonRequest): string | null {
  const { namespace, component, environment } = request;
  if (environment) {
    if (!model.get('Environment', environment, namespace)) {
      throw new NotFoundError(`Environment ${JSON.stringify(environment)} not found in namespace ${namespace}`);
    }
    return environment;
  }
  const bound = model.releaseBindings(namespace, component).map(entry => entry.resource.spec.environment);
  const order = pipelineOrder(model, namespace);
  return order.find(name => bound.includes(name)) ?? [...bound].sort()[0] ?? null;
}

/** The files whose content differs, in path order; the index of rendered/ is bookkeeping, not a manifest. */
function changedFiles(before: Map<string, string>, after: Map<string, string>): ReleaseFileComparison[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].filter(path => !path.endsWith('/index.txt')).sort();
  return paths
    .filter(path => before.get(path) !== after.get(path))
    .map(path => ({ path, from: before.get(path) ?? null, to: after.get(path) ?? null }));
}

/**
 * Renders the model with the component's binding in `environment` pinned to `release` (a binding
 * made for it when there is none), and only that environment's bindings: the others cannot change
 * its manifests, and leaving them out keeps the cost to one environment of the repository.
 */
export async function renderReleaseInEnvironment(model: RepositoryModel, request: ReleaseRenderRequest): Promise<RenderedRelease> {
  const { namespace, component, release, environment } = request;
  const inEnvironment = (entry: ModelEntry) =>
    !BINDING_KINDS.has(entry.resource.kind) || (entry.resource.spec as { environment?: string }).environment === environment;
  const entries = model.entries().filter(inEnvironment);
  const existing = model.releaseBindings(namespace, component).find(entry => entry.resource.spec.environment === environment);
  const pinned = pinnedBinding(model, request, existing);
  const renderedModel = new RepositoryModel(
    model.revision,
    existing ? entries.map(entry => (entry === existing ? pinned : entry)) : [...entries, pinned],
    [],
  );
  const rendered = await renderRepository(renderedModel);
  const problems = rendered.problems
    .filter(problem => problem.severity === 'error' && JSON.stringify(problem).includes(component))
    .slice(0, PROBLEMS_SHOWN)
    .map(problem => `${release}: ${formatProblem(problem)}`);
  return { files: rendered.files, problems };
}

function pinnedBinding(
  model: RepositoryModel,
  request: ReleaseRenderRequest,
  existing: ReturnType<RepositoryModel['releaseBindings']>[number] | undefined,
): ModelEntry {
  const { namespace, component, release, environment } = request;
  if (existing) {
    const { state: _undeployed, ...spec } = existing.resource.spec as typeof existing.resource.spec & { state?: string };
    return { ...existing, implied: undefined, resource: { ...existing.resource, spec: { ...spec, releaseName: release } } };
  }
  const project = model.get('Component', component, namespace)!.resource.spec.owner.projectName;
  const resource = {
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'ReleaseBinding',
    metadata: { name: `${component}-${environment}`, namespace },
    spec: { owner: { projectName: project, componentName: component }, environment, releaseName: release },
  } as ModelEntry['resource'];
  return { resource, file: gitOpsLayout.releaseBindingFile(namespace, project, component, environment), documentIndex: 0, namespace };
}
