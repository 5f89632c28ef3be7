import { z } from 'zod';
import { celExpression, freeform, kindRef, resourceOf } from './shared';

/**
 * Deployment hooks (OpenChoreo's hook_types.go, clusterhook_types.go and hookbinding_types.go):
 * a Hook or ClusterHook runs a workflow, and an Environment binds hooks before or after each
 * deployment into it. Cellplane reads them so a repository that has them loads; it does not
 * run them (docs/openchoreo-compatibility.md).
 */

const typeRef = () =>
  z.strictObject({
    kind: z.enum(['ComponentType', 'ClusterComponentType']),
    name: z.string().min(1, 'must not be empty').max(253, 'must be at most 253 characters'),
  });

/**
 * One input of the hook's workflow. OpenChoreo: exactly one of value, from, default or
 * required, except that from may be combined with overridable.
 */
const hookParameter = () =>
  z
    .strictObject({
      name: z
        .string()
        .max(63, 'must be at most 63 characters')
        .regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, "must start with a letter, then letters, digits, '_' or '-'"),
      value: z.string().optional(),
      from: celExpression().optional(),
      default: z.string().optional(),
      overridable: z.boolean().optional(),
      required: z.boolean().optional(),
      schema: freeform().optional(),
    })
    .superRefine((parameter, ctx) => {
      const sources = [
        parameter.value !== undefined,
        parameter.from !== undefined,
        parameter.default !== undefined,
        parameter.required === true,
      ].filter(Boolean).length;
      if (sources !== 1) {
        ctx.addIssue({ code: 'custom', message: 'set exactly one of value, from, default or required: true' });
      }
      if (parameter.overridable && parameter.from === undefined) {
        ctx.addIssue({ code: 'custom', path: ['overridable'], message: 'applies only to a parameter computed by from' });
      }
    });

const hookSpec = (workflowKinds: readonly ['ClusterWorkflow', 'Workflow'] | readonly ['ClusterWorkflow']) =>
  z.strictObject({
    type: z.enum(['Workflow']).optional(),
    // OpenChoreo's WorkflowRef: kind defaults to ClusterWorkflow; a ClusterHook may name no other.
    workflowRef: kindRef(workflowKinds),
    parameters: z
      .array(hookParameter())
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((parameter, index) => {
          if (seen.has(parameter.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate parameter '${parameter.name}'` });
          seen.add(parameter.name);
        });
      })
      .optional(),
    enabledTo: z.array(typeRef()).max(50, 'must list at most 50 component types').optional(),
  });

/** The schema of a Hook document. @public */
export const hookSchema = resourceOf('Hook', hookSpec(['ClusterWorkflow', 'Workflow'] as const));
/** The schema of a ClusterHook document. @public */
export const clusterHookSchema = resourceOf('ClusterHook', hookSpec(['ClusterWorkflow'] as const));

const hookBinding = () =>
  z.strictObject({
    name: z
      .string()
      .max(40, 'must be at most 40 characters')
      .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "must be lowercase letters, digits and '-', starting with a letter"),
    hookRef: z.strictObject({
      kind: z.enum(['Hook', 'ClusterHook']).optional(),
      name: z.string().min(1, 'must not be empty').max(253, 'must be at most 253 characters'),
    }),
    mode: z.enum(['Sync', 'Async']).optional(),
    parameters: freeform().optional(),
    appliesTo: z.array(typeRef()).optional(),
    onFailure: z.enum(['Block', 'Ignore', 'Alert']).optional(),
    timeout: z.string().regex(/^(\d+h)?(\d+m)?(\d+s)?$/, "must be a duration such as '30m' or '2h'").optional(),
    retries: z.number().int('must be a whole number').min(0, 'must be 0-5').max(5, 'must be 0-5').optional(),
  });

/** An Environment's `hooks`: the bindings run before and after each deployment, each name once. */
export const hookSet = () =>
  z
    .strictObject({
      preDeploy: z.array(hookBinding()).max(10, 'must list at most 10 hooks').optional(),
      postDeploy: z.array(hookBinding()).max(10, 'must list at most 10 hooks').optional(),
    })
    .superRefine((set, ctx) => {
      // "unique across both phases of an environment"
      const seen = new Map<string, string>();
      for (const phase of ['preDeploy', 'postDeploy'] as const) {
        (set[phase] ?? []).forEach((binding, index) => {
          const other = seen.get(binding.name);
          if (other) {
            ctx.addIssue({ code: 'custom', path: [phase, index, 'name'], message: `duplicate hook binding name '${binding.name}' (also in ${other}); names are unique across both phases` });
          } else {
            seen.set(binding.name, phase);
          }
        });
      }
    });
