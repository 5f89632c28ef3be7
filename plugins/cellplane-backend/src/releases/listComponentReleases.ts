import { ComponentReleaseList, ComponentReleaseSummary } from '@cellplane/backstage-plugin-common';
import { RepositoryModel, buildComponentRelease } from '@cellplane/backstage-plugin-node';
import { NotFoundError } from '@backstage/errors';
import { pipelineOrder } from '../status/StatusService';
import { ReleaseOrigin } from './readReleaseHistory';
import { ReleaseDeployments } from './readReleaseDeployments';

/**
 * The ComponentReleases of a component, newest first, each with its images and the environments
 * that pin it. `origins` (by file, from Git) dates them; releases Git cannot date come last, by name.
 * `deployments`, when given, says where and when each ran.
 *
 * Throws NotFoundError when the component is not in the model.
 */
export function listComponentReleases(
  model: RepositoryModel,
  namespace: string,
  component: string,
  origins: Map<string, ReleaseOrigin>,
  deployments?: ReleaseDeployments,
): ComponentReleaseList {
  if (!model.get('Component', component, namespace)) {
    throw new NotFoundError(`Component ${JSON.stringify(component)} not found in namespace ${namespace}`);
  }
  const order = pipelineOrder(model, namespace);
  const rank = (environment: string) => {
    const index = order.indexOf(environment);
    return index < 0 ? Infinity : index;
  };
  const bindings = model
    .releaseBindings(namespace, component)
    .map(entry => entry.resource.spec)
    .filter(spec => spec.state !== 'Undeploy')
    .sort((a, b) => rank(a.environment) - rank(b.environment) || a.environment.localeCompare(b.environment));

  // What unpinned environments run; a component that cannot be snapshotted now matches no release.
  let currentName: string | undefined;
  try {
    currentName = buildComponentRelease(model, namespace, component).name;
  } catch {
    currentName = undefined;
  }

  const items = model.componentReleases(namespace, component).map(entry => {
    const { name } = entry.resource.metadata;
    const { workload } = entry.resource.spec;
    const origin = origins.get(entry.file);
    const summary: ComponentReleaseSummary = {
      name,
      ...(origin ? { commit: origin.commit, createdAt: origin.createdAt } : {}),
      images: [workload.container.image],
      ...(workload.source ? { source: pickSource(workload.source) } : {}),
      environments: bindings.filter(spec => spec.releaseName === name).map(spec => spec.environment),
      current: name === currentName,
      ...(deployments ? { deployments: deployments.byRelease.get(name) ?? [] } : {}),
    };
    return { summary, order: origin?.order ?? Infinity };
  });
  items.sort((a, b) => a.order - b.order || a.summary.name.localeCompare(b.summary.name));

  return {
    namespace,
    component,
    revision: model.revision ?? null,
    unpinnedEnvironments: bindings.filter(spec => !spec.releaseName).map(spec => spec.environment),
    items: items.map(item => item.summary),
    ...(deployments ? { historyComplete: deployments.complete } : {}),
  };
}

function pickSource(source: { repository?: string; branch?: string; commit?: string }) {
  const { repository, branch, commit } = source;
  return {
    ...(repository ? { repository } : {}),
    ...(branch ? { branch } : {}),
    ...(commit ? { commit } : {}),
  };
}
