import type { ModelProblem } from '@cellplane/backstage-plugin-common';
import type { RepositoryModel } from '@cellplane/backstage-plugin-node';
import type { RenderedBinding } from './cells/buildCells';
import { RenderAssembly } from './renderAssembly';
import { canRenderInParallel, renderInParallel, RenderWorkerError } from './renderInParallel';
import {
  bindingItems,
  clock,
  decorateBinding,
  gitBlobId,
  isRendered,
  renderBindingTemplates,
  RenderTimings,
} from './renderPhases';
import { loadRenderedObjectSchemas } from './validate/validateObject';
import { EventLoopSlicer } from '@cellplane/backstage-plugin-node';

export { gitBlobId };

/** @public */
export interface RenderRepositoryOptions {
  /**
   * The repository and branch Argo CD or Flux sync from, for the bootstrap objects. Default: each
   * data plane's `cellplane.dev/delivery-repository` and `-branch` annotations.
   */
  delivery?: { repository?: string; branch?: string };
  /**
   * Worker threads to render on (default 1: in this thread). Large repositories render faster on
   * several cores; the output is the same bytes. Workers load TypeScript sources through tsx
   * when run from source.
   */
  workers?: number;
}

/** @public */
export interface RenderedRepository {
  /** Repository path → file content, every file of `rendered/` (the index included). */
  files: Map<string, string>;
  /** Render problems: an error means that binding rendered nothing. */
  problems: ModelProblem[];
  stats: { bindings: number; failedBindings: number; objects: number; cells: number };
  /** Seconds spent per phase: where a render's time goes (with workers: summed over them). */
  timings: { templates: number; cells: number; decorate: number; validate: number; yaml: number };
}

/**
 * Renders a whole repository: every ReleaseBinding and ResourceReleaseBinding through the
 * template engine, then what Cellplane adds around them (cells with zero-trust network
 * policies and mTLS, OpenTelemetry and Prometheus wiring, identifying labels, delivery
 * bootstrap), each object checked against its schema. Deterministic: the same model gives the
 * same bytes, with or without workers. Never throws for content; problems are returned.
 *
 * @public
 */
export async function renderRepository(
  model: RepositoryModel,
  options: RenderRepositoryOptions = {},
): Promise<RenderedRepository> {
  const items = bindingItems(model);
  if ((options.workers ?? 1) > 1 && items.length > 1 && canRenderInParallel()) {
    try {
      return await renderInParallel(model, options, options.workers!);
    } catch (error) {
      if (!(error instanceof RenderWorkerError)) throw error;
      // Threads are an optimisation: without them the render is the same, only slower.
      const rendered = await renderRepository(model, { ...options, workers: 1 });
      rendered.problems.push({ severity: 'warning', message: `${error.message}; rendered in one thread instead` });
      return rendered;
    }
  }
  await loadRenderedObjectSchemas();
  const timings: RenderTimings = { templates: 0, cells: 0, decorate: 0, validate: 0, yaml: 0 };
  const assembly = new RenderAssembly(model);

  // In the backend a write renders in this thread: it pauses between bindings so the backend
  // keeps answering requests while it renders.
  const slicer = new EventLoopSlicer();

  // 1. Render every binding with the template engine.
  let mark = clock();
  const rendered: RenderedBinding[] = [];
  for (const item of items) {
    await slicer.yieldIfDue();
    const result = renderBindingTemplates(model, item);
    const binding = assembly.takeTemplates(item, result.problems, isRendered(result) ? result : undefined);
    if (binding) rendered.push(binding);
  }
  timings.templates += clock() - mark;

  // 2. Cells, and each member's decorations.
  mark = clock();
  const { cells, members } = assembly.buildCells(rendered);
  timings.cells += clock() - mark;
  const cellOf = new Map(cells.flatMap(cell => cell.members.map(member => [member, cell] as const)));
  for (const binding of rendered) {
    await slicer.yieldIfDue();
    const member = members.get(binding)!;
    assembly.takeDecorated(binding, decorateBinding(binding, member, cellOf.get(member)!, timings));
  }
  return assembly.finish(cells, items.length, timings, options);
}
