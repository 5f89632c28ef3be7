import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { createParser } from 'eventsource-parser';
import { CellplaneStatusApi, StatusEventFilter, StatusSnapshot, StatusWatchHandlers } from './CellplaneStatusApi';

const enc = encodeURIComponent;

/** @public */
export interface CellplaneStatusClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /** First delay before reconnecting a broken stream; doubled up to maxRetryMs (default 1 s). */
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * A stream silent this long is taken for dead and reopened (default 45 s: the backend sends a
   * keep-alive every 15 s, and a connection dropped without a FIN never ends by itself).
   */
  idleTimeoutMs?: number;
}

/**
 * The status API over HTTP. The events stream is read with `fetchApi` rather than EventSource:
 * EventSource cannot send the Backstage token the status routes require, while `fetchApi` adds
 * it like for every other request, and a streamed `fetch` body reads Server-Sent Events as well.
 *
 * @public
 */
export class CellplaneStatusClient implements CellplaneStatusApi {
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: CellplaneStatusClientOptions) {
    this.retryMs = options.retryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  }

  getComponentStatus(namespace: string, component: string) {
    return this.get(`status/components/${enc(namespace)}/${enc(component)}`);
  }

  getProjectStatus(namespace: string, project: string) {
    return this.get(`status/projects/${enc(namespace)}/${enc(project)}`);
  }

  getEnvironmentStatus(namespace: string, environment: string) {
    return this.get(`status/environments/${enc(namespace)}/${enc(environment)}`);
  }

  watchStatus(filter: StatusEventFilter, handlers: StatusWatchHandlers): () => void {
    const controller = new AbortController();
    this.stream(filter, handlers, controller.signal);
    return () => controller.abort();
  }

  private async get(path: string): Promise<StatusSnapshot> {
    const response = await this.options.fetchApi.fetch(`${await this.baseUrl()}/${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as StatusSnapshot;
  }

  private silentMessage() {
    return `the status events stream was silent for ${this.idleTimeoutMs / 1000} s`;
  }

  private async baseUrl() {
    return this.options.discoveryApi.getBaseUrl('cellplane');
  }

  /** Keeps one stream open until aborted, reconnecting with backoff after each failure. */
  private async stream(filter: StatusEventFilter, handlers: StatusWatchHandlers, signal: AbortSignal) {
    let delay = this.retryMs;
    while (!signal.aborted) {
      let serverRetry: number | undefined;
      // One connection's own abort: the caller closing, or the idle watchdog giving up on it.
      const connection = new AbortController();
      const closeConnection = () => connection.abort();
      signal.addEventListener('abort', closeConnection, { once: true });
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      let idle = false;
      const resetIdleTimer = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          idle = true;
          connection.abort();
        }, this.idleTimeoutMs);
      };
      try {
        resetIdleTimer();
        const query = new URLSearchParams(
          Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
        ).toString();
        const response = await this.options.fetchApi.fetch(
          `${await this.baseUrl()}/status/events${query ? `?${query}` : ''}`,
          { headers: { Accept: 'text/event-stream' }, signal: connection.signal },
        );
        if (!response.ok) throw await ResponseError.fromResponse(response);
        if (!response.body) throw new Error('the status events response has no body to stream');
        delay = this.retryMs;
        handlers.onOpen?.();
        const parser = createParser({
          onEvent: event => {
            if (event.event !== 'status') return;
            let status: ComponentEnvironmentStatus;
            try {
              status = JSON.parse(event.data);
            } catch {
              handlers.onError?.(new Error(`the status events stream sent an event that is not JSON: ${event.data.slice(0, 80)}`));
              return;
            }
            handlers.onStatus(status);
          },
          onRetry: ms => {
            serverRetry = ms;
          },
        });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          resetIdleTimer();
          parser.feed(decoder.decode(value, { stream: true }));
        }
        if (!signal.aborted) {
          handlers.onError?.(new Error(idle ? this.silentMessage() : 'the status events stream ended'));
        }
      } catch (error) {
        if (signal.aborted) return;
        handlers.onError?.(
          idle ? new Error(this.silentMessage()) : asError(error),
        );
      } finally {
        clearTimeout(idleTimer);
        signal.removeEventListener('abort', closeConnection);
      }
      if (signal.aborted) return;
      await sleep(Math.max(delay, serverRetry ?? 0), signal);
      delay = Math.min(delay * 2, this.maxRetryMs);
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
