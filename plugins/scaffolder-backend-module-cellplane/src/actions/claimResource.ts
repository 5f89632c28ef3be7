import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  cellplaneComponentUpdatePermission,
  cellplaneResourceClaimPermission,
  OPENCHOREO_API_VERSION,
  Resource,
  ResourceReleaseBinding,
} from '@cellplane/backstage-plugin-common';
import { requireFreeEnvBindings } from '../write/envInput';
import { describedBy, requireNamespace, requireProject, withNamespace } from '../write/lookups';
import { environmentsInOrder, pipelineOfProject } from '../write/modelChanges';
import { ResourceFiles } from '../write/resourceFiles';
import { sameJson } from '../write/sameJson';
import { requireMatchesSchema, requireName, requireValidResource, withCheckedInput } from '../write/validate';
import { allowLikelySecretsInputSchema, CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './claimResource.examples';
import { updateComponent } from './updateComponent';

/** @public */
export interface ClaimResourceInput {
  namespace: string;
  project: string;
  name: string;
  resourceType: string;
  resourceTypeKind?: 'ResourceType' | 'ClusterResourceType';
  parameters?: Record<string, unknown>;
  displayName?: string;
  description?: string;
  /** A component of the project that uses the resource, and the variables its outputs reach it in. */
  consumer?: { component?: string; envBindings?: Record<string, string> };
}

/** Writes a claim: the Resource, its bindings, and the consumer's dependency on it. */
export async function claimChanges(files: ResourceFiles, given: ClaimResourceInput): Promise<void> {
  const { model } = files;
  // A form leaves the optional consumer empty rather than absent.
  const input = { ...given, consumer: given.consumer?.component ? given.consumer : undefined };
  const namespace = requireNamespace(model, input.namespace);
  requireProject(model, namespace, input.project);
  const name = requireName('name', input.name);
  requireName('resourceType', input.resourceType);
  const type =
    (input.resourceTypeKind !== 'ClusterResourceType' ? model.get('ResourceType', input.resourceType, namespace) : undefined) ??
    (input.resourceTypeKind !== 'ResourceType' ? model.get('ClusterResourceType', input.resourceType) : undefined);
  if (!type) {
    const known = [...model.list('ResourceType', namespace), ...model.list('ClusterResourceType')].map(e => e.resource.metadata.name);
    throw new InputError(`resourceType: no ResourceType ${JSON.stringify(input.resourceType)} (known: ${known.sort().join(', ') || 'none'})`);
  }
  requireMatchesSchema('parameters', type.resource.spec.parameters?.openAPIV3Schema, input.parameters ?? {}, `${type.resource.kind} ${input.resourceType}`);
  const annotations = describedBy(input);
  const resource: Resource = requireValidResource('input', {
    apiVersion: OPENCHOREO_API_VERSION,
    kind: 'Resource',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: {
      owner: { projectName: input.project },
      type: { kind: type.resource.kind, name: input.resourceType },
      ...(input.parameters && Object.keys(input.parameters).length ? { parameters: input.parameters } : {}),
    },
  });
  const existing = model.get('Resource', name, namespace);
  if (existing && !sameJson(existing.resource.spec, resource.spec)) {
    throw new InputError(`name: Resource ${name} already exists in namespace ${namespace} (project ${existing.resource.spec.owner.projectName})`);
  }
  // A binding in every environment of the pipeline, so the resource exists wherever the project runs.
  const environments = environmentsInOrder(pipelineOfProject(model, namespace, input.project));
  const bindings = environments.map((environment): ResourceReleaseBinding => {
    const existingBinding = model.resourceReleaseBindings(namespace, name).find(b => b.resource.spec.environment === environment);
    return existingBinding
      ? withNamespace(existingBinding)
      : requireValidResource('input', {
          apiVersion: OPENCHOREO_API_VERSION,
          kind: 'ResourceReleaseBinding',
          metadata: { name: `${name}-${environment}`, namespace },
          spec: { owner: { projectName: input.project, resourceName: name }, environment },
        });
  });
  if (!existing) {
    await files.write(resource);
    for (const binding of bindings) await files.write(binding);
  }
  if (input.consumer) {
    requireName('consumer.component', input.consumer.component);
    // A binding of an output the type does not have would reach the container as nothing.
    const outputs = (type.resource.spec.outputs ?? []).map(o => o.name);
    for (const key of Object.keys(input.consumer.envBindings ?? {})) {
      if (!outputs.includes(key)) {
        throw new InputError(
          `consumer.envBindings.${key}: ${type.resource.kind} ${input.resourceType} has no output ${JSON.stringify(key)} (it has: ${outputs.join(', ') || 'none'})`,
        );
      }
    }
    // The component's release is built from the model with the claim's own files (see componentChanges).
    await updateComponent(files, namespace, input.consumer.component!, ({ component, workload }) => {
      if (component.spec.owner.projectName !== input.project) {
        throw new InputError(`consumer.component: ${component.metadata.name} belongs to project ${component.spec.owner.projectName}; a resource serves its own project only`);
      }
      const resources = workload.spec.dependencies?.resources ?? [];
      if (!resources.some(r => r.ref === name)) {
        requireFreeEnvBindings('consumer.envBindings', input.consumer!.envBindings ?? {}, workload);
        workload.spec.dependencies = {
          ...workload.spec.dependencies,
          resources: [...resources, { ref: name, ...(input.consumer!.envBindings ? { envBindings: input.consumer!.envBindings } : {}) }],
        };
      }
      return { component, workload };
    });
  }
}

/**
 * `cellplane:resource:claim`: a managed Resource (e.g. a PostgreSQL database) for a project,
 * bound in every environment of its pipeline, and optionally wired into a component.
 *
 * @public
 */
export function createResourceClaimAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:resource:claim',
    description: 'Claims a managed Resource of a ResourceType for a project (and optionally wires it into a component), as one commit or pull request.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string(),
        project: z => z.string(),
        name: z => z.string().describe('Resource name (RFC 1123 label)'),
        resourceType: z => z.string().describe('ResourceType or ClusterResourceType name, e.g. postgres'),
        resourceTypeKind: z => z.enum(['ResourceType', 'ClusterResourceType']).optional(),
        parameters: z => z.record(z.unknown()).optional(),
        displayName: z => z.string().optional(),
        description: z => z.string().optional(),
        consumer: z =>
          z
            .object({ component: z.string().optional(), envBindings: z.record(z.string()).optional() })
            .optional()
            .describe('A component that uses the resource: output name → environment variable'),
        publish: publishInputSchema,
        allowLikelySecrets: allowLikelySecretsInputSchema,
      },
      output: writeOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input as ClaimResourceInput & { publish?: any };
      await writeChange(ctx, options, {
        permissions: [cellplaneResourceClaimPermission, ...(input.consumer?.component ? [cellplaneComponentUpdatePermission] : [])],
        summary: `Claim ${input.resourceType} ${input.namespace}/${input.name} for project ${input.project}`,
        publish: input.publish,
        changes: base => ResourceFiles.changesOf(base, files => claimChanges(files, input)),
      });
    },
  });
  return withCheckedInput(action);
}
