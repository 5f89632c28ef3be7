import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promotionBranchName, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireComponent, requireNamespace } from '../write/lookups';
import { pipelineOfProject, promotionTargets } from '../write/modelChanges';
import { taskShortId } from '../write/publishInput';
import { ResourceFiles } from '../write/resourceFiles';
import { requireName, withCheckedInput } from '../write/validate';
import { CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './promoteComponent.examples';
import { pointBindingAt, releaseRunningIn } from './releaseTarget';

/** @public */
export interface PromoteComponentInput {
  namespace: string;
  component: string;
  from?: string;
  to: string;
}

const envName = (ref: string | { name: string }) => (typeof ref === 'string' ? ref : ref.name);

/**
 * Checks the promotion path and returns the target binding pointed at the release that runs in
 * the source: the one the source's binding pins, or, when it follows the component, a snapshot of
 * it (`snapshot`, new, to be written with the binding) or an existing release with its content.
 */
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
  const running = releaseRunningIn(model, namespace, component.metadata.name, from);
  if (!running) {
    throw new InputError(`from: ${component.metadata.name} has no release deployed in ${from}; deploy one there first`);
  }
  const target = pointBindingAt(model, input, 'to', input.to, 'from', running.snapshot ?? running.name);
  const approval = (pipeline.spec.promotionPaths ?? [])
    .filter(path => envName(path.sourceEnvironmentRef) === from)
    .flatMap(path => path.targetEnvironmentRefs)
    .some(ref => ref.name === input.to && (ref.requiresApproval === true || ref.isManualApprovalRequired === true));
  return {
    from,
    releaseName: running.name,
    snapshot: running.snapshot,
    // An approval in a GitOps portal is a pull request's review.
    requiredBy: approval
      ? `the promotion path ${from} → ${input.to} of DeploymentPipeline ${pipeline.metadata.name} requires approval`
      : undefined,
    ...target,
  };
}

/**
 * `cellplane:component:promote`: the release running in one environment goes to the next,
 * only along the DeploymentPipeline's promotion paths. Promoting into an environment marked
 * `isProduction` also needs `cellplane.component.promote.production`. A promotion along a path
 * that `requiresApproval`, or into an environment annotated `cellplane.dev/publish: pull-request`,
 * opens a pull request (its review is the approval) from a branch
 * `cellplane/promote/<namespace>/<component>/<environment>-<id>`, which the pipeline lists as
 * awaiting approval.
 *
 * @public
 */
export function createComponentPromoteAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:component:promote',
    description:
      "Points the target environment's ReleaseBinding at the release that runs in the source environment (a snapshot of the component when the source follows it), along the pipeline's promotion paths.",
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
      ctx.output('releaseName', planned.releaseName);
      await writeChange(ctx, options, {
        permissions: planned.permissions,
        summary: `Promote ${input.namespace}/${input.component} from ${planned.from} to ${input.to} (${planned.binding.spec.releaseName})`,
        publish: input.publish,
        pullRequest: {
          requiredBy: planned.requiredBy,
          branch: promotionBranchName({
            action: 'promote',
            namespace: input.namespace,
            component: input.component,
            environment: input.to,
            id: taskShortId(ctx.task?.id),
          }),
        },
        changes: base =>
          ResourceFiles.changesOf(base, async (files, model) => {
            const { binding, snapshot } = promotion(model, input);
            // What runs in the source had no release of its own: the snapshot lands in the same commit.
            if (snapshot) await files.write(snapshot);
            await files.write(binding);
          }),
      });
    },
  });
  return withCheckedInput(action);
}
