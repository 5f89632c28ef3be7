import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  cellplaneComponentCreatePermission,
  Component,
  Endpoint,
  explainInvalidGitBranch,
  explainInvalidImageReference,
  OPENCHOREO_API_VERSION,
  Workload,
} from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { envInputSchema, EnvInput, toEnvVars } from '../write/envInput';
import { describedBy, requireComponentType, requireNamespace, requireProject } from '../write/lookups';
import { componentChanges } from '../write/modelChanges';
import { ResourceFiles } from '../write/resourceFiles';
import { sameJson } from '../write/sameJson';
import { requireBoundedReplicas, requireMatchesSchema, requireName, requireThat, requireValidResource, withCheckedInput } from '../write/validate';
import {
  allowLikelySecretsInputSchema,
  CellplaneActionOptions,
  publishInputSchema,
  writeChange,
  writeOutputSchema,
} from '../write/writeChange';
import { examples } from './createComponent.examples';
import { endpointInputSchema, EndpointInput, requireFreePort, toEndpoint } from './endpointInput';

/** The input of `cellplane:component:create`. @public */
export interface CreateComponentInput {
  namespace: string;
  project: string;
  name: string;
  displayName?: string;
  description?: string;
  owner?: string;
  componentType: string;
  componentTypeKind?: 'ComponentType' | 'ClusterComponentType';
  parameters?: Record<string, unknown>;
  traits?: { kind?: 'Trait' | 'ClusterTrait'; name: string; instanceName: string; parameters?: Record<string, unknown> }[];
  autoDeploy?: boolean;
  image?: string;
  source?: { repository?: string; branch?: string; appPath?: string; image?: string };
  endpoints?: Record<string, EndpointInput>;
  env?: EnvInput[];
  /** The ComponentType's environmentConfigs for the first environment (e.g. a task's schedule). */
  environmentConfigs?: Record<string, unknown>;
}

/**
 * Builds the Component and its Workload the input asks for, after checking it against the
 * repository: the project exists, the name is free, the ComponentType exists and takes these
 * parameters, the traits are allowed and take theirs.
 */
export function buildComponent(model: RepositoryModel, given: CreateComponentInput): { component: Component; workload: Workload } {
  // A form leaves unused fields empty rather than absent: an empty image or repository is none.
  const input = {
    ...given,
    image: given.image || undefined,
    source: given.source?.repository ? given.source : undefined,
  };
  const namespace = requireNamespace(model, input.namespace);
  requireProject(model, namespace, input.project);
  const name = requireName('name', input.name);
  const type = requireComponentType(model, namespace, input.componentType, input.componentTypeKind);
  const typeWhat = `${type.kind} ${type.metadata.name}`;
  requireMatchesSchema('parameters', type.spec.parameters?.openAPIV3Schema, input.parameters ?? {}, typeWhat);

  // An allowed trait is written as a name (a Trait) or as {kind, name}.
  const allowed = (type.spec.allowedTraits ?? []).map(a =>
    typeof a === 'string' ? { kind: 'Trait', name: a } : { kind: a.kind ?? 'Trait', name: a.name },
  );
  const traits = (input.traits ?? []).map((trait, index) => {
    const field = `traits[${index}]`;
    requireName(`${field}.name`, trait.name);
    requireName(`${field}.instanceName`, trait.instanceName);
    const kind = trait.kind ?? 'ClusterTrait';
    const definition = kind === 'ClusterTrait' ? model.get('ClusterTrait', trait.name) : model.get('Trait', trait.name, namespace);
    if (!definition) {
      throw new InputError(`${field}.name: ${kind} ${JSON.stringify(trait.name)} does not exist`);
    }
    if (!allowed.some(a => a.name === trait.name && a.kind === kind)) {
      throw new InputError(`${field}.name: ${typeWhat} does not allow ${kind} ${trait.name} (allowed: ${allowed.map(a => a.name).join(', ') || 'none'})`);
    }
    requireBoundedReplicas(`${field}.parameters`, trait.parameters);
    requireMatchesSchema(`${field}.parameters`, (definition.resource.spec as any).parameters?.openAPIV3Schema, trait.parameters ?? {}, `${kind} ${trait.name}`);
    return { kind, name: trait.name, instanceName: trait.instanceName, ...(trait.parameters ? { parameters: trait.parameters } : {}) };
  });

  requireBoundedReplicas('parameters', input.parameters);
  if (input.environmentConfigs) {
    requireBoundedReplicas('environmentConfigs', input.environmentConfigs);
    if (input.autoDeploy === false) {
      throw new InputError('environmentConfigs: set for the first environment, which a component without autoDeploy is not deployed to; drop it or set autoDeploy');
    }
    requireMatchesSchema('environmentConfigs', type.spec.environmentConfigs?.openAPIV3Schema, input.environmentConfigs, typeWhat);
  }
  if (!input.image && !input.source) {
    throw new InputError('image: give a container image, or a source repository in source.repository');
  }
  if (input.image) {
    requireThat('image', input.image, explainInvalidImageReference);
  }
  if (input.source) {
    requireRepositoryUrl('source.repository', input.source.repository);
    if (input.source.branch) requireThat('source.branch', input.source.branch, explainInvalidGitBranch);
    if (input.source.image) requireThat('source.image', input.source.image, explainInvalidImageReference);
  }
  const annotations = describedBy(input);
  const component: Component = {
    apiVersion: OPENCHOREO_API_VERSION,
    kind: 'Component',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: {
      owner: { projectName: input.project },
      componentType: { kind: type.kind, name: input.componentType },
      autoDeploy: input.autoDeploy ?? true,
      ...(input.parameters && Object.keys(input.parameters).length > 0 ? { parameters: input.parameters } : {}),
      ...(traits.length > 0 ? { traits } : {}),
    },
  };
  const endpoints: Record<string, Endpoint> = {};
  for (const [endpointName, endpointInput] of Object.entries(input.endpoints ?? {})) {
    requireName(`endpoints.${endpointName}`, endpointName);
    const endpoint = toEndpoint(`endpoints.${endpointName}`, endpointInput);
    requireFreePort(`endpoints.${endpointName}`, endpointName, endpoint, endpoints);
    endpoints[endpointName] = endpoint;
  }
  const workload: Workload = {
    apiVersion: OPENCHOREO_API_VERSION,
    kind: 'Workload',
    metadata: { name, namespace },
    spec: {
      owner: { projectName: input.project, componentName: name },
      container: {
        // Built from source, the image is where the build publishes; the build updates it.
        image: input.image ?? input.source?.image ?? `${name}:latest`,
        ...(input.env?.length ? { env: toEnvVars(model, namespace, 'env', input.env) } : {}),
      },
      ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
      ...(input.source
        ? {
            source: {
              repository: input.source.repository!,
              ...(input.source.branch ? { branch: input.source.branch } : {}),
            },
          }
        : {}),
    },
  };
  return {
    component: requireValidResource('input', component),
    workload: requireValidResource('input', workload),
  };
}

