import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  cellplaneComponentPromoteProductionPermission,
  cellplaneComponentUpdatePermission,
} from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireComponent, requireComponentType, requireEnvironment, requireNamespace } from '../write/lookups';
import { bindingWith, environmentsInOrder, pipelineOfProject } from '../write/modelChanges';
import { ResourceFiles } from '../write/resourceFiles';
import { envInputSchema, EnvInput, toEnvVars } from '../write/envInput';
import { requireBoundedReplicas, requireMatchesSchema, requireValidResource, withCheckedInput } from '../write/validate';
import { allowLikelySecretsInputSchema, CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './overrideEnvironment.examples';

/** @public */
export interface OverrideEnvironmentInput {
  namespace: string;
  component: string;
  environment: string;
  componentTypeEnvironmentConfigs?: Record<string, unknown>;
  traitEnvironmentConfigs?: Record<string, Record<string, unknown>>;
  env?: EnvInput[];
}

function overriddenBinding(model: RepositoryModel, input: OverrideEnvironmentInput) {
  const namespace = requireNamespace(model, input.namespace);
  const { component } = requireComponent(model, namespace, input.component);
  const environment = requireEnvironment(model, namespace, input.environment, 'environment');
  const pipeline = pipelineOfProject(model, namespace, component.spec.owner.projectName);
  if (!environmentsInOrder(pipeline).includes(input.environment)) {
    throw new InputError(`environment: ${input.environment} is not in DeploymentPipeline ${pipeline.metadata.name} of project ${component.spec.owner.projectName}`);
  }
  const typeRef = component.spec.componentType;
  const type = requireComponentType(
    model,
    namespace,
    typeof typeRef === 'string' ? typeRef : typeRef.name,
    typeof typeRef === 'string' ? undefined : typeRef.kind,
  );
  if (input.componentTypeEnvironmentConfigs) {
    requireBoundedReplicas('componentTypeEnvironmentConfigs', input.componentTypeEnvironmentConfigs);
    requireMatchesSchema(
      'componentTypeEnvironmentConfigs',
      type.spec.environmentConfigs?.openAPIV3Schema,
      input.componentTypeEnvironmentConfigs,
      `${type.kind} ${type.metadata.name}`,
    );
  }
  for (const [instanceName, config] of Object.entries(input.traitEnvironmentConfigs ?? {})) {
    const field = `traitEnvironmentConfigs.${instanceName}`;
    requireBoundedReplicas(field, config);
    const instance = (component.spec.traits ?? []).find(t => t.instanceName === instanceName);
    if (!instance) {
      throw new InputError(`${field}: component ${component.metadata.name} has no trait instance ${JSON.stringify(instanceName)} (it has: ${(component.spec.traits ?? []).map(t => t.instanceName).join(', ') || 'none'})`);
    }
    const kind = instance.kind ?? 'Trait';
    const trait = kind === 'ClusterTrait' ? model.get('ClusterTrait', instance.name) : model.get('Trait', instance.name, namespace);
    requireMatchesSchema(field, (trait?.resource.spec as any)?.environmentConfigs?.openAPIV3Schema, config, `${kind} ${instance.name}`);
  }
  const env = input.env ? toEnvVars(model, namespace, 'env', input.env) : undefined;
  const binding = bindingWith(model, namespace, component, input.environment, spec => {
    const next = { ...spec };
    if (input.componentTypeEnvironmentConfigs) next.componentTypeEnvironmentConfigs = input.componentTypeEnvironmentConfigs;
    if (input.traitEnvironmentConfigs) {
      next.traitEnvironmentConfigs = { ...spec.traitEnvironmentConfigs, ...input.traitEnvironmentConfigs };
    }
    if (env) {
      // Variables named again replace the earlier override; others are kept.
      const keys = new Set(env.map(e => e.key));
      const kept = (spec.workloadOverrides?.container?.env ?? []).filter(e => !keys.has(e.key));
      next.workloadOverrides = {
        ...spec.workloadOverrides,
        container: { ...spec.workloadOverrides?.container, env: [...kept, ...env] },
      };
    }
    return next;
  });
  return { binding: requireValidResource('input', binding), isProduction: environment.spec.isProduction === true };
}

/**
 * `cellplane:environment:override`: per-environment settings of a component in its
 * ReleaseBinding (ComponentType environmentConfigs, trait environmentConfigs, environment
 * variables), as OpenChoreo layers them over the component's own. Changing a production
 * binding also needs `cellplane.component.promote.production`.
 *
 * @public
 */
export function createEnvironmentOverrideAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:environment:override',
    description: "Sets a component's overrides for one environment in its ReleaseBinding, as one commit or pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string(),
        component: z => z.string(),
        environment: z => z.string(),
        componentTypeEnvironmentConfigs: z => z.record(z.unknown()).optional().describe("Replaces the binding's; checked against the ComponentType's environmentConfigs schema"),
        traitEnvironmentConfigs: z => z.record(z.record(z.unknown())).optional().describe('By trait instanceName'),
        env: envInputSchema,
        publish: publishInputSchema,
        allowLikelySecrets: allowLikelySecretsInputSchema,
      },
      output: writeOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input as OverrideEnvironmentInput & { publish?: any };
      // Read once to know which permissions apply; the change itself is re-derived at commit.
      const { isProduction } = overriddenBinding(await options.repository.model(), input);
      await writeChange(ctx, options, {
        permissions: [cellplaneComponentUpdatePermission, ...(isProduction ? [cellplaneComponentPromoteProductionPermission] : [])],
        summary: `Override ${input.namespace}/${input.component} in ${input.environment}`,
        publish: input.publish,
        changes: base => ResourceFiles.changesOf(base, (files, model) => files.write(overriddenBinding(model, input).binding)),
      });
    },
  });
  return withCheckedInput(action);
}
