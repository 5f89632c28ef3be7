import type { ModelProblem } from '@cellplane/backstage-plugin-common';

/*
 * The options and result of a repository render. The sequential render (renderRepository.ts),
 * the parallel one (renderInParallel.ts) and the assembly they share (renderAssembly.ts) all use
 * them, so they live here, in a module that imports none of those.
 */

/**
 * How `renderRepository` renders: where delivery syncs from, and on how many threads.
 *
 * @public
 */
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

/**
 * What `renderRepository` returns: the files of `rendered/`, the problems, and counts.
 *
 * @public
 */
export interface RenderedRepository {
  /** Repository path → file content, every file of `rendered/` (the index included). */
  files: Map<string, string>;
  /** Render problems: an error means that binding rendered nothing. */
  problems: ModelProblem[];
  /** Bindings rendered and failed, Kubernetes objects written, cells built. */
  stats: { bindings: number; failedBindings: number; objects: number; cells: number };
  /** Seconds spent per phase: where a render's time goes (with workers: summed over them). */
  timings: { templates: number; cells: number; decorate: number; validate: number; yaml: number };
}
