import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { cellplaneComponentUpdatePermission } from '@cellplane/backstage-plugin-common';
import { ResourceFiles } from '../write/resourceFiles';
import { sameJson } from '../write/sameJson';
import { requireName, withCheckedInput } from '../write/validate';
import { allowLikelySecretsInputSchema, CellplaneActionOptions, publishInputSchema, writeChange, writeOutputSchema } from '../write/writeChange';
import { examples } from './addEndpoint.examples';
import { EndpointInput, endpointInputSchema, requireFreePort, toEndpoint } from './endpointInput';
import { updateComponent } from './updateComponent';

/** @public */
export interface AddEndpointInput {
  namespace: string;
  component: string;
  name: string;
  endpoint: EndpointInput;
}

/**
 * `cellplane:endpoint:add`: a new endpoint on a component's Workload, and the release it makes.
 *
 * @public
 */
export function createEndpointAddAction(options: CellplaneActionOptions) {
  const action = createTemplateAction({
    id: 'cellplane:endpoint:add',
    description: "Adds an endpoint to a component's Workload (and writes the new ComponentRelease), as one commit or pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z => z.string(),
        component: z => z.string(),
        name: z => z.string().describe('Endpoint name (RFC 1123 label)'),
        endpoint: z => endpointInputSchema(z),
        publish: publishInputSchema,
        allowLikelySecrets: allowLikelySecretsInputSchema,
      },
      output: writeOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input as AddEndpointInput & { publish?: any };
      await writeChange(ctx, options, {
        permissions: [cellplaneComponentUpdatePermission],
        summary: `Add endpoint ${input.name} to component ${input.namespace}/${input.component}`,
        publish: input.publish,
        changes: base =>
          ResourceFiles.changesOf(base, files =>
            updateComponent(files, input.namespace, input.component, ({ component, workload }) => {
              const name = requireName('name', input.name);
              const endpoint = toEndpoint('endpoint', input.endpoint);
              const existing = workload.spec.endpoints?.[name];
              if (existing && !sameJson(existing, endpoint)) {
                throw new InputError(`name: component ${input.component} already has an endpoint ${name}; choose another name`);
              }
              requireFreePort('endpoint', name, endpoint, workload.spec.endpoints);
              workload.spec.endpoints = { ...workload.spec.endpoints, [name]: endpoint };
              return { component, workload };
            }),
          ),
      });
    },
  });
  return withCheckedInput(action);
}
