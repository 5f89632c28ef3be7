import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import type { RenderedBinding } from './cells/buildCells';
import type { Cell, CellMember } from './cells/cell';
import { RenderAssembly } from './renderAssembly';
import { DecorateRequest, RenderPartition, TemplateSummary } from './renderPartition';
import { BindingItem, clock, DecoratedBinding, RenderTimings } from './renderPhases';
import type { RenderedRepository, RenderRepositoryOptions } from './types';
import { RENDER_WORKER_FLAG, RenderWorkerRequest, RenderWorkerResponse } from './renderWorker';
import { loadRenderedObjectSchemas } from './validate/validateObject';

/**
 * `renderRepository(model, { workers: n })`: the main thread and n - 1 worker threads each run a
 * RenderPartition. Template rendering is handed out in chunks of bindings to whichever thread is
 * free; the main thread builds the cells from every binding (dependencies cross partitions) and
 * sends each partition the members it rendered; the partitions decorate, validate and write
 * YAML. The main thread takes every result in the sequential render's order (problems, files,
 * counts), so the output is the same bytes as without workers.
 */

/**
 * Where the worker module is, beside this file with the same suffix: `renderWorker.ts` from
 * source (through tsx, as the repository's scripts and tests run), `renderWorker.cjs.js` in a
 * package built by backstage-cli (one file per module, each named `<module>.cjs.js`).
 */
export function workerEntryBeside(file: string): string {
  const name = basename(file);
  const suffix = name.slice(name.indexOf('.')) || '.js';
  return join(dirname(file), `renderWorker${suffix}`);
}

// eslint-disable-next-line no-restricted-syntax
const WORKER_ENTRY = workerEntryBeside(__filename);

/** Loads the worker module; TypeScript sources through tsx's require hook. */
const BOOT = `
const { workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const requireHere = createRequire(workerData.entry);
if (/\\.[cm]?tsx?$/.test(workerData.entry)) requireHere('tsx/cjs/api').register();
requireHere(workerData.entry);
`;

/** Bindings per chunk of template work: small enough to balance, large enough to cost little. */
const CHUNK = 250;

/** A worker thread could not start or failed (not a problem of the repository's content). */
export class RenderWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderWorkerError';
  }
}

type Response<T extends RenderWorkerResponse['type']> = Extract<RenderWorkerResponse, { type: T }>;

/** A worker thread running a RenderPartition; one request at a time. */
class RenderWorker {
  private readonly worker: Worker;
  private pending?: { resolve(response: RenderWorkerResponse): void; reject(error: Error): void };
  dead = false;
  /** The model the worker holds. */
  model?: WeakRef<RepositoryModel>;

  constructor(entry = WORKER_ENTRY) {
    this.worker = new Worker(BOOT, { eval: true, execArgv: [], workerData: { entry, [RENDER_WORKER_FLAG]: true } });
    this.worker.on('message', (response: RenderWorkerResponse) => {
      const pending = this.pending;
      this.pending = undefined;
      if (response.type === 'error') pending?.reject(new RenderWorkerError(`render worker failed: ${response.message}`));
      else pending?.resolve(response);
    });
    const fail = (error: Error) => {
      this.dead = true;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(error instanceof RenderWorkerError ? error : new RenderWorkerError(`render worker failed: ${error.message}`));
    };
    this.worker.on('error', fail);
    this.worker.on('exit', code => fail(new RenderWorkerError(`render worker exited (code ${code})`)));
  }

  request<T extends RenderWorkerResponse['type']>(request: RenderWorkerRequest): Promise<Response<T>> {
    if (this.dead) return Promise.reject(new RenderWorkerError('render worker is not running'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve: resolve as (response: RenderWorkerResponse) => void, reject };
      this.worker.postMessage(request);
    });
  }

  /** An idle worker does not keep the process alive. */
  hold(busy: boolean) {
    if (busy) this.worker.ref();
    else this.worker.unref();
  }

  terminate() {
    this.dead = true;
    return this.worker.terminate();
  }
}

/** Idle workers, kept between renders. */
const idle: RenderWorker[] = [];

/** Stops the idle render workers (they do not keep a process alive; tests stop them anyway). */
export async function closeRenderWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map(worker => worker.terminate()));
}

/** Whether worker threads can run here (the worker module exists next to this one). */
export function canRenderInParallel(): boolean {
  return existsSync(WORKER_ENTRY);
}

/** Contiguous ranges of `count` items in `parts` parts, as even as possible. */
export function splitRanges(count: number, parts: number): Array<{ from: number; to: number }> {
  const ranges: Array<{ from: number; to: number }> = [];
  for (let part = 0; part < parts; part++) {
    const from = Math.floor((count * part) / parts);
    const to = Math.floor((count * (part + 1)) / parts);
    if (to > from) ranges.push({ from, to });
  }
  return ranges;
}

