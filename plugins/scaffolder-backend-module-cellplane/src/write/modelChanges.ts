import { NotFoundError } from '@backstage/errors';
import { Component, DeploymentPipeline, ReleaseBinding, Workload } from '@cellplane/backstage-plugin-common';
import { applyChanges, buildComponentRelease, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { withNamespace } from './lookups';
import { ResourceFiles } from './resourceFiles';

const envName = (ref: string | { name: string }) => (typeof ref === 'string' ? ref : ref.name);

/** The DeploymentPipeline a component's project deploys through. */
export function pipelineOfProject(model: RepositoryModel, namespace: string, project: string): DeploymentPipeline {
  const projectEntry = model.get('Project', project, namespace);
  if (!projectEntry) {
    throw new NotFoundError(`Project ${JSON.stringify(project)} not found in namespace ${namespace}`);
  }
  const ref = projectEntry.resource.spec.deploymentPipelineRef;
  const name = typeof ref === 'string' ? ref : ref.name;
  const pipeline = model.get('DeploymentPipeline', name, namespace);
  if (!pipeline) {
    throw new NotFoundError(`DeploymentPipeline ${JSON.stringify(name)} of Project ${project} not found`);
  }
  return pipeline.resource;
}

/** Environments in promotion order: the pipeline's first environment (never a target) first. */
export function environmentsInOrder(pipeline: DeploymentPipeline): string[] {
  const paths = pipeline.spec.promotionPaths ?? [];
  const targets = new Set(paths.flatMap(p => p.targetEnvironmentRefs.map(t => t.name)));
  const order: string[] = [];
  const queue = paths.map(p => envName(p.sourceEnvironmentRef)).filter(name => !targets.has(name));
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (order.includes(next)) continue;
    order.push(next);
    for (const path of paths) {
      if (envName(path.sourceEnvironmentRef) === next) queue.push(...path.targetEnvironmentRefs.map(t => t.name));
    }
  }
  return order;
}

/** The targets the pipeline allows promoting to from `source`. */
export function promotionTargets(pipeline: DeploymentPipeline, source: string): string[] {
  return (pipeline.spec.promotionPaths ?? [])
    .filter(path => envName(path.sourceEnvironmentRef) === source)
    .flatMap(path => path.targetEnvironmentRefs.map(t => t.name));
}

/** The binding of a component in an environment, changed by `update`, or a new one. */
export function bindingWith(
  model: RepositoryModel,
  namespace: string,
  component: Component,
  environment: string,
  update: (spec: ReleaseBinding['spec']) => ReleaseBinding['spec'],
): ReleaseBinding {
  const entry = model
    .releaseBindings(namespace, component.metadata.name)
    .find(binding => binding.resource.spec.environment === environment);
  const existing = entry ? withNamespace(entry) : undefined;
  const base: ReleaseBinding = existing ?? {
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'ReleaseBinding',
    metadata: { name: `${component.metadata.name}-${environment}`, namespace },
    spec: {
      owner: { projectName: component.spec.owner.projectName, componentName: component.metadata.name },
      environment,
    },
  };
  return { ...base, spec: update({ ...base.spec }) };
}

/**
 * Writes a change to a component's Component or Workload: both documents, the
 * ComponentRelease snapshot of the new state (immutable, named from its content), and, when
 * the component has autoDeploy, the first environment's binding pointed at that release, as
 * OpenChoreo's controller would.
 */
export async function componentChanges(
  files: ResourceFiles,
  component: Component,
  workload: Workload,
  /** Per-environment settings for the first environment's binding (a new component's, say). */
  firstEnvironmentConfigs?: Record<string, unknown>,
): Promise<void> {
  const { model } = files;
  const namespace = component.metadata.namespace!;
  await files.write(component);
  await files.write(workload);
  // The release snapshots the component as the loader will read it once these files land.
  const release = buildComponentRelease(await applyChanges(model, files.changes()), namespace, component.metadata.name);
  await files.write(release.resource);
  if (component.spec.autoDeploy) {
    const pipeline = pipelineOfProject(model, namespace, component.spec.owner.projectName);
    const first = environmentsInOrder(pipeline)[0];
    if (first) {
      const binding = bindingWith(model, namespace, component, first, spec => ({
        ...spec,
        releaseName: release.name,
        ...(firstEnvironmentConfigs ? { componentTypeEnvironmentConfigs: firstEnvironmentConfigs } : {}),
      }));
      await files.write(binding);
    }
  }
}
