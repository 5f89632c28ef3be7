import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { cellplaneComponentUpdatePermission } from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireFreeEnvBindings } from '../write/envInput';
import { ResourceFiles } from '../write/resourceFiles';
import { sameJson } from '../write/sameJson';
import { requireName, withCheckedInput } from '../write/validate';
import { allowLikelySecretsInputSchema, CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './addDependency.examples';
import { updateComponent } from './updateComponent';

/** @public */
export interface AddDependencyInput {
  namespace: string;
  component: string;
  dependsOn: { project?: string; component: string; endpoint: string };
  envBindings?: { address?: string; host?: string; port?: string; basePath?: string };
}

/**
 * Checks that the endpoint exists and may be reached from the component's project: its own
 * project's endpoints always; another project's only when the endpoint is visible at
 * `namespace` (or wider), as OpenChoreo wires connections.
 */
function dependencyOn(model: RepositoryModel, namespace: string, fromProject: string, input: AddDependencyInput) {
  const target = input.dependsOn ?? ({} as AddDependencyInput['dependsOn']);
  requireName('dependsOn.component', target.component);
  requireName('dependsOn.endpoint', target.endpoint);
  if (target.project !== undefined) requireName('dependsOn.project', target.project);
  const targetComponent = model.get('Component', target.component, namespace);
  if (!targetComponent) {
    throw new InputError(`dependsOn.component: Component ${JSON.stringify(target.component)} does not exist in namespace ${namespace}`);
  }
  const project = targetComponent.resource.spec.owner.projectName;
  if (target.project !== undefined && target.project !== project) {
    throw new InputError(`dependsOn.project: Component ${target.component} belongs to project ${project}, not ${target.project}`);
  }
  const endpoint = model.workload(namespace, target.component)?.resource.spec.endpoints?.[target.endpoint];
  if (!endpoint) {
    const known = Object.keys(model.workload(namespace, target.component)?.resource.spec.endpoints ?? {});
    throw new InputError(
      `dependsOn.endpoint: Component ${target.component} has no endpoint ${JSON.stringify(target.endpoint)} (it has: ${known.join(', ') || 'none'})`,
    );
  }
  const crossProject = project !== fromProject;
  const visibility = endpoint.visibility ?? [];
  if (crossProject && !visibility.some(v => v === 'namespace' || v === 'internal' || v === 'external')) {
    throw new InputError(
      `dependsOn.endpoint: ${target.component}/${target.endpoint} is visible to project ${project} only; add 'namespace' to its visibility before another project can depend on it`,
    );
  }
  const bindings = Object.fromEntries(Object.entries(input.envBindings ?? {}).filter(([, v]) => v));
  for (const key of Object.keys(bindings)) {
    if (!['address', 'host', 'port', 'basePath'].includes(key)) {
      throw new InputError(`envBindings.${key}: unknown binding; use address, host, port or basePath`);
    }
  }
  const envBindings = Object.keys(bindings).length
    ? bindings
    : { address: `${target.component}_${target.endpoint}_ADDRESS`.toUpperCase().replace(/-/g, '_') };
  return {
    ...(crossProject ? { project } : {}),
    component: target.component,
    name: target.endpoint,
    visibility: crossProject ? ('namespace' as const) : ('project' as const),
    envBindings,
  };
}

/**
 * `cellplane:dependency:add`: a component depends on another component's endpoint; the
 * connection's address reaches the container through the named environment variables.
 *
 * @public
 */
export function createDependencyAddAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:dependency:add',
    description: "Adds an endpoint dependency to a component's Workload (and writes the new ComponentRelease), as one commit or pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string(),
        component: z => z.string().describe('The component that calls'),
        dependsOn: z =>
          z.object({ project: z.string().optional(), component: z.string(), endpoint: z.string() }).describe('The endpoint it calls'),
        envBindings: z =>
          z
            .object({ address: z.string().optional(), host: z.string().optional(), port: z.string().optional(), basePath: z.string().optional() })
            .optional()
            .describe('Environment variables that receive the address (default <COMPONENT>_<ENDPOINT>_ADDRESS)'),
        publish: publishInputSchema,
        allowLikelySecrets: allowLikelySecretsInputSchema,
      },
      output: writeOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input as AddDependencyInput & { publish?: any };
      await writeChange(ctx, options, {
        permissions: [cellplaneComponentUpdatePermission],
        summary: `Let ${input.namespace}/${input.component} call ${input.dependsOn?.component}/${input.dependsOn?.endpoint}`,
        publish: input.publish,
        changes: base =>
          ResourceFiles.changesOf(base, (files, model) =>
            updateComponent(files, input.namespace, input.component, ({ component, workload }, namespace) => {
              const dependency = dependencyOn(model, namespace, component.spec.owner.projectName, input);
              if (dependency.component === component.metadata.name) {
                throw new InputError('dependsOn.component: a component cannot depend on itself');
              }
              const endpoints = workload.spec.dependencies?.endpoints ?? [];
              const same = endpoints.find(d => d.component === dependency.component && d.name === dependency.name);
              if (same && !sameJson(same, dependency)) {
                throw new InputError(`dependsOn: ${input.component} already depends on ${dependency.component}/${dependency.name} with other bindings`);
              }
              if (!same) {
                requireFreeEnvBindings('envBindings', dependency.envBindings, workload);
                workload.spec.dependencies = { ...workload.spec.dependencies, endpoints: [...endpoints, dependency] };
              }
              return { component, workload };
            }),
          ),
      });
    },
  });
  return withCheckedInput(action);
}