/** A partition as the main thread drives it: in this thread or in a worker. */
interface Partition {
  templates(from: number, to: number): Promise<TemplateSummary[]>;
  decorate(requests: DecorateRequest[]): Promise<{ results: Array<{ index: number; decorated: DecoratedBinding }>; timings: RenderTimings }>;
}

const yieldToEvents = () => new Promise<void>(resolve => setImmediate(resolve));

function localPartition(model: RepositoryModel): Partition {
  const partition = new RenderPartition(model);
  return {
    async templates(from, to) {
      await yieldToEvents(); // lets the workers' replies in between chunks
      return partition.templates(from, to);
    },
    async decorate(requests) {
      const timings: RenderTimings = { templates: 0, cells: 0, decorate: 0, validate: 0, yaml: 0 };
      return { results: partition.decorate(requests, timings), timings };
    },
  };
}

function workerPartition(worker: RenderWorker): Partition {
  return {
    templates: async (from, to) => (await worker.request<'templates'>({ type: 'templates', from, to })).summaries,
    decorate: requests => worker.request<'decorate'>({ type: 'decorate', requests }),
  };
}

/**
 * A model's bare cells for the partitions: a member's policy needs its cell, not the other
 * members, and structured cloning copies each shared cell once per message.
 */
function bareCells(cells: Cell[]): Map<CellMember, Cell> {
  const cellOf = new Map<CellMember, Cell>();
  for (const cell of cells) {
    const bare = { ...cell, members: [] };
    for (const member of cell.members) cellOf.set(member, bare);
  }
  return cellOf;
}

/** How the work is shared out; tests use small chunks and keep the main thread out of it. */
export interface ParallelTuning {
  /** Bindings per chunk of template work. */
  chunk?: number;
  /** Whether the main thread renders chunks too (default true). */
  local?: boolean;
  /** The worker module (tests: one that fails); workers for it are not pooled. */
  workerEntry?: string;
}

/** Workers for a render: from the pool, or new ones for a test's worker module (never pooled). */
function takeWorkers(count: number, tuning: ParallelTuning): RenderWorker[] {
  const workers: RenderWorker[] = [];
  while (workers.length < count) {
    workers.push(tuning.workerEntry ? new RenderWorker(tuning.workerEntry) : idle.pop() ?? new RenderWorker());
  }
  for (const worker of workers) worker.hold(true);
  return workers;
}

/** Workers go back to the pool after a render; after a failure they may be mid-request, so they stop. */
async function releaseWorkers(workers: RenderWorker[], finished: boolean, tuning: ParallelTuning): Promise<void> {
  for (const worker of workers) {
    if (finished && !worker.dead && !tuning.workerEntry) {
      worker.hold(false);
      idle.push(worker);
    } else await worker.terminate();
  }
}

/**
 * The partitions of a render: this thread's first, then one per worker, ready once the worker
 * holds the model. Workers get the model while this thread starts on the templates.
 */
function startPartitions(model: RepositoryModel, workers: RenderWorker[]): Array<Promise<Partition>> {
  let copy: ModelEntry[] | undefined;
  const entries = () => (copy ??= model.entries());
  const ready = workers.map(worker => {
    if (worker.model?.deref() === model) return worker.request<'ready'>({ type: 'reuse' });
    worker.model = new WeakRef(model);
    return worker.request<'ready'>({ type: 'model', revision: model.revision, entries: entries() });
  });
  const local = localPartition(model);
  return [Promise.resolve(local), ...workers.map((worker, w) => ready[w].then(() => workerPartition(worker)))];
}

/**
 * Renders the templates of `count` bindings in chunks, each to whichever partition is free;
 * returns each binding's summary and the partition that rendered it (and keeps its objects).
 */
