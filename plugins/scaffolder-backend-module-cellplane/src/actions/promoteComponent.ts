import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireComponent, requireNamespace } from '../write/lookups';
import { pipelineOfProject, promotionTargets } from '../write/modelChanges';
import { ResourceFiles } from '../write/resourceFiles';
import { requireName, withCheckedInput } from '../write/validate';
import { CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './promoteComponent.examples';
import { pointBindingAt } from './releaseTarget';

/** @public */
export interface PromoteComponentInput {
  namespace: string;
  component: string;
  from?: string;
  to: string;
}

const envName = (ref: string | { name: string }) => (typeof ref === 'string' ? ref : ref.name);

/** Checks the promotion path and returns the target binding pointed at the source's release. */
export function promotion(model: RepositoryModel, input: PromoteComponentInput) {
  const namespace = requireNamespace(model, input.namespace);
  const { component } = requireComponent(model, namespace, input.component);
  requireName('to', input.to);
  const pipeline = pipelineOfProject(model, namespace, component.spec.owner.projectName);
  const sources = (pipeline.spec.promotionPaths ?? [])
    .filter(path => path.targetEnvironmentRefs.some(t => t.name === input.to))
    .map(path => envName(path.sourceEnvironmentRef));
  const from = input.from ?? sources[0];
  if (input.from !== undefined) requireName('from', input.from);
  if (!from || !promotionTargets(pipeline, from).includes(input.to)) {
    const next = from ? promotionTargets(pipeline, from) : [];
    throw new InputError(
      from
        ? `to: ${input.to} is not next after ${from} in DeploymentPipeline ${pipeline.metadata.name}; from ${from} a release may go to ${next.join(', ') || 'nowhere'}`
        : `to: nothing promotes to ${input.to} in DeploymentPipeline ${pipeline.metadata.name}; it is the first environment or not in the pipeline`,
    );
  }
  const source = model
    .releaseBindings(namespace, component.metadata.name)
    .find(entry => entry.resource.spec.environment === from)?.resource;
  if (!source?.spec.releaseName) {
    throw new InputError(`from: ${component.metadata.name} has no release deployed in ${from}; deploy one there first`);
  }
  return { from, ...pointBindingAt(model, input, 'to', input.to, 'from', source.spec.releaseName) };
}

/**
 * `cellplane:component:promote`: the release running in one environment goes to the next,
 * only along the DeploymentPipeline's promotion paths. Promoting into an environment marked
 * `isProduction` also needs `cellplane.component.promote.production`.
 *
 * @public
 */
export function createComponentPromoteAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:component:promote',
    description: "Points the target environment's ReleaseBinding at the source environment's release, along the pipeline's promotion paths.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string(),
        component: z => z.string(),
        from: z => z.string().optional().describe('Source environment (default: the one the pipeline promotes to `to` from)'),
        to: z => z.string().describe('Target environment'),
        publish: publishInputSchema,
      },
      output: {
        ...writeOutputSchema,
        releaseName: z => z.string().optional().describe('The release promoted'),
      },
    },
    async handler(ctx) {
      const input = ctx.input as PromoteComponentInput & { publish?: any };
      const planned = promotion(await options.repository.model(), input);
      ctx.output('releaseName', planned.binding.spec.releaseName!);
      await writeChange(ctx, options, {
        permissions: planned.permissions,
        summary: `Promote ${input.namespace}/${input.component} from ${planned.from} to ${input.to} (${planned.binding.spec.releaseName})`,
        publish: input.publish,
        changes: base => ResourceFiles.changesOf(base, (files, model) => files.write(promotion(model, input).binding)),
      });
    },
  });
  return withCheckedInput(action);
}
