import { CatalogApi } from '@backstage/plugin-catalog-react';
import { ScaffolderApi, ScaffolderOutputLink, ScaffolderOutputText } from '@backstage/plugin-scaffolder-react';
import { PublishMode } from '@cellplane/backstage-plugin-common';

/** A change the pipeline card asks the scaffolder for, through the golden-path templates. */
export type DeliveryRequest =
  | { kind: 'promote'; namespace: string; component: string; from: string; to: string; publish: PublishMode }
  | { kind: 'rollback'; namespace: string; component: string; environment: string; release: string; publish: PublishMode };

/** The templates (templates/promote.yaml and templates/rollback.yaml) and the action each runs. */
export const DELIVERY_TEMPLATES = {
  promote: { ref: 'template:default/cellplane-promote', action: 'cellplane:component:promote' },
  rollback: { ref: 'template:default/cellplane-rollback', action: 'cellplane:component:rollback' },
} as const;

/** Where the dry run's step outputs come back: a key of the template output no template uses. */
const DRY_RUN_OUTPUT = 'cellplaneDryRun';

/** What a dry run says the change would write. */
export interface DryRunResult {
  /** The unified diff of spec and rendered files (likely secrets masked by the action). */
  diff: string;
  changedFiles: string[];
  /** Production environments (`<namespace>/<environment>`) the change alters. */
  productionEnvironments: string[];
  /** The form values the dry run used; the real run uses the same. */
  values: Record<string, string>;
}

/** What the scaffolder task said when it ended. */
export interface TaskResult {
  status: 'completed' | 'failed' | 'cancelled';
  links: ScaffolderOutputLink[];
  text: ScaffolderOutputText[];
  /** Why it failed, in the action's words. */
  error?: string;
}

type Template = { spec: { parameters?: unknown; steps: Array<{ id?: string; action: string }>; output?: Record<string, unknown> } };

/** The template's form values for a request; `publishMode` only where the template asks for it. */
export function templateValues(request: DeliveryRequest, template?: Template): Record<string, string> {
  const component = `component:${request.namespace}/${request.component}`;
  const values: Record<string, string> =
    request.kind === 'promote'
      ? { component, to: `environment:${request.namespace}/${request.to}` }
      : { component, environment: `environment:${request.namespace}/${request.environment}`, release: request.release };
  if (!template || declaresParameter(template, 'publishMode')) values.publishMode = request.publish;
  return values;
}

function declaresParameter(template: Template, name: string): boolean {
  const pages = Array.isArray(template.spec.parameters) ? template.spec.parameters : [template.spec.parameters];
  return pages.some(page => Boolean((page as { properties?: Record<string, unknown> } | undefined)?.properties?.[name]));
}

/**
 * The template with its write step's dry-run outputs added to the template's output. The
 * scaffolder's dry run answers only with the template output, and the templates' own output
 * (links for a real run) carries no diff; the step is found by its action, not its id.
 */
export function withDryRunOutputs(template: Template, action: string): Template {
  const step = template.spec.steps.find(s => s.action === action);
  if (!step?.id) throw new Error(`the template runs no ${action} step with an id`);
  const outputOf = (name: string) => `\${{ steps[${JSON.stringify(step.id)}].output.${name} }}`;
  return {
    ...template,
    spec: {
      ...template.spec,
      output: {
        ...(template.spec.output ?? {}),
        [DRY_RUN_OUTPUT]: {
          diff: outputOf('diff'),
          changedFiles: outputOf('changedFiles'),
          productionEnvironments: outputOf('productionEnvironments'),
        },
      },
    },
  };
}

/** Runs the request's template as a dry run: the real change, checked, computed, and not written. */
export async function dryRunDelivery(apis: { catalogApi: CatalogApi; scaffolderApi: ScaffolderApi }, request: DeliveryRequest): Promise<DryRunResult> {
  const { ref, action } = DELIVERY_TEMPLATES[request.kind];
  const template = (await apis.catalogApi.getEntityByRef(ref)) as unknown as Template | undefined;
  if (!template) throw new Error(`the template ${ref} is not in the catalog; register templates/${request.kind}.yaml`);
  const values = templateValues(request, template);
  const response = await apis.scaffolderApi.dryRun({
    template: withDryRunOutputs(template, action) as any,
    values,
    directoryContents: [],
  });
  const outputs = (response.output?.[DRY_RUN_OUTPUT] ?? {}) as Partial<Record<keyof DryRunResult, unknown>>;
  return {
    diff: typeof outputs.diff === 'string' ? outputs.diff : '',
    changedFiles: Array.isArray(outputs.changedFiles) ? outputs.changedFiles.map(String) : [],
    productionEnvironments: Array.isArray(outputs.productionEnvironments) ? outputs.productionEnvironments.map(String) : [],
    values,
  };
}

/**
 * Starts the request's template as a task and follows its log to the end: `onLog` gets each
 * line, the promise the task's result (its output links, or why it failed).
 */
export async function runDelivery(
  scaffolderApi: ScaffolderApi,
  request: DeliveryRequest,
  values: Record<string, string>,
  onLog: (message: string) => void,
): Promise<TaskResult> {
  const { taskId } = await scaffolderApi.scaffold({ templateRef: DELIVERY_TEMPLATES[request.kind].ref, values });
  return new Promise<TaskResult>((resolve, reject) => {
    const subscription = scaffolderApi.streamLogs({ taskId }).subscribe({
      next: event => {
        const body = event.body as { message?: string; output?: { links?: ScaffolderOutputLink[]; text?: ScaffolderOutputText[] }; error?: { message?: string } };
        if (event.type === 'log' && body.message) onLog(body.message);
        if (event.type === 'completion' || event.type === 'cancelled') {
          subscription.unsubscribe();
          const failed = event.type === 'cancelled' ? 'cancelled' : body.error ? 'failed' : 'completed';
          resolve({
            status: failed,
            links: (body.output?.links ?? []).filter(link => link.url || link.entityRef),
            text: body.output?.text ?? [],
            ...(body.error?.message ? { error: body.error.message } : failed === 'cancelled' ? { error: 'the task was cancelled' } : {}),
          });
        }
      },
      error: reject,
    });
  });
}
