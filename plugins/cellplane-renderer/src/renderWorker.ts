import { parentPort, workerData } from 'node:worker_threads';
import { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { DecorateRequest, RenderPartition, TemplateSummary } from './renderPartition';
import { clock, DecoratedBinding, RenderTimings } from './renderPhases';
import { loadRenderedObjectSchemas } from './validate/validateObject';

/**
 * A render worker thread (see renderInParallel.ts): it rebuilds each model it is sent from the
 * model's entries and serves one RenderPartition of it. Workers stay up between renders (a
 * backend renders on every change), so their modules, compiled templates and JIT stay warm, and
 * keep the last model, so rendering the same model again costs no copy.
 */

/** Main thread → worker. */
export type RenderWorkerRequest =
  | { type: 'model'; revision: string | undefined; entries: ModelEntry[] }
  | { type: 'templates'; from: number; to: number }
  | { type: 'decorate'; requests: DecorateRequest[] }
  | { type: 'reuse' };

/** Worker → main thread. */
export type RenderWorkerResponse = { seconds: number } & (
  | { type: 'ready' }
  | { type: 'templates'; summaries: TemplateSummary[] }
  | { type: 'decorate'; results: Array<{ index: number; decorated: DecoratedBinding }>; timings: RenderTimings }
  | { type: 'error'; message: string }
);

/** The marker in workerData that makes this module serve (it is harmless to import elsewhere). */
export const RENDER_WORKER_FLAG = 'cellplaneRenderWorker';

function serve() {
  const port = parentPort!;
  const schemas = loadRenderedObjectSchemas();
  let partition: RenderPartition | undefined;
  const current = () => {
    if (!partition) throw new Error('no model was sent to this render worker');
    return partition;
  };

  const handle = async (request: RenderWorkerRequest): Promise<Record<string, unknown>> => {
    switch (request.type) {
      case 'model':
        partition = new RenderPartition(new RepositoryModel(request.revision, request.entries, []));
        await schemas;
        return { type: 'ready' };
      case 'templates':
        return { type: 'templates', summaries: current().templates(request.from, request.to) };
      case 'decorate': {
        const timings: RenderTimings = { templates: 0, cells: 0, decorate: 0, validate: 0, yaml: 0 };
        return { type: 'decorate', results: current().decorate(request.requests, timings), timings };
      }
      default:
        // The same model again: a fresh partition on it keeps the caches keyed by its objects.
        partition = new RenderPartition(current().model);
        return { type: 'ready' };
    }
  };

  port.on('message', (request: RenderWorkerRequest) => {
    const start = clock();
    handle(request).then(
      response => port.postMessage({ ...response, seconds: clock() - start }),
      error =>
        port.postMessage({ type: 'error', seconds: clock() - start, message: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
}

if (parentPort && (workerData as Record<string, unknown> | undefined)?.[RENDER_WORKER_FLAG]) serve();
