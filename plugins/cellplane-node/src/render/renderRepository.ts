import { createHash } from 'node:crypto';
import {
  DataPlaneFeatures,
  ModelProblem,
  parseDataPlaneFeatures,
  ResourceOfKind,
} from '@cellplane/backstage-plugin-common';
import type { ModelEntry, RepositoryModel } from '../repository/RepositoryModel';
import { RENDERED_FOLDER } from '../layout/gitOpsLayout';
import { buildCells, RenderedBinding } from './cells/buildCells';
import { CELL_LABELS, CellMember } from './cells/cell';
import { renderCellObjects, renderMemberPolicy } from './cells/renderCell';
import { renderDeliveryObjects } from './delivery/delivery';
import { compareText, manifestFile } from './manifestYaml';
import { TelemetryIdentity, wireMetrics, wireTelemetry } from './observability/observability';
import {
  BindingRenderResult,
  RELEASE_HASH_KEY,
  RenderedObject,
  renderReleaseBinding,
  renderResourceReleaseBinding,
  TARGET_PLANE_ANNOTATION,
} from './template';
import { loadRenderedObjectSchemas, validateRenderedObject } from './validate/validateObject';
import { stampLabels } from './workloads';
import { renderedLayout } from './renderedLayout';

/** @public */
export interface RenderRepositoryOptions {
  /**
   * The repository and branch Argo CD or Flux sync from, for the bootstrap objects. Default: each
   * data plane's `cellplane.dev/delivery-repository` and `-branch` annotations.
   */
  delivery?: { repository?: string; branch?: string };
}

/** @public */
export interface RenderedRepository {
  /** Repository path → file content, every file of `rendered/` (the index included). */
  files: Map<string, string>;
  /** Render problems: an error means that binding rendered nothing. */
  problems: ModelProblem[];
  stats: { bindings: number; failedBindings: number; objects: number; cells: number };
  /** Seconds spent per phase: where a render's time goes. */
  timings: { templates: number; cells: number; decorate: number; validate: number; yaml: number };
}

const clock = () => Number(process.hrtime.bigint()) / 1e9;

type BindingEntry = ModelEntry<ResourceOfKind<'ReleaseBinding'>> | ModelEntry<ResourceOfKind<'ResourceReleaseBinding'>>;

const byFile = (a: ModelEntry, b: ModelEntry) => compareText(a.file, b.file) || a.documentIndex - b.documentIndex;

