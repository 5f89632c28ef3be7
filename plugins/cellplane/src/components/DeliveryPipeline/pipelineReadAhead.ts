import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { DeliveryPipeline } from '@cellplane/backstage-plugin-common';
import { fetchDeliveryPipeline } from '../../api/pipeline';

/**
 * The card's first read of the pipeline, started while the card renders rather than once it is
 * shown. On an entity page, React renders a lazily loaded card as soon as its code is there, but
 * may hold back showing it (and running its effects) for a few hundred milliseconds while other
 * cards of the page still load (Suspense's throttling of revealed content); a read started in an
 * effect would wait for that too. Measured with bench/ui/profile.ts: the card's code was ready
 * at ~375 ms, the card shown at ~700 ms, and its read only started then.
 *
 * A read ahead is taken once, by the effect of the card that started it; one that nobody takes
 * in time (the render was thrown away) is forgotten, so a later card reads afresh.
 */
const TAKE_WITHIN_MS = 5_000;

/** A read started ahead; `answer` is set once it has succeeded, so the card can show it without waiting a turn. */
export interface ReadAhead {
  pipeline: Promise<DeliveryPipeline>;
  answer?: DeliveryPipeline;
  startedAt: number;
}

/** Per fetch API, so two apps (or two tests) in one page never share a read. */
const readsByFetchApi = new WeakMap<FetchApi, Map<string, ReadAhead>>();

const keyOf = (namespace: string, component: string) => `${namespace}/${component}`;

function readsOf(fetchApi: FetchApi, now: number): Map<string, ReadAhead> {
  let reads = readsByFetchApi.get(fetchApi);
  if (!reads) {
    reads = new Map();
    readsByFetchApi.set(fetchApi, reads);
  }
  for (const [key, read] of reads) if (now - read.startedAt >= TAKE_WITHIN_MS) reads.delete(key);
  return reads;
}

/** Starts reading the pipeline unless a read of it is already under way; safe to call in a render. */
export function readPipelineAhead(apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }, namespace: string, component: string, now = Date.now()): void {
  const reads = readsOf(apis.fetchApi, now);
  const key = keyOf(namespace, component);
  if (reads.has(key)) return;
  const read: ReadAhead = { pipeline: fetchDeliveryPipeline(apis, namespace, component), startedAt: now };
  // Whoever takes it handles a failure; one nobody takes must not be an unhandled rejection.
  read.pipeline.then(
    answer => {
      read.answer = answer;
    },
    () => undefined,
  );
  reads.set(key, read);
}

/** The read started ahead for this component, at most once; undefined when there is none (or it is too old). */
export function takePipelineReadAhead(fetchApi: FetchApi, namespace: string, component: string, now = Date.now()): ReadAhead | undefined {
  const reads = readsOf(fetchApi, now);
  const key = keyOf(namespace, component);
  const read = reads.get(key);
  reads.delete(key);
  return read;
}
