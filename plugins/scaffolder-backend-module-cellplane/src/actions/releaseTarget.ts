import { InputError } from '@backstage/errors';
import {
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  cellplaneComponentPromotePermission,
  cellplaneComponentPromoteProductionPermission,
  ReleaseBinding,
} from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireComponent, requireEnvironment, requireNamespace } from '../write/lookups';
import { bindingWith, environmentsInOrder, pipelineOfProject } from '../write/modelChanges';
import { requireName } from '../write/validate';

/** The binding that will point `component` in `environment` at `release`, checked. */
export function pointBindingAt(
  model: RepositoryModel,
  input: { namespace: string; component: string },
  environmentField: string,
  environmentName: string,
  releaseField: string,
  release: string | undefined,
): { binding: ReleaseBinding; permissions: BasicPermission[] } {
  const namespace = requireNamespace(model, input.namespace);
  const { component } = requireComponent(model, namespace, input.component);
  const environment = requireEnvironment(model, namespace, environmentName, environmentField);
  const pipeline = pipelineOfProject(model, namespace, component.spec.owner.projectName);
  if (!environmentsInOrder(pipeline).includes(environmentName)) {
    throw new InputError(`${environmentField}: ${environmentName} is not in DeploymentPipeline ${pipeline.metadata.name}`);
  }
  requireName(releaseField, release, 'dns-subdomain');
  const releases = model.componentReleases(namespace, component.metadata.name).map(e => e.resource.metadata.name);
  if (!releases.includes(release as string)) {
    throw new InputError(
      `${releaseField}: ComponentRelease ${JSON.stringify(release)} of ${component.metadata.name} does not exist (known: ${releases.sort().join(', ') || 'none'})`,
    );
  }
  return {
    binding: bindingWith(model, namespace, component, environmentName, spec => ({ ...spec, releaseName: release })),
    permissions: [
      cellplaneComponentPromotePermission,
      ...(environment.spec.isProduction ? [cellplaneComponentPromoteProductionPermission] : []),
    ],
  };
}
