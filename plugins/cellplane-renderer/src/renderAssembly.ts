import { createHash } from 'node:crypto';
import { ModelProblem } from '@cellplane/backstage-plugin-common';
import { DataPlaneFeatures } from './dataPlaneFeatures';
import { RENDERED_FOLDER, RepositoryModel } from '@cellplane/backstage-plugin-node';
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
import { BindingRenderTarget, RELEASE_HASH_KEY, RenderedObject } from './template';
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

  constructor(private readonly model: RepositoryModel) {
    this.features = dataPlaneFeaturesOf(model, this.problems);
  }

  /** A binding's template result; returns the binding for the cells when it rendered objects. */
  takeTemplates(
    item: BindingItem,
    problems: ModelProblem[],
    rendered: { target: BindingRenderTarget; objects: RenderedObject[] } | undefined,
  ): RenderedBinding | undefined {
    this.problems.push(...problems);
    if (hasError(problems)) this.failedBindings += 1;
    if (!rendered) return undefined;
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
    let objectCount = this.objectCount;
    const synced = this.synced;
    // 3. Cell-wide objects; their "release" is the cell's content.
    for (const cell of cells) {
      const binding = this.firstBindingOf.get(cell.kubernetesNamespace)!;
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

    files.set(renderedLayout.indexFile, indexOf(files, this.blobIds));
    return {
      files: new Map([...files].sort(([a], [b]) => compareText(a, b))),
      problems,
      stats: { bindings, failedBindings: this.failedBindings, objects: objectCount, cells: cells.length },
      timings,
    };
  }
}

/** `<blob id> <path>` per rendered file, sorted: lets a writer find stale files without listing the tree. */
function indexOf(files: Map<string, string>, blobIds: Map<string, string>): string {
  return [...files.keys()]
    .filter(path => path !== renderedLayout.indexFile)
    .sort()
    .map(path => `${blobIds.get(path) ?? gitBlobId(files.get(path)!)} ${path}\n`)
    .join('');
}
