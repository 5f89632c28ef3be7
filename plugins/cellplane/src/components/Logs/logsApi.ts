import { DiscoveryApi, FetchApi, createApiRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ComponentEvent,
  ComponentEvents,
  ComponentPods,
  LOG_STREAM_EVENTS,
  LogLinesEvent,
  LogStreamEnd,
  LogStreamError,
} from '@cellplane/backstage-plugin-common';
import { createParser } from 'eventsource-parser';

/** A component in an environment. */
export interface LogsTarget {
  namespace: string;
  component: string;
  environment: string;
}

/** What a log stream reads (the backend's query parameters). */
export interface LogQuery {
  pod?: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  tailLines?: number;
}

/** What a log stream reports, in order: ready, then lines and events, then end or an error. */
export interface LogStreamHandlers {
  onReady(ready: { dataPlane: string; pods: Array<{ pod: string; container: string }>; follow: boolean }): void;
  onLines(lines: LogLinesEvent): void;
  onEvent(event: ComponentEvent): void;
  onEnd(end: LogStreamEnd): void;
  /** The backend said what failed (naming the data plane), or the stream could not be read. */
  onError(error: LogStreamError | Error): void;
  /** The stream is over (after its last source ended or failed, or the connection closed). */
  onClose(): void;
}

/** Reads a component's pods, events and logs from the `cellplane` backend. */
export interface CellplaneLogsApi {
  getPods(target: LogsTarget): Promise<ComponentPods>;
  getEvents(target: LogsTarget): Promise<ComponentEvents>;
  /** Opens a log stream; returns how to close it. */
  streamLogs(target: LogsTarget, query: LogQuery, handlers: LogStreamHandlers): () => void;
}

export const cellplaneLogsApiRef = createApiRef<CellplaneLogsApi>({ id: 'plugin.cellplane.logs' });

const enc = encodeURIComponent;
const path = (t: LogsTarget) => `${enc(t.namespace)}/${enc(t.component)}/${enc(t.environment)}`;

/** The query string of a log stream: only what is set. */
export function logQueryString(query: LogQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === false || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The logs API over HTTP, with the user's token (fetchApi). The stream is read from a streamed
 * `fetch` body, as the status stream is: EventSource cannot send the Backstage token. It does not
 * reconnect by itself: a log stream that ends says why (a restart, a data plane gone), and the
 * view offers to open it again.
 */
export class CellplaneLogsClient implements CellplaneLogsApi {
  constructor(private readonly options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  getPods(target: LogsTarget) {
    return this.get<ComponentPods>(`logs/${path(target)}/pods`);
  }

  getEvents(target: LogsTarget) {
    return this.get<ComponentEvents>(`events/${path(target)}`);
  }

  streamLogs(target: LogsTarget, query: LogQuery, handlers: LogStreamHandlers): () => void {
    const controller = new AbortController();
    void this.read(`logs/${path(target)}${logQueryString(query)}`, handlers, controller.signal);
    return () => controller.abort();
  }

  private async read(url: string, handlers: LogStreamHandlers, signal: AbortSignal) {
    try {
      const base = await this.options.discoveryApi.getBaseUrl('cellplane');
      const response = await this.options.fetchApi.fetch(`${base}/${url}`, { headers: { Accept: 'text/event-stream' }, signal });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      if (!response.body) throw new Error('the logs response has no body to stream');
      const parser = createParser({ onEvent: event => dispatch(event.event, event.data, handlers) });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      if (signal.aborted) return;
      handlers.onError(error instanceof Error ? error : new Error(String(error)));
    }
    if (!signal.aborted) handlers.onClose();
  }

  private async get<T>(url: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('cellplane');
    const response = await this.options.fetchApi.fetch(`${base}/${url}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

function dispatch(name: string | undefined, data: string, handlers: LogStreamHandlers) {
  let body: any;
  try {
    body = JSON.parse(data);
  } catch {
    handlers.onError(new Error(`the logs stream sent an event that is not JSON: ${data.slice(0, 80)}`));
    return;
  }
  switch (name) {
    case LOG_STREAM_EVENTS.ready:
      handlers.onReady(body);
      return;
    case LOG_STREAM_EVENTS.lines:
      handlers.onLines(body);
      return;
    case LOG_STREAM_EVENTS.kubeEvent:
      handlers.onEvent(body);
      return;
    case LOG_STREAM_EVENTS.end:
      handlers.onEnd(body);
      return;
    case LOG_STREAM_EVENTS.error:
      handlers.onError(body as LogStreamError);
      return;
    default:
  }
}
