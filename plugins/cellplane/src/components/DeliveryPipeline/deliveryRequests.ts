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

/**
 * Where the dry run's step outputs come back: keys of the template output no template uses. The
 * template schema allows only strings there (besides links and text), each a single expression,
 * which the scaffolder renders to the step output's own value.
 */
const DRY_RUN_OUTPUTS = {
  diff: 'cellplaneDryRunDiff',
  changedFiles: 'cellplaneDryRunChangedFiles',
  productionEnvironments: 'cellplaneDryRunProductionEnvironments',
} as const;

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
        ...Object.fromEntries(Object.entries(DRY_RUN_OUTPUTS).map(([name, key]) => [key, outputOf(name)])),
      },
    },
  };
}

/** A list output as the scaffolder renders it: a list, or (rendered as text) comma-separated. */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? value.split(',') : [];
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
  const output = response.output ?? {};
  const diff = output[DRY_RUN_OUTPUTS.diff];
  return {
    diff: typeof diff === 'string' ? diff : '',
    changedFiles: listOf(output[DRY_RUN_OUTPUTS.changedFiles]),
    productionEnvironments: listOf(output[DRY_RUN_OUTPUTS.productionEnvironments]),
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
          resolve(taskResultOf(event.type, body));
        }
      },
      error: reject,
    });
  });
}

/** The end of a task as its last event says it: cancelled, failed with the action's error, or completed with its output. */
function taskResultOf(
  type: string,
  body: { output?: { links?: ScaffolderOutputLink[]; text?: ScaffolderOutputText[] }; error?: { message?: string } },
): TaskResult {
  const output = {
    links: (body.output?.links ?? []).filter(link => link.url || link.entityRef),
    text: body.output?.text ?? [],
  };
  if (type === 'cancelled') return { status: 'cancelled', ...output, error: 'the task was cancelled' };
  if (body.error) return { status: 'failed', ...output, ...(body.error.message ? { error: body.error.message } : {}) };
  return { status: 'completed', ...output };
}
