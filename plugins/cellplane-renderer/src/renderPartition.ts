import type { ModelProblem } from '@cellplane/backstage-plugin-common';
import type { RepositoryModel } from '@cellplane/backstage-plugin-node';
import type { RenderedBinding } from './cells/buildCells';
import type { Cell, CellMember } from './cells/cell';
import {
  BindingItem,
  bindingItems,
  dataPlaneFeaturesOf,
  DecoratedBinding,
  decorateBinding,
  FeaturesOf,
  isRendered,
  renderBindingTemplates,
  renderedBinding,
  RenderTimings,
} from './renderPhases';
import type { BindingRenderTarget, RenderedObject } from './template/types';
import { isRetained } from './template/retain';

/** One binding's template result, as the main thread needs it. */
export interface TemplateSummary {
  index: number;
  problems: ModelProblem[];
  /** Set when the binding rendered objects. */
  target?: BindingRenderTarget;
  /** A resource binding's Services: the cell builder reads its ports from them. */
  services?: RenderedObject[];
  /** Whether its objects are kept when they leave Git (`retainPolicy: Retain`). */
  retained?: boolean;
}

/** A binding to decorate: its index in render order, its cell member and its cell. */
export interface DecorateRequest {
  index: number;
  member: CellMember;
  cell: Cell;
}

/**
 * The bindings one thread renders in a parallel render (renderInParallel.ts): it renders the
 * templates of the ranges it is handed, keeps the objects, and decorates them once the cells
 * are known. The main thread runs one, each worker thread another.
 */
export class RenderPartition {
  readonly items: BindingItem[];
  private readonly features: FeaturesOf;
  private readonly kept = new Map<number, RenderedBinding>();

  constructor(readonly model: RepositoryModel) {
    this.items = bindingItems(model);
    this.features = dataPlaneFeaturesOf(model, []); // the main thread reports their problems
  }

  templates(from: number, to: number): TemplateSummary[] {
    const summaries: TemplateSummary[] = [];
    for (let index = from; index < to; index++) {
      const item = this.items[index];
      const result = renderBindingTemplates(this.model, item);
      const summary: TemplateSummary = { index, problems: result.problems };
      if (isRendered(result)) {
        this.kept.set(index, renderedBinding(this.model, item, result.target, result.objects, this.features));
        summary.target = result.target;
        if (item.kind === 'resource') summary.services = result.objects.filter(o => o.apiVersion === 'v1' && o.kind === 'Service');
        if (result.objects.some(isRetained)) summary.retained = true;
      }
      summaries.push(summary);
    }
    return summaries;
  }

  decorate(requests: DecorateRequest[], timings: RenderTimings): Array<{ index: number; decorated: DecoratedBinding }> {
    return requests.map(({ index, member, cell }) => {
      const binding = this.kept.get(index);
      if (!binding) throw new Error(`binding ${index} was not rendered by this partition`);
      this.kept.delete(index);
      return { index, decorated: decorateBinding(binding, member, cell, timings) };
    });
  }
}