/** A git blob id, so an index of rendered files says which changed without reading them. */
export function gitBlobId(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * Renders a whole repository: every ReleaseBinding and ResourceReleaseBinding through the
 * template engine, then what Cellplane adds around them (cells with zero-trust network
 * policies and mTLS, OpenTelemetry and Prometheus wiring, identifying labels, delivery
 * bootstrap), each object checked against its schema. Deterministic: the same model gives the
 * same bytes. Never throws for content; problems are returned.
 *
 * @public
 */
export async function renderRepository(
  model: RepositoryModel,
  options: RenderRepositoryOptions = {},
): Promise<RenderedRepository> {
  await loadRenderedObjectSchemas();
  const problems: ModelProblem[] = [];
  const features = dataPlaneFeaturesOf(model, problems);
  const timings = { templates: 0, cells: 0, decorate: 0, validate: 0, yaml: 0 };
  let mark = clock();
  const lap = (phase: keyof typeof timings) => {
    const now = clock();
    timings[phase] += now - mark;
    mark = now;
  };

  // 1. Render every binding with the template engine.
  const rendered: RenderedBinding[] = [];
  let failedBindings = 0;
  const take = (kind: RenderedBinding['kind'], entry: BindingEntry, result: BindingRenderResult) => {
    problems.push(...result.problems);
    if (result.problems.some(p => p.severity === 'error')) failedBindings += 1;
    if (!result.target || result.objects.length === 0) return;
    const { target } = result;
    rendered.push({
      kind,
      entry,
      target,
      objects: result.objects,
      features: features(target.dataPlaneKind, target.dataPlane, target.namespace),
      workload: kind === 'component' ? workloadOf(model, entry as ModelEntry<ResourceOfKind<'ReleaseBinding'>>) : undefined,
    });
  };
  const bindings = [...model.list('ReleaseBinding')].sort(byFile);
  const resourceBindings = [...model.list('ResourceReleaseBinding')].sort(byFile);
  for (const entry of bindings) take('component', entry, renderReleaseBinding(model, entry));
  for (const entry of resourceBindings) take('resource', entry, renderResourceReleaseBinding(model, entry));
  lap('templates');

  // 2. Cells, and each member's decorations.
  const { cells, members, problems: cellProblems } = buildCells(rendered);
  const cellOf = new Map(cells.flatMap(cell => cell.members.map(member => [member, cell] as const)));
  const firstBindingOf = new Map<string, RenderedBinding>();
  for (const binding of rendered) if (!firstBindingOf.has(binding.target.kubernetesNamespace)) firstBindingOf.set(binding.target.kubernetesNamespace, binding);
  problems.push(...cellProblems);
  lap('cells');
  const files = new Map<string, string>();
  let objectCount = 0;
  const synced = new Map<string, { features: DataPlaneFeatures; targets: Map<string, { namespace: string; environment: string; path: string }> }>();

  for (const binding of rendered) {
    const { target, entry } = binding;
    const member = members.get(binding)!;
    const cell = cellOf.get(member)!;
    const dataPlaneObjects = binding.objects.filter(o => o.metadata.annotations?.[TARGET_PLANE_ANNOTATION] !== 'observabilityplane');
    const observabilityObjects = binding.objects.filter(o => !dataPlaneObjects.includes(o));
    const identity: TelemetryIdentity = { ...target };
    wireTelemetry(dataPlaneObjects, identity, binding.features);
    const metrics = member.endpoints.filter(e => e.metrics).map(e => ({ name: e.name, port: e.port, path: e.metrics!.path }));
    const objects = [
      ...dataPlaneObjects,
      ...wireMetrics(dataPlaneObjects, metrics, member.podLabels, identity, binding.features),
      renderMemberPolicy(cell, member),
    ];
    const labels = memberLabels(binding, member);
    for (const object of [...objects, ...observabilityObjects]) stampLabels(object, labels);
    lap('decorate');

    const failures = [...objects, ...observabilityObjects].flatMap(object => schemaProblems(object, entry));
    lap('validate');
    if (failures.some(p => p.severity === 'error')) {
      problems.push(...failures);
      failedBindings += 1;
      continue;
    }
    problems.push(...failures);
    objectCount += objects.length + observabilityObjects.length;
    const header = [`Rendered by Cellplane from ${entry.file}; do not edit (yarn cellplane render).`, `Release hash: ${target.releaseHash}`];
    files.set(renderedLayout.memberFile(target, binding.kind), manifestFile(header, objects));
    if (observabilityObjects.length > 0) {
      files.set(renderedLayout.observabilityFile(target), manifestFile(header, observabilityObjects));
    }
    lap('yaml');
    const plane = renderedLayout.dataPlaneFolder(target);
    const sync = synced.get(plane) ?? { features: binding.features, targets: new Map() };
    sync.targets.set(`${target.namespace}/${target.environment}`, {
      namespace: target.namespace,
      environment: target.environment,
      path: renderedLayout.environmentFolder(target),
    });
    synced.set(plane, sync);
  }

  // 3. Cell-wide objects; their "release" is the cell's content.
  for (const cell of cells) {
    const binding = firstBindingOf.get(cell.kubernetesNamespace)!;
    const objects = renderCellObjects(cell);
    const hash = createHash('sha256').update(JSON.stringify(objects)).digest('hex').slice(0, 16);
    const labels = {
      [CELL_LABELS.namespace]: cell.namespace,
      [CELL_LABELS.project]: cell.project,
      [CELL_LABELS.environment]: cell.environment,
      [RELEASE_HASH_KEY]: hash,
    };
    for (const object of objects) stampLabels(object, labels);
    for (const object of objects) problems.push(...schemaProblems(object, undefined));
    objectCount += objects.length;
    files.set(
      renderedLayout.cellFile(binding.target),
      manifestFile([`Rendered by Cellplane: the cell of project ${cell.project} in ${cell.environment}; do not edit.`], objects),
    );
  }

  // 4. Delivery bootstrap per data plane.
  for (const [plane, { features: planeFeatures, targets }] of [...synced].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (planeFeatures.delivery.tool === 'none') continue;
    const repository = options.delivery?.repository ?? planeFeatures.delivery.repository;
    const branch = options.delivery?.branch ?? planeFeatures.delivery.branch;
    if (!repository) {
      problems.push({
        severity: 'warning',
        message: `data plane ${plane}: no repository to deliver from; set the cellplane.dev/delivery-repository annotation or pass --repo-url. No bootstrap rendered.`,
      });
      continue;
    }
    const sorted = [...targets.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    const objects = renderDeliveryObjects(planeFeatures, { repository, branch }, sorted);
    for (const object of objects) problems.push(...schemaProblems(object, undefined));
    objectCount += objects.length;
    files.set(
      renderedLayout.bootstrapFile(plane),
      manifestFile(
        [
          `Rendered by Cellplane: apply once to the data plane's cluster (kubectl apply -f <this file>);`,
          `${planeFeatures.delivery.tool} then syncs ${RENDERED_FOLDER}/${plane}/<namespace>/<environment>/ from ${repository} (${branch}).`,
        ],
        objects,
      ),
    );
  }

  files.set(renderedLayout.indexFile, indexOf(files));
  return {
    files: new Map([...files].sort(([a], [b]) => compareText(a, b))),
    problems,
    stats: { bindings: bindings.length + resourceBindings.length, failedBindings, objects: objectCount, cells: cells.length },
    timings,
  };
}

/** `<blob id> <path>` per rendered file, sorted: lets a writer find stale files without listing the tree. */
function indexOf(files: Map<string, string>): string {
  return [...files.keys()]
    .filter(path => path !== renderedLayout.indexFile)
    .sort()
    .map(path => `${gitBlobId(files.get(path)!)} ${path}\n`)
    .join('');
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

function schemaProblems(object: RenderedObject, entry: ModelEntry | undefined): ModelProblem[] {
  const errors = validateRenderedObject(object);
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

/** The workload a binding renders: its ComponentRelease's snapshot, or the component's Workload. */
function workloadOf(model: RepositoryModel, entry: ModelEntry<ResourceOfKind<'ReleaseBinding'>>) {
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
function dataPlaneFeaturesOf(model: RepositoryModel, problems: ModelProblem[]) {
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