async function renderTemplateChunks(
  partitions: Array<Promise<Partition>>,
  count: number,
  tuning: ParallelTuning,
): Promise<{ summaries: TemplateSummary[]; owner: number[] }> {
  const takesChunks = (p: number) => p > 0 || tuning.local !== false;
  const chunks = splitRanges(count, Math.max(1, Math.ceil(count / (tuning.chunk ?? CHUNK))));
  const summaries: TemplateSummary[] = new Array(count);
  const owner: number[] = new Array(count);
  let next = 0;
  // Each thread decorates what it rendered, so the main thread (which also assembles) takes
  // no more than its share of chunks once a worker is running; before that it takes any.
  const taken = partitions.map(() => 0);
  let running = 0;
  let aborted = false;
  let progress: Array<() => void> = [];
  const progressed = () => {
    const waiting = progress;
    progress = [];
    for (const wake of waiting) wake();
  };
  const waitForProgress = () => new Promise<void>(wake => progress.push(wake));
  const mayTake = (p: number) => p > 0 || running === 0 || taken[0] * partitions.length <= next;
  await Promise.all(
    partitions.map(async (pending, p) => {
      let partition: Partition;
      try {
        partition = await pending;
      } catch (error) {
        aborted = true; // the other threads stop taking chunks
        throw error;
      }
      if (p > 0) running += 1;
      try {
        while (!aborted && takesChunks(p) && next < chunks.length) {
          if (!mayTake(p)) {
            await waitForProgress();
            continue;
          }
          const { from, to } = chunks[next++];
          taken[p] += 1;
          for (const summary of await partition.templates(from, to)) {
            summaries[summary.index] = summary;
            owner[summary.index] = p;
          }
          progressed();
        }
      } catch (error) {
        aborted = true;
        throw error;
      } finally {
        if (p > 0) running -= 1;
        progressed();
      }
    }),
  );
  return { summaries, owner };
}

/**
 * Takes the template results in render order, as the sequential render does; returns the
 * bindings that go on to the cells, and each one's index in render order.
 */
function takeTemplateSummaries(assembly: RenderAssembly, items: BindingItem[], summaries: TemplateSummary[]) {
  const rendered: RenderedBinding[] = [];
  const indexOf = new Map<RenderedBinding, number>();
  summaries.forEach((summary, index) => {
    const rendering = summary.target
      ? { target: summary.target, objects: summary.services ?? [], retained: summary.retained ?? false }
      : undefined;
    const binding = assembly.takeTemplates(items[index], summary.problems, rendering);
    if (binding) {
      rendered.push(binding);
      indexOf.set(binding, index);
    }
  });
  return { rendered, indexOf };
}

/**
 * Decoration, validation and YAML where the objects are: each partition decorates what it
 * rendered. Returns the results by render index; the partitions' timings add to `timings`.
 */
async function decorateInPartitions(
  partitions: Array<Promise<Partition>>,
  requests: DecorateRequest[][],
  timings: RenderTimings,
): Promise<Map<number, DecoratedBinding>> {
  // Workers first: the local partition runs synchronously.
  const order = partitions.map((_, p) => p).reverse();
  const replies = await Promise.all(order.map(async p => (await partitions[p]).decorate(requests[p])));
  const results = new Map<number, DecoratedBinding>();
  for (const reply of replies) {
    for (const { index, decorated } of reply.results) results.set(index, decorated);
    timings.decorate += reply.timings.decorate;
    timings.validate += reply.timings.validate;
    timings.yaml += reply.timings.yaml;
  }
  return results;
}

/** `renderRepository(model, { workers: threads })`: the same output, rendered on `threads` threads. */
export async function renderInParallel(
  model: RepositoryModel,
  options: RenderRepositoryOptions,
  threads: number,
  tuning: ParallelTuning = {},
): Promise<RenderedRepository> {
  await loadRenderedObjectSchemas();
  const timings: RenderTimings = { templates: 0, cells: 0, decorate: 0, validate: 0, yaml: 0 };
  const workers = takeWorkers(threads - 1, tuning);
  let finished = false;
  try {
    const partitions = startPartitions(model, workers);
    const items = new RenderPartition(model).items;

    // 1. Templates: chunks to whichever partition is free.
    let mark = clock();
    const { summaries, owner } = await renderTemplateChunks(partitions, items.length, tuning);
    timings.templates += clock() - mark;

    // 2. Cells, here, from every binding (dependencies cross partitions).
    mark = clock();
    const assembly = new RenderAssembly(model);
    const { rendered, indexOf } = takeTemplateSummaries(assembly, items, summaries);
    const { cells, members } = assembly.buildCells(rendered);
    const cellOf = bareCells(cells);
    timings.cells += clock() - mark;

    // 3. Each partition decorates the members it rendered; results taken in render order.
    const requests = partitions.map(() => [] as DecorateRequest[]);
    for (const binding of rendered) {
      const index = indexOf.get(binding)!;
      const member = members.get(binding)!;
      requests[owner[index]].push({ index, member, cell: cellOf.get(member)! });
    }
    const results = await decorateInPartitions(partitions, requests, timings);
    for (const binding of rendered) assembly.takeDecorated(binding, results.get(indexOf.get(binding)!)!);
    finished = true;
    return assembly.finish(cells, items.length, timings, options);
  } finally {
    await releaseWorkers(workers, finished, tuning);
  }
}
