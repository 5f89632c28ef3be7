import {
  PendingProblem,
  ReleaseBinding,
  ResourceOfKind,
  environmentRefName,
  firstEnvironmentOf,
  problemAt,
} from '@cellplane/backstage-plugin-common';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import { ModelEntry, RepositoryModel } from './RepositoryModel';

/**
 * The ReleaseBindings OpenChoreo's component controller would create: a Component with
 * `autoDeploy: true` is deployed to its pipeline's first environment, by a ReleaseBinding named
 * `<component>-<environment>`, unless the component already has a binding there. The binding
 * the repository does not hold is implied: it follows the component (no pinned release, as
 * OpenChoreo keeps it on the latest release) and carries no environment overrides.
 *
 * Where OpenChoreo would not deploy (no project, pipeline, first environment or Workload, or the
 * name already taken), nothing is implied and a warning on `spec.autoDeploy` says why, unless
 * another problem of the model already says it.
 */
export function impliedReleaseBindings(model: RepositoryModel): { entries: ModelEntry[]; problems: PendingProblem[] } {
  const entries: ModelEntry[] = [];
  const problems: PendingProblem[] = [];
  for (const component of model.list('Component')) {
    if (component.resource.spec.autoDeploy !== true) continue;
    const outcome = implyBinding(model, component);
    if ('entry' in outcome) entries.push(outcome.entry);
    else if (outcome.problem) problems.push(problemAt(component, ['spec', 'autoDeploy'], outcome.problem, 'warning'));
  }
  return { entries, problems };
}

type Outcome = { entry: ModelEntry } | { problem?: string };

function implyBinding(model: RepositoryModel, component: ModelEntry<ResourceOfKind<'Component'>>): Outcome {
  const namespace = component.namespace!;
  const { name } = component.resource.metadata;
  const projectName = component.resource.spec.owner.projectName;
  const notDeployed = (why: string) => `is true but OpenChoreo would not deploy ${name}: ${why}`;
  // A missing project, pipeline or environment is an error of its own elsewhere in the model.
  const project = model.get('Project', projectName, namespace);
  if (!project) return {};
  const pipelineName = environmentRefName(project.resource.spec.deploymentPipelineRef);
  const pipeline = model.get('DeploymentPipeline', pipelineName, namespace);
  if (!pipeline) return {};
  const first = firstEnvironmentOf(pipeline.resource);
  if ('problem' in first) return { problem: notDeployed(first.problem) };
  const environment = first.environment;
  if (!model.get('Environment', environment, namespace)) return {};
  if (model.releaseBindings(namespace, name).some(binding => binding.resource.spec.environment === environment)) return {};
  if (!model.workload(namespace, name)) return { problem: notDeployed('it has no Workload') };
  const bindingName = `${name}-${environment}`;
  const taken = model.get('ReleaseBinding', bindingName, namespace);
  if (taken) {
    return { problem: notDeployed(`the ReleaseBinding it would create, ${bindingName}, is already ${taken.file}'s, for another component or environment`) };
  }
  const resource: ReleaseBinding = {
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'ReleaseBinding',
    metadata: { name: bindingName, namespace },
    spec: { owner: { projectName, componentName: name }, environment },
  };
  const implied = {
    by: { kind: 'Component', name, namespace, file: component.file },
    reason: `Component ${name} has autoDeploy: true and no ReleaseBinding for ${environment}, the first environment of DeploymentPipeline ${pipelineName}`,
  };
  return { entry: { resource, file: gitOpsLayout.pathFor(resource), documentIndex: 0, namespace, implied } };
}
