import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promotionBranchName } from '@cellplane/backstage-plugin-node';
import { taskShortId } from '../write/publishInput';
import { ResourceFiles } from '../write/resourceFiles';
import { withCheckedInput } from '../write/validate';
import { CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './rollbackComponent.examples';
import { pointBindingAt } from './releaseTarget';

/** @public */
export interface RollbackComponentInput {
  namespace: string;
  component: string;
  environment: string;
  release: string;
}

/**
 * `cellplane:component:rollback`: points an environment's binding at any earlier
 * ComponentRelease of the component. Releases are immutable and never deleted, so every state
 * the component was ever in can be brought back. Into an environment annotated
 * `cellplane.dev/publish: pull-request` it opens a pull request from a branch
 * `cellplane/rollback/<namespace>/<component>/<environment>-<id>`.
 *
 * @public
 */
export function createComponentRollbackAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:component:rollback',
    description: "Points an environment's ReleaseBinding at an earlier ComponentRelease of the component.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string(),
        component: z => z.string(),
        environment: z => z.string(),
        release: z => z.string().describe('The ComponentRelease to run, e.g. payments-api-1a2b3c4d5e'),
        publish: publishInputSchema,
      },
      output: writeOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input as RollbackComponentInput & { publish?: any };
      const target = (model: Awaited<ReturnType<typeof options.repository.model>>) =>
        pointBindingAt(model, input, 'environment', input.environment, 'release', input.release);
      const { permissions } = target(await options.repository.model());
      await writeChange(ctx, options, {
        permissions,
        summary: `Roll back ${input.namespace}/${input.component} in ${input.environment} to ${input.release}`,
        publish: input.publish,
        pullRequest: {
          branch: promotionBranchName({
            action: 'rollback',
            namespace: input.namespace,
            component: input.component,
            environment: input.environment,
            id: taskShortId(ctx.task?.id),
          }),
        },
        changes: base => ResourceFiles.changesOf(base, (files, model) => files.write(target(model).binding)),
      });
    },
  });
  return withCheckedInput(action);
}
