import { EventLoopSlicer, RepositoryModel } from '@cellplane/backstage-plugin-node';
import type { RenderedBinding } from './cells/buildCells';
import { RenderAssembly } from './renderAssembly';
import { canRenderInParallel, renderInParallel, RenderWorkerError } from './renderInParallel';
import { bindingItems, clock, decorateBinding, isRendered, renderBindingTemplates, RenderTimings } from './renderPhases';
import type { RenderedRepository, RenderRepositoryOptions } from './types';
import { loadRenderedObjectSchemas } from './validate/validateObject';
import { isRetained } from './template/retain';

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
    const templates = isRendered(result) ? { ...result, retained: result.objects.some(isRetained) } : undefined;
    const binding = assembly.takeTemplates(item, result.problems, templates);
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
