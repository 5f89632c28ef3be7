import { z } from 'zod';
import { celExpression, freeform, kubernetesName, nonEmptyString, resourceOf, schemaSection } from './shared';

/**
 * Build workflows (OpenChoreo's workflow_types.go and clusterworkflow_types.go): what a
 * Component's `spec.workflow`, a ComponentType's `allowedWorkflows` and a Hook's `workflowRef`
 * name. Cellplane reads them so that those references resolve; it does not run them.
 */

/** `+listType=map`: one item per key. */
const uniqueBy =
  <T>(what: string, keyOf: (item: T) => string) =>
  (list: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      const itemKey = keyOf(item);
      if (seen.has(itemKey)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate ${what} '${itemKey}'` });
      seen.add(itemKey);
    });
  };

const workflowResult = () =>
  z.strictObject({
    name: kubernetesName(),
    description: z.string().max(256, 'must be at most 256 characters').optional(),
    sensitive: z.boolean().optional(),
    valueFrom: z
      .strictObject({
        taskResult: z.strictObject({ task: nonEmptyString(), result: nonEmptyString() }).optional(),
        expression: celExpression().optional(),
      })
      .refine(source => (source.taskResult === undefined) !== (source.expression === undefined), {
        message: 'exactly one of taskResult or expression must be set',
      }),
  });

const workflowSpec = (planeKinds: readonly ['ClusterWorkflowPlane', 'WorkflowPlane'] | readonly ['ClusterWorkflowPlane']) =>
  z.strictObject({
    // Defaults to ClusterWorkflowPlane "default".
    workflowPlaneRef: z.strictObject({ kind: z.enum(planeKinds), name: kubernetesName() }).optional(),
    parameters: schemaSection().optional(),
    runTemplate: freeform(),
    resources: z
      .array(z.strictObject({ id: nonEmptyString(), includeWhen: celExpression().optional(), template: freeform() }))
      .superRefine(uniqueBy('resource id', (resource: { id: string }) => resource.id))
      .optional(),
    externalRefs: z
      .array(
        z.strictObject({
          id: z
            .string()
            .min(2, 'must be 2-63 characters')
            .max(63, 'must be 2-63 characters')
            .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, "must be lowercase letters, digits and '-', starting with a letter"),
          apiVersion: nonEmptyString(),
          kind: z.enum(['SecretReference']),
          name: nonEmptyString(),
        }),
      )
      .superRefine(uniqueBy('external reference id', (ref: { id: string }) => ref.id))
      .optional(),
    results: z
      .array(workflowResult())
      .superRefine(uniqueBy('result name', (result: { name: string }) => result.name))
      .optional(),
    ttlAfterCompletion: z
      .string()
      .regex(/^(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/, "must be a duration such as '90d' or '1h30m'")
      .optional(),
  });

/** The schema of a Workflow document. @public */
export const workflowSchema = resourceOf('Workflow', workflowSpec(['ClusterWorkflowPlane', 'WorkflowPlane'] as const));
/** The schema of a ClusterWorkflow document. @public */
export const clusterWorkflowSchema = resourceOf('ClusterWorkflow', workflowSpec(['ClusterWorkflowPlane'] as const));
