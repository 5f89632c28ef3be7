import { createHash } from 'node:crypto';
import { ModelProblem } from '@cellplane/backstage-plugin-common';
import { DataPlaneFeatures } from './dataPlaneFeatures';
import { ModelEntry, RENDERED_FOLDER, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { buildCells, RenderedBinding } from './cells/buildCells';
import { Cell, CELL_LABELS } from './cells/cell';
import { renderCellObjects } from './cells/renderCell';
import { renderDeliveryObjects } from './delivery/delivery';
import { compareText, manifestFile } from './manifestYaml';
import {
  BindingItem,
  dataPlaneFeaturesOf,
  DecoratedBinding,
  FeaturesOf,
  gitBlobId,
  hasError,
  renderedBinding,
  RenderTimings,
  schemaProblems,
} from './renderPhases';
import type { RenderedRepository, RenderRepositoryOptions } from './types';
import {
  assumedDataPlaneProblems,
  BindingRenderTarget,
  imagePullSecretProblems,
  RELEASE_HASH_KEY,
  RenderedObject,
  renderProjectReleaseBinding,
  retainObjects,
} from './template';
import { stampLabels } from './workloads';
import { renderedLayout } from './renderedLayout';

/**
 * Collects the results of the per-binding steps in render order, whichever thread computed
 * them, and renders what spans bindings: cells, their shared objects, delivery bootstrap, index.
 */
export class RenderAssembly {
  readonly problems: ModelProblem[] = [];
  readonly features: FeaturesOf;
  private readonly files = new Map<string, string>();
  private readonly blobIds = new Map<string, string>();
  private failedBindings = 0;
  private objectCount = 0;
  private readonly synced = new Map<string, { features: DataPlaneFeatures; targets: Map<string, { namespace: string; environment: string; path: string }> }>();
  private firstBindingOf = new Map<string, RenderedBinding>();
  /** Cell namespaces holding retained objects: deleting the Namespace would delete them too. */
  private readonly retainedNamespaces = new Set<string>();

  constructor(private readonly model: RepositoryModel) {
    // Once per environment, not per binding: which data plane was assumed and what it has.
    this.problems.push(...assumedDataPlaneProblems(model), ...imagePullSecretProblems(model));
    this.features = dataPlaneFeaturesOf(model, this.problems);
  }

  /** A binding's template result; returns the binding for the cells when it rendered objects. */
  takeTemplates(
    item: BindingItem,
    problems: ModelProblem[],
    rendered: { target: BindingRenderTarget; objects: RenderedObject[]; retained: boolean } | undefined,
  ): RenderedBinding | undefined {
    this.problems.push(...problems);
    if (hasError(problems)) this.failedBindings += 1;
    if (!rendered) return undefined;
    if (rendered.retained) this.retainedNamespaces.add(rendered.target.kubernetesNamespace);
    return renderedBinding(this.model, item, rendered.target, rendered.objects, this.features);
  }

  buildCells(rendered: RenderedBinding[]) {
    const built = buildCells(rendered);
    for (const binding of rendered) {
      if (!this.firstBindingOf.has(binding.target.kubernetesNamespace)) this.firstBindingOf.set(binding.target.kubernetesNamespace, binding);
    }
    this.problems.push(...built.problems);
    return built;
  }

  takeDecorated(binding: RenderedBinding, decorated: DecoratedBinding): void {
    this.problems.push(...decorated.problems);
    if (decorated.failed) {
      this.failedBindings += 1;
      return;
    }
    this.objectCount += decorated.objects;
    for (const [path, content, blobId] of decorated.files) {
      this.files.set(path, content);
      this.blobIds.set(path, blobId);
    }
    const { target } = binding;
    const plane = renderedLayout.dataPlaneFolder(target);
    const sync = this.synced.get(plane) ?? { features: binding.features, targets: new Map() };
    sync.targets.set(`${target.namespace}/${target.environment}`, {
      namespace: target.namespace,
      environment: target.environment,
      path: renderedLayout.environmentFolder(target),
    });
    this.synced.set(plane, sync);
  }

  finish(cells: Cell[], bindings: number, timings: RenderTimings, options: RenderRepositoryOptions): RenderedRepository {
    const { problems, files } = this;
    const projects = this.renderProjects();
    const synced = this.synced;
    // 3. Cell-wide objects; their "release" is the cell's content.
    for (const cell of cells) {
      const binding = this.firstBindingOf.get(cell.kubernetesNamespace)!;
      const objects = renderCellObjects(cell);
      // objects[0] is the cell's Namespace: pruning it would delete the retained objects inside.
      if (this.retainedNamespaces.has(cell.kubernetesNamespace)) retainObjects([objects[0]]);
      const project = projects.find(
        p => p.target.kubernetesNamespace === cell.kubernetesNamespace && sameDataPlane(p.target, binding.target),
      );
      if (project) project.objects = mergeCellNamespace(objects[0], project.objects);
      const hash = createHash('sha256').update(JSON.stringify(objects)).digest('hex').slice(0, 16);
      const labels = {
        [CELL_LABELS.namespace]: cell.namespace,
        [CELL_LABELS.project]: cell.project,
        [CELL_LABELS.environment]: cell.environment,
        [RELEASE_HASH_KEY]: hash,
      };
      for (const object of objects) stampLabels(object, labels);
      for (const object of objects) problems.push(...schemaProblems(object, undefined));
      this.objectCount += objects.length;
      files.set(
        renderedLayout.cellFile(binding.target),
        manifestFile([`Rendered by Cellplane: the cell of project ${cell.project} in ${cell.environment}; do not edit.`], objects),
      );
    }

    // 4. Project-level objects (ProjectReleaseBindings), in the cell namespace of each.
    for (const project of projects) this.takeProject(project);

    // 5. Delivery bootstrap per data plane.
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
      this.objectCount += objects.length;
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

    files.set(renderedLayout.indexFile, indexOf(files, this.blobIds));
    return {
      files: new Map([...files].sort(([a], [b]) => compareText(a, b))),
      problems,
      stats: {
        bindings: bindings + this.model.list('ProjectReleaseBinding').length,
        failedBindings: this.failedBindings,
        objects: this.objectCount,
        cells: cells.length,
      },
      timings,
    };
  }

  /**
   * Every ProjectReleaseBinding's objects, rendered here (one per project and environment, so
   * few): they belong to no cell member, carry no network policy, and one of them may be the
   * cell's own Namespace.
   */
  private renderProjects(): ProjectObjects[] {
    const rendered: ProjectObjects[] = [];
    const entries = [...this.model.list('ProjectReleaseBinding')].sort(
      (a, b) => compareText(a.file, b.file) || a.documentIndex - b.documentIndex,
    );
    for (const entry of entries) {
      const result = renderProjectReleaseBinding(this.model, entry);
      this.problems.push(...result.problems);
      if (hasError(result.problems)) this.failedBindings += 1;
      else if (result.target && result.objects.length > 0) rendered.push({ entry, target: result.target, objects: result.objects });
    }
    return rendered;
  }

  /** A project's objects: checked against their schemas, written to `<project>/project.yaml`, synced. */
  private takeProject({ entry, target, objects }: ProjectObjects): void {
    const labels = {
      [CELL_LABELS.namespace]: target.namespace,
      [CELL_LABELS.project]: target.project,
      [CELL_LABELS.environment]: target.environment,
      [RELEASE_HASH_KEY]: target.releaseHash,
    };
    for (const object of objects) stampLabels(object, labels);
    const problems = objects.flatMap(object => schemaProblems(object, entry));
    this.problems.push(...problems);
    if (hasError(problems)) {
      this.failedBindings += 1;
      return;
    }
    if (objects.length === 0) return;
    const header = [`Rendered by Cellplane from ${entry.file}; do not edit (yarn cellplane render).`, `Release hash: ${target.releaseHash}`];
    this.files.set(renderedLayout.projectFile(target), manifestFile(header, objects));
    this.objectCount += objects.length;
    const plane = renderedLayout.dataPlaneFolder(target);
    const sync = this.synced.get(plane) ?? {
      features: this.features(target.dataPlaneKind, target.dataPlane, target.namespace),
      targets: new Map(),
    };
    sync.targets.set(`${target.namespace}/${target.environment}`, {
      namespace: target.namespace,
      environment: target.environment,
      path: renderedLayout.environmentFolder(target),
    });
    this.synced.set(plane, sync);
  }
}

/** What a ProjectReleaseBinding rendered. */
interface ProjectObjects {
  entry: ModelEntry;
  target: BindingRenderTarget;
  objects: RenderedObject[];
}

function sameDataPlane(a: BindingRenderTarget, b: BindingRenderTarget): boolean {
  return a.dataPlaneKind === b.dataPlaneKind && a.dataPlane === b.dataPlane;
}

/**
 * A ProjectType may render the cell's Namespace itself (OpenChoreo's project pipeline mandates
 * one named `${metadata.cellNamespace}`), and the cell renders it too: one Namespace object is
 * kept, the cell's, with the project's labels and annotations added (the cell's labels win: its
 * network policies select namespaces by them). Returns the project's other objects.
 */
function mergeCellNamespace(cellNamespace: RenderedObject, projectObjects: RenderedObject[]): RenderedObject[] {
  const isCellNamespace = (o: RenderedObject) =>
    o.apiVersion === 'v1' && o.kind === 'Namespace' && o.metadata.name === cellNamespace.metadata.name;
  for (const own of projectObjects.filter(isCellNamespace)) {
    cellNamespace.metadata.labels = { ...(own.metadata.labels ?? {}), ...(cellNamespace.metadata.labels ?? {}) };
    const annotations = { ...(own.metadata.annotations ?? {}), ...(cellNamespace.metadata.annotations ?? {}) };
    if (Object.keys(annotations).length > 0) cellNamespace.metadata.annotations = annotations;
  }
  return projectObjects.filter(o => !isCellNamespace(o));
}

/** `<blob id> <path>` per rendered file, sorted: lets a writer find stale files without listing the tree. */
function indexOf(files: Map<string, string>, blobIds: Map<string, string>): string {
  return [...files.keys()]
    .filter(path => path !== renderedLayout.indexFile)
    .sort()
    .map(path => `${blobIds.get(path) ?? gitBlobId(files.get(path)!)} ${path}\n`)
    .join('');
}
