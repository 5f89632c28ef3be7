import { InputError } from '@backstage/errors';
import {
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  cellplaneComponentPromotePermission,
  cellplaneComponentPromoteProductionPermission,
  ComponentRelease,
  ReleaseBinding,
} from '@cellplane/backstage-plugin-common';
import { buildComponentRelease, canonicalJson, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireComponent, requireEnvironment, requireNamespace } from '../write/lookups';
import { bindingWith, environmentsInOrder, pipelineOfProject } from '../write/modelChanges';
import { requireName } from '../write/validate';

/**
 * The release a component runs in an environment: the one its binding pins, or, when the
 * binding follows the component itself (no `releaseName`, as OpenChoreo deploys an autoDeploy
 * component's first environment), a snapshot of the component as it is now. An existing
 * ComponentRelease with the same content is reused, so promoting the same state twice pins the
 * same release; otherwise `snapshot` is the new ComponentRelease to write.
 * Undefined when the component has no binding in that environment.
 */
export function releaseRunningIn(
  model: RepositoryModel,
  namespace: string,
  component: string,
  environment: string,
): { name: string; snapshot?: ComponentRelease } | undefined {
  const binding = model
    .releaseBindings(namespace, component)
    .find(entry => entry.resource.spec.environment === environment)?.resource;
  if (!binding) return undefined;
  if (binding.spec.releaseName) return { name: binding.spec.releaseName };
  const built = buildComponentRelease(model, namespace, component);
  const content = canonicalJson(built.resource.spec);
  const same = model
    .componentReleases(namespace, component)
    .map(entry => entry.resource)
    // the release named by this content first, then any other release with the same content
    .sort((a, b) => Number(b.metadata.name === built.name) - Number(a.metadata.name === built.name))
    .find(release => canonicalJson(release.spec) === content);
  return same ? { name: same.metadata.name } : { name: built.name, snapshot: built.resource };
}

/**
 * The binding that will point `component` in `environment` at `release`, checked. `release` is
 * the name of an existing ComponentRelease, or a new snapshot (see {@link releaseRunningIn})
 * that the same change writes.
 */
export function pointBindingAt(
  model: RepositoryModel,
  input: { namespace: string; component: string },
  environmentField: string,
  environmentName: string,
  releaseField: string,
  release: string | ComponentRelease | undefined,
): { binding: ReleaseBinding; permissions: BasicPermission[] } {
  const namespace = requireNamespace(model, input.namespace);
  const { component } = requireComponent(model, namespace, input.component);
  const environment = requireEnvironment(model, namespace, environmentName, environmentField);
  const pipeline = pipelineOfProject(model, namespace, component.spec.owner.projectName);
  if (!environmentsInOrder(pipeline).includes(environmentName)) {
    throw new InputError(`${environmentField}: ${environmentName} is not in DeploymentPipeline ${pipeline.metadata.name}`);
  }
  const releaseName = typeof release === 'object' ? release.metadata.name : release;
  if (typeof release !== 'object') {
    requireName(releaseField, release, 'dns-subdomain');
    const releases = model.componentReleases(namespace, component.metadata.name).map(e => e.resource.metadata.name);
    if (!releases.includes(release as string)) {
      throw new InputError(
        `${releaseField}: ComponentRelease ${JSON.stringify(release)} of ${component.metadata.name} does not exist (known: ${releases.sort().join(', ') || 'none'})`,
      );
    }
  }
  return {
    binding: bindingWith(model, namespace, component, environmentName, spec => ({ ...spec, releaseName })),
    permissions: [
      cellplaneComponentPromotePermission,
      ...(environment.spec.isProduction ? [cellplaneComponentPromoteProductionPermission] : []),
    ],
  };
}
