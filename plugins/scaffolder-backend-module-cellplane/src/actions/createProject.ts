import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { cellplaneProjectCreatePermission, isValidName, OPENCHOREO_API_VERSION, Project } from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { describedBy, requireNamespace } from '../write/lookups';
import { ResourceFiles } from '../write/resourceFiles';
import { sameJson } from '../write/sameJson';
import { requireName, requireValidResource, withCheckedInput } from '../write/validate';
import { allowLikelySecretsInputSchema, CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './createProject.examples';

/** @public */
export interface CreateProjectInput {
  namespace: string;
  name: string;
  displayName?: string;
  description?: string;
  owner?: string;
  deploymentPipeline?: string;
}

export function buildProject(model: RepositoryModel, input: CreateProjectInput): Project {
  const namespace = requireNamespace(model, input.namespace);
  const name = requireName('name', input.name);
  const pipelines = model.list('DeploymentPipeline', namespace).map(e => e.resource.metadata.name);
  // With one pipeline in the namespace there is nothing to choose.
  const given = input.deploymentPipeline ? pipelineName(input.deploymentPipeline, namespace) : undefined;
  const pipeline = given ?? (pipelines.length === 1 ? pipelines[0] : undefined);
  if (!pipeline) {
    throw new InputError(`deploymentPipeline is required: namespace ${namespace} has ${pipelines.length} pipelines (${pipelines.join(', ') || 'none'})`);
  }
  if (!pipelines.includes(pipeline)) {
    throw new InputError(`deploymentPipeline: DeploymentPipeline ${JSON.stringify(pipeline)} does not exist in namespace ${namespace} (known: ${pipelines.join(', ') || 'none'})`);
  }
  const annotations = describedBy(input);
  return requireValidResource('input', {
    apiVersion: OPENCHOREO_API_VERSION,
    kind: 'Project',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { deploymentPipelineRef: { name: pipeline } },
  });
}

/**
 * The pipeline a `deploymentPipeline` input names: a plain name, or the catalog reference an
 * EntityPicker gives (`deploymentpipeline:acme/standard`), whose namespace must be the
 * project's: a project runs on a pipeline of its own namespace only.
 */
function pipelineName(given: string, namespace: string): string {
  if (!/[:/]/.test(given)) {
    return requireName('deploymentPipeline', given);
  }
  const malformed = () =>
    new InputError(
      `deploymentPipeline must be a pipeline name or a reference like deploymentpipeline:${namespace}/standard (got ${JSON.stringify(given)})`,
    );
  let ref: { kind: string; namespace: string; name: string };
  try {
    ref = parseEntityRef(given, { defaultKind: 'deploymentpipeline', defaultNamespace: namespace });
  } catch {
    throw malformed();
  }
  if (!isValidName(ref.namespace)) {
    throw malformed();
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'deploymentpipeline') {
    throw new InputError(`deploymentPipeline must name a DeploymentPipeline, not a ${ref.kind} (got ${JSON.stringify(given)})`);
  }
  if (ref.namespace !== namespace) {
    throw new InputError(
      `deploymentPipeline: ${JSON.stringify(given)} is in namespace ${ref.namespace}, but the project is created in ${namespace}; choose a pipeline of ${namespace}`,
    );
  }
  return requireName('deploymentPipeline', ref.name);
}

/**
 * `cellplane:project:create`: a new Project on a DeploymentPipeline; one commit.
 *
 * @public
 */
export function createProjectCreateAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:project:create',
    description: 'Creates an OpenChoreo Project in the GitOps repository, as one commit or pull request.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string().describe('OpenChoreo namespace'),
        name: z => z.string().describe('Project name (RFC 1123 label)'),
        displayName: z => z.string().optional(),
        description: z => z.string().optional(),
        owner: z => z.string().optional().describe('Backstage owner, e.g. group:default/team-a'),
        deploymentPipeline: z => z.string().optional().describe("Default: the namespace's only pipeline"),
        publish: publishInputSchema,
        allowLikelySecrets: allowLikelySecretsInputSchema,
      },
      output: writeOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input as CreateProjectInput & { publish?: any };
      await writeChange(ctx, options, {
        permissions: [cellplaneProjectCreatePermission],
        summary: `Create project ${input.namespace}/${input.name}`,
        publish: input.publish,
        changes: base =>
          ResourceFiles.changesOf(base, async (files, model) => {
            const project = buildProject(model, input);
            const existing = model.get('Project', project.metadata.name, project.metadata.namespace);
            // Running the same create again is a no-op; anything else would overwrite someone's project.
            if (existing && !sameJson(existing.resource, project)) {
              throw new InputError(`name: Project ${project.metadata.name} already exists in namespace ${project.metadata.namespace}`);
            }
            if (!existing) await files.write(project);
          }),
      });
    },
  });
  return withCheckedInput(action);
}