const REPOSITORY_URL_MAX_LENGTH = 2048;

/**
 * A source repository is an https URL without credentials: it is written to Git, shown in the
 * catalog and handed to a build.
 */
function requireRepositoryUrl(field: string, value: unknown): void {
  const shown = JSON.stringify(typeof value === 'string' && value.length > 80 ? `${value.slice(0, 77)}...` : value);
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value.length > REPOSITORY_URL_MAX_LENGTH || !/^https:\/\/[^\s\u0000-\u001f\u007f]+$/.test(value)) {
    throw new InputError(`${field} must be an https URL of a Git repository, at most ${REPOSITORY_URL_MAX_LENGTH} characters (got ${shown})`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${field} must be an https URL of a Git repository (got ${shown})`);
  }
  if (url.username || url.password) {
    throw new InputError(`${field} must not carry credentials; the build reads the repository with its own`);
  }
}

/**
 * `cellplane:component:create`: a new Component with its Workload (from an image, or from a
 * source repository), its first ComponentRelease and, with autoDeploy, its binding in the
 * pipeline's first environment; one commit.
 *
 * @public
 */
export function createComponentCreateAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:component:create',
    description:
      'Creates an OpenChoreo Component and its Workload in the GitOps repository, with its first ComponentRelease, as one commit or pull request.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string().describe('OpenChoreo namespace'),
        project: z => z.string().describe('Project the component belongs to'),
        name: z => z.string().describe('Component name (RFC 1123 label)'),
        displayName: z => z.string().optional(),
        description: z => z.string().optional(),
        owner: z => z.string().optional().describe('Backstage owner, e.g. group:default/team-a'),
        componentType: z => z.string().describe("'<workloadType>/<name>', e.g. deployment/service"),
        componentTypeKind: z => z.enum(['ComponentType', 'ClusterComponentType']).optional(),
        parameters: z => z.record(z.unknown()).optional().describe("Values for the ComponentType's parameter schema"),
        traits: z =>
          z
            .array(
              z.object({
                kind: z.enum(['Trait', 'ClusterTrait']).optional(),
                name: z.string(),
                instanceName: z.string(),
                parameters: z.record(z.unknown()).optional(),
              }),
            )
            .optional(),
        autoDeploy: z => z.boolean().optional().describe('Deploy each new release to the first environment (default true)'),
        image: z => z.string().optional().describe('Container image to run'),
        source: z =>
          z
            .object({
              repository: z.string().optional(),
              branch: z.string().optional(),
              appPath: z.string().optional(),
              image: z.string().optional(),
            })
            .optional()
            .describe('Source repository to build from, instead of an image'),
        endpoints: z => z.record(endpointInputSchema(z)).optional(),
        env: envInputSchema,
        environmentConfigs: z =>
          z.record(z.unknown()).optional().describe("The ComponentType's environmentConfigs for the first environment, e.g. a schedule"),
        publish: publishInputSchema,
        allowLikelySecrets: allowLikelySecretsInputSchema,
      },
      output: writeOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input as CreateComponentInput & { publish?: any };
      await writeChange(ctx, options, {
        permissions: [cellplaneComponentCreatePermission],
        summary: `Create component ${input.namespace}/${input.name} in project ${input.project}`,
        publish: input.publish,
        changes: base =>
          ResourceFiles.changesOf(base, async (files, model) => {
            const { component, workload } = buildComponent(model, input);
            const namespace = component.metadata.namespace!;
            const existing = model.get('Component', component.metadata.name, namespace);
            // Running the same create again is a no-op; anything else would overwrite someone's component.
            if (
              existing &&
              !(sameJson(existing.resource, component) && sameJson(model.workload(namespace, component.metadata.name)?.resource, workload))
            ) {
              throw new InputError(
                `name: Component ${component.metadata.name} already exists in namespace ${namespace} (project ${existing.resource.spec.owner.projectName}); choose another name`,
              );
            }
            await componentChanges(files, component, workload, input.environmentConfigs);
          }),
      });
    },
  });
  return withCheckedInput(action);
}
