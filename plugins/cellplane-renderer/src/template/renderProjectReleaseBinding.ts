import type { ModelProblem, ResourceOfKind } from '@cellplane/backstage-plugin-common';
import type { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { toCel } from './cel';
import { stableUid } from './context';
import type { TemplateContext } from './engine';
import {
  applySchema,
  bindingTarget,
  evaluateRules,
  finish,
  guarded,
  hashOf,
  Origin,
  pinnedRelease,
  planeContext,
  releaseHashOf,
  Rendered,
  renderTemplatedObjects,
  resolvePlane,
  stop,
  TemplatedObject,
  toProblems,
} from './renderReleaseBinding';
import { BindingRenderResult, RELEASE_HASH_KEY } from './types';

/**
 * A project in an environment (OpenChoreo's ProjectReleaseBinding): the resources of the
 * project's (Cluster)ProjectType, rendered into the project's cell namespace, as OpenChoreo's
 * project pipeline renders them (`internal/pipeline/project`): validations, then each resource
 * with `includeWhen` and `forEach`, against `metadata` (cellNamespace, projectNamespace,
 * projectName, environmentName, dataPlaneName and their UIDs, labels, the binding's annotations),
 * `parameters` (the Project's, schema defaults applied), `environmentConfigs` (the binding's), and
 * `dataplane`, `environment`, `gateway` as ProjectTypeSpec documents them.
 */

type ProjectTypeSpec = ResourceOfKind<'ProjectType'>['spec'];

interface ProjectInputs {
  typeKind: 'ProjectType' | 'ClusterProjectType';
  typeName: string;
  typeSpec: ProjectTypeSpec;
  parameters: unknown;
}

/** The type and parameters: the ProjectRelease the binding pins, else the live Project and its type. */
function resolveProjectInputs(
  model: RepositoryModel,
  binding: ResourceOfKind<'ProjectReleaseBinding'>,
  namespace: string,
): ProjectInputs | string {
  const none: Origin = { label: 'ProjectReleaseBinding' };
  const projectName = binding.spec.owner.projectName;
  if (binding.spec.projectRelease) {
    const spec = pinnedRelease(model, none, 'ProjectRelease', binding.spec.projectRelease, namespace, 'spec.projectRelease', s =>
      s.owner.projectName === projectName ? undefined : `belongs to project '${s.owner.projectName}', not '${projectName}'`,
    );
    return {
      typeKind: spec.projectType.kind,
      typeName: spec.projectType.name,
      typeSpec: spec.projectType.spec as ProjectTypeSpec,
      parameters: spec.parameters,
    };
  }
  const project = model.get('Project', projectName, namespace);
  if (!project) stop(none, 'spec.owner.projectName', `project '${projectName}' does not exist in namespace '${namespace}'`);
  const ref = project.resource.spec.type;
  // OpenChoreo keeps a project without a type in its legacy mode: no release, nothing to apply.
  if (!ref) return `project '${projectName}' has no spec.type, so there is nothing to render for it (OpenChoreo cuts no ProjectRelease without one)`;
  const typeKind = ref.kind ?? 'ProjectType';
  const type = typeKind === 'ClusterProjectType' ? model.get('ClusterProjectType', ref.name) : model.get('ProjectType', ref.name, namespace);
  if (!type) stop(none, 'spec.owner.projectName', `the ${typeKind} '${ref.name}' of project '${projectName}' does not exist`);
  return { typeKind, typeName: ref.name, typeSpec: type.resource.spec, parameters: project.resource.spec.parameters };
}

/**
 * Renders one ProjectReleaseBinding. Never throws: problems are returned, and then no objects.
 * `target.component` is the project's name.
 *
 * @public
 */
export function renderProjectReleaseBinding(
  model: RepositoryModel,
  entry: ModelEntry<ResourceOfKind<'ProjectReleaseBinding'>>,
): BindingRenderResult {
  const binding = entry.resource;
  const namespace = entry.namespace ?? binding.metadata.namespace ?? 'default';
  const project = binding.spec.owner.projectName;
  const environmentName = binding.spec.environment;
  let target: BindingRenderResult['target'];
  try {
    const inputs = resolveProjectInputs(model, binding, namespace);
    const { environment, dataPlane } = resolvePlane(model, environmentName, namespace, 'ProjectReleaseBinding');
    if (typeof inputs === 'string') {
      const problem: ModelProblem = {
        severity: 'warning',
        file: entry.file,
        resource: { kind: 'ProjectReleaseBinding', name: binding.metadata.name, namespace },
        field: 'spec.owner.projectName',
        message: inputs,
      };
      return { target: undefined, objects: [], problems: [problem] };
    }
    const origin: Origin = { label: `${inputs.typeKind} ${inputs.typeName}` };
    const releaseHash = releaseHashOf({
      projectType: { kind: inputs.typeKind, name: inputs.typeName, spec: hashOf(inputs.typeSpec) },
      parameters: inputs.parameters,
      environmentConfigs: binding.spec.environmentConfigs,
    });
    target = bindingTarget({ namespace, project, component: project, environment: environmentName }, dataPlane, releaseHash);
    const labels = {
      'openchoreo.dev/namespace': namespace,
      'openchoreo.dev/project': project,
      'openchoreo.dev/environment': environmentName,
    };
    const context: TemplateContext = {
      metadata: toCel({
        cellNamespace: target.kubernetesNamespace,
        projectNamespace: namespace,
        projectName: project,
        projectUID: stableUid('Project', namespace, project),
        environmentName,
        environmentUID: stableUid('Environment', namespace, environmentName),
        dataPlaneName: dataPlane.name,
        dataPlaneUID: stableUid(dataPlane.kind, dataPlane.kind === 'DataPlane' ? namespace : '', dataPlane.name),
        labels,
        annotations: binding.metadata.annotations ?? {},
      }),
      parameters: applySchema(inputs.typeSpec.parameters, inputs.parameters, 'parameters', 'spec.parameters', origin),
      environmentConfigs: applySchema(
        inputs.typeSpec.environmentConfigs,
        binding.spec.environmentConfigs,
        'environmentConfigs',
        'spec.environmentConfigs',
        origin,
      ),
      ...planeContext(model, namespace, environmentName, { environment, dataPlane }),
    };
    evaluateRules(inputs.typeSpec.validations, context, 'spec.validations', origin);
    const rendered: Rendered[] = [];
    guarded(origin, () =>
      inputs.typeSpec.resources.forEach((resource, index) =>
        renderTemplatedObjects(resource as TemplatedObject, context, `spec.resources[${index}]`, rendered),
      ),
    );
    const stamp = { 'openchoreo.dev/project': project, 'openchoreo.dev/environment': environmentName, [RELEASE_HASH_KEY]: releaseHash };
    return { target, objects: finish(rendered, labels, stamp, releaseHash, undefined, origin), problems: [] };
  } catch (error) {
    return { target, objects: [], problems: toProblems(error, entry, namespace) };
  }
}
