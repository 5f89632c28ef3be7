import { createHash } from 'node:crypto';
import { ModelProblem, ResourceOfKind } from '@cellplane/backstage-plugin-common';
import { DataPlaneFeatures, parseDataPlaneFeatures } from './dataPlaneFeatures';
import type { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import type { RenderedBinding } from './cells/buildCells';
import { Cell, CELL_LABELS, CellMember } from './cells/cell';
import { renderMemberPolicy } from './cells/renderCell';
import { compareText, manifestFile } from './manifestYaml';
import { TelemetryIdentity, wireMetrics, wireTelemetry } from './observability/observability';
import {
  BindingRenderResult,
  BindingRenderTarget,
  RenderedObject,
  renderReleaseBinding,
  RELEASE_HASH_KEY,
  renderResourceReleaseBinding,
  TARGET_PLANE_ANNOTATION,
} from './template';
import { validateRenderedObject } from './validate/validateObject';
import { stampLabels } from './workloads';
import { renderedLayout } from './renderedLayout';

/**
 * The steps of a repository render that work on one binding at a time, shared by the sequential
 * render and its worker threads (renderInParallel.ts), so both produce the same bytes:
 *
 * 1. `renderBindingTemplates`: the template engine, per binding;
 * 2. (the caller builds the cells from every binding: dependencies cross partitions);
 * 3. `decorateBinding`: telemetry, metrics, the member's network policy, labels, schema
 *    validation and YAML, per binding.
 */

/** Seconds spent per phase: where a render's time goes. */
export interface RenderTimings {
  templates: number;
  cells: number;
  decorate: number;
  validate: number;
  yaml: number;
}

export const clock = () => Number(process.hrtime.bigint()) / 1e9;

export type BindingEntry =
  | ModelEntry<ResourceOfKind<'ReleaseBinding'>>
  | ModelEntry<ResourceOfKind<'ResourceReleaseBinding'>>;

/** A binding to render and which kind of binding it is. */
export interface BindingItem {
  kind: RenderedBinding['kind'];
  entry: BindingEntry;
}

const byFile = (a: ModelEntry, b: ModelEntry) => compareText(a.file, b.file) || a.documentIndex - b.documentIndex;

/**
 * Every binding of the model in render order: ReleaseBindings, then ResourceReleaseBindings,
 * each by file. The order decides the order of problems; every process computes the same list.
 */
export function bindingItems(model: RepositoryModel): BindingItem[] {
  return [
    ...[...model.list('ReleaseBinding')].sort(byFile).map(entry => ({ kind: 'component' as const, entry })),
    ...[...model.list('ResourceReleaseBinding')].sort(byFile).map(entry => ({ kind: 'resource' as const, entry })),
  ];
}

/** Renders one binding's templates. */
export function renderBindingTemplates(model: RepositoryModel, item: BindingItem): BindingRenderResult {
  return item.kind === 'component'
    ? renderReleaseBinding(model, item.entry as ModelEntry<ResourceOfKind<'ReleaseBinding'>>)
    : renderResourceReleaseBinding(model, item.entry as ModelEntry<ResourceOfKind<'ResourceReleaseBinding'>>);
}

/** Whether a template result goes on to the cells (it has a target and objects). */
export const isRendered = (result: BindingRenderResult): result is BindingRenderResult & { target: BindingRenderTarget } =>
  result.target !== undefined && result.objects.length > 0;

export const hasError = (problems: ModelProblem[]) => problems.some(p => p.severity === 'error');

/** The workload a binding renders: its ComponentRelease's snapshot, or the component's Workload. */
export function workloadOf(model: RepositoryModel, item: BindingItem) {
  if (item.kind !== 'component') return undefined;
  const entry = item.entry as ModelEntry<ResourceOfKind<'ReleaseBinding'>>;
  const binding = entry.resource;
  const namespace = entry.namespace ?? binding.metadata.namespace ?? 'default';
  if (binding.spec.releaseName) {
    return model.get('ComponentRelease', binding.spec.releaseName, namespace)?.resource.spec.workload;
  }
  const workload = model.workload(namespace, binding.spec.owner.componentName)?.resource.spec;
  if (!workload) return undefined;
  const { owner: _owner, ...spec } = workload;
  return spec;
}

/** Parses each data plane's features once; bad annotations become problems (reported once). */
export function dataPlaneFeaturesOf(model: RepositoryModel, problems: ModelProblem[]) {
  const cache = new Map<string, DataPlaneFeatures>();
  return (kind: 'DataPlane' | 'ClusterDataPlane', name: string, namespace: string): DataPlaneFeatures => {
    const key = `${kind}/${kind === 'DataPlane' ? namespace : ''}/${name}`;
    let features = cache.get(key);
    if (!features) {
      const entry = kind === 'ClusterDataPlane' ? model.get('ClusterDataPlane', name) : model.get('DataPlane', name, namespace);
      const dataPlane = entry?.resource ?? {
        apiVersion: 'openchoreo.dev/v1alpha1' as const,
        kind,
        metadata: { name },
        spec: {},
      };
      const parsed = parseDataPlaneFeatures(dataPlane as any);
      problems.push(...parsed.problems.map(p => ({ ...p, ...(entry ? { file: entry.file } : {}) })));
      features = parsed.features;
      cache.set(key, features);
    }
    return features;
  };
}

export type FeaturesOf = ReturnType<typeof dataPlaneFeaturesOf>;

/** A rendered binding as the cell builder and the decoration step need it. */
export function renderedBinding(
  model: RepositoryModel,
  item: BindingItem,
  target: BindingRenderTarget,
  objects: RenderedObject[],
  features: FeaturesOf,
): RenderedBinding {
  return {
    kind: item.kind,
    entry: item.entry,
    target,
    objects,
    features: features(target.dataPlaneKind, target.dataPlane, target.namespace),
    workload: workloadOf(model, item),
  };
}

/** What decorating one binding gives. */
export interface DecoratedBinding {
  /** Schema problems; an error means the binding's files are left out. */
  problems: ModelProblem[];
  failed: boolean;
  objects: number;
  /** Each file with its git blob id (for the index: computed where the file was written). */
  files: Array<[path: string, content: string, blobId: string]>;
}

function memberLabels(binding: RenderedBinding, member: CellMember): Record<string, string> {
  const { target } = binding;
  return {
    [CELL_LABELS.namespace]: target.namespace,
    [CELL_LABELS.project]: target.project,
    [CELL_LABELS.environment]: target.environment,
    ...(binding.kind === 'component' ? { [CELL_LABELS.component]: member.name } : { [CELL_LABELS.resource]: member.name }),
    [RELEASE_HASH_KEY]: target.releaseHash,
  };
}

export function schemaProblems(object: RenderedObject, entry: ModelEntry | undefined): ModelProblem[] {
  const errors = validateRenderedObject(object);
  if (errors !== undefined && errors.length === 0) return [];
  const what = `${object.apiVersion} ${object.kind} ${object.metadata.name}`;
  const where = entry
    ? {
        file: entry.file,
        resource: { kind: entry.resource.kind, name: entry.resource.metadata.name, ...(entry.namespace ? { namespace: entry.namespace } : {}) },
      }
    : {};
  if (errors === undefined) {
    return [{ severity: 'warning', ...where, message: `rendered ${what}: no schema known for this kind; not validated` }];
  }
  return errors.map(error => ({ severity: 'error' as const, ...where, message: `rendered ${what} fails its schema: ${error}` }));
}

/**
 * What Cellplane adds around one binding's objects (OpenTelemetry and Prometheus wiring, the
 * member's network policy, identifying labels), each object checked against its schema, and the
 * binding's files. Modifies `binding.objects`.
 */
export function decorateBinding(binding: RenderedBinding, member: CellMember, cell: Cell, timings: RenderTimings): DecoratedBinding {
  let mark = clock();
  const lap = (phase: keyof RenderTimings) => {
    const now = clock();
    timings[phase] += now - mark;
    mark = now;
  };
  const { target, entry } = binding;
  const dataPlaneObjects: RenderedObject[] = [];
  const observabilityObjects: RenderedObject[] = [];
  for (const object of binding.objects) {
    if (object.metadata.annotations?.[TARGET_PLANE_ANNOTATION] === 'observabilityplane') observabilityObjects.push(object);
    else dataPlaneObjects.push(object);
  }
  const identity: TelemetryIdentity = { ...target };
  wireTelemetry(dataPlaneObjects, identity, binding.features);
  const metrics = member.endpoints.filter(e => e.metrics).map(e => ({ name: e.name, port: e.port, path: e.metrics!.path }));
  const objects = [
    ...dataPlaneObjects,
    ...wireMetrics(dataPlaneObjects, metrics, member.podLabels, identity, binding.features),
    renderMemberPolicy(cell, member),
  ];
  const labels = memberLabels(binding, member);
  for (const object of objects) stampLabels(object, labels);
  for (const object of observabilityObjects) stampLabels(object, labels);
  lap('decorate');

  const problems: ModelProblem[] = [];
  for (const object of objects) problems.push(...schemaProblems(object, entry));
  for (const object of observabilityObjects) problems.push(...schemaProblems(object, entry));
  lap('validate');
  if (hasError(problems)) return { problems, failed: true, objects: 0, files: [] };
  const header = [`Rendered by Cellplane from ${sourceOf(entry)}; do not edit (yarn cellplane render).`, `Release hash: ${target.releaseHash}`];
  const file = (path: string, content: string): DecoratedBinding['files'][number] => [path, content, gitBlobId(content)];
  const files = [file(renderedLayout.memberFile(target, binding.kind), manifestFile(header, objects))];
  if (observabilityObjects.length > 0) {
    files.push(file(renderedLayout.observabilityFile(target), manifestFile(header, observabilityObjects)));
  }
  lap('yaml');
  return { problems, failed: false, objects: objects.length + observabilityObjects.length, files };
}

/**
 * The file a binding came from, for the header of its rendered file. A binding the model implies
 * (a Component with `autoDeploy: true` and no binding for its first environment) is in no file:
 * the header names the file that implies it.
 */
function sourceOf(entry: ModelEntry): string {
  // A local narrow type: `ModelEntry.implied` of @cellplane/backstage-plugin-node.
  const implied = (entry as { implied?: { by: { kind: string; name: string; file: string } } }).implied;
  if (!implied) return entry.file;
  return `${implied.by.file} (${implied.by.kind} ${implied.by.name} implies ${entry.resource.kind} ${entry.resource.metadata.name})`;
}

/** A git blob id, so an index of rendered files says which changed without reading them. */
export function gitBlobId(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
