import {
  ComponentEvent,
  LOG_STREAM_EVENTS,
  LogLine,
  LogLinesEvent,
  LogStreamEnd,
  LogStreamError,
} from '@cellplane/backstage-plugin-common';
import { IncomingMessage } from 'node:http';
import { openPodLog, PodLogRequest, splitTimestamp } from './openPodLog';

/** Where the stream's events go (an SSE response, in the router). */
export interface LogStreamSink {
  send(event: string, data: unknown): void;
  end(): void;
}

/** What one stream reads: containers of the component's pods, with the same PodLogOptions. */
export interface LogStreamOptions {
  dataPlane: string;
  server: string;
  kubeConfig: Parameters<typeof openPodLog>[0];
  sources: Array<{ namespace: string; pod: string; container: string }>;
  follow: boolean;
  previous: boolean;
  sinceSeconds?: number;
  tailLines?: number;
  /** Only lines containing this (case-insensitive) are sent. */
  search?: string;
}

/**
 * One browser's log stream: a pod log request per container, their lines sent as `lines` events
 * (one per chunk the API server sent, so a busy pod does not cost an event per line), `end` when a
 * followed container stops or a read finished, `log-error` naming the data plane when a request
 * fails or the connection breaks mid-follow; when every source is done, the stream ends.
 */
export class LogStream {
  private readonly open = new Set<IncomingMessage>();
  private remaining: number;
  private closed = false;
  private readonly search?: string;

  constructor(
    private readonly options: LogStreamOptions,
    private readonly sink: LogStreamSink,
  ) {
    this.remaining = options.sources.length;
    this.search = options.search?.toLowerCase();
  }

  start() {
    this.sink.send(LOG_STREAM_EVENTS.ready, {
      dataPlane: this.options.dataPlane,
      pods: this.options.sources.map(s => ({ pod: s.pod, container: s.container })),
      follow: this.options.follow,
    });
    if (this.remaining === 0) {
      this.finish();
      return;
    }
    for (const source of this.options.sources) void this.read(source);
  }

  /** Sends a Kubernetes Event about the component (new or updated). */
  event(event: ComponentEvent) {
    if (!this.closed) this.sink.send(LOG_STREAM_EVENTS.kubeEvent, event);
  }

  /** The browser went away: stop every request to the data plane. */
  close() {
    this.closed = true;
    for (const response of this.open) response.destroy();
    this.open.clear();
  }

  private async read(source: { namespace: string; pod: string; container: string }) {
    const { follow, previous, sinceSeconds, tailLines } = this.options;
    const request: PodLogRequest = { ...source, follow, previous, sinceSeconds, tailLines };
    let response: IncomingMessage;
    try {
      response = await openPodLog(this.options.kubeConfig, request);
    } catch (error) {
      this.fail(source, `could not read the log of ${source.pod}/${source.container}: ${(error as Error).message}`);
      return;
    }
    if (this.closed) {
      response.destroy();
      return;
    }
    this.open.add(response);
    let partial = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const text = partial + chunk;
      const cut = text.lastIndexOf('\n');
      partial = text.slice(cut + 1);
      if (cut >= 0) this.sendLines(source, text.slice(0, cut).split('\n'));
    });
    response.on('end', () => {
      if (partial) this.sendLines(source, [partial]);
      this.done(source, follow && !previous ? 'the container stopped, or its pod was deleted' : 'end of the log');
    });
    // A broken connection also emits 'error'; 'close' below says what it means.
    response.on('error', () => undefined);
    response.on('close', () => {
      this.open.delete(response);
      if (!response.complete && !this.closed) {
        this.fail(source, `the connection broke while following ${source.pod}/${source.container}`);
      }
    });
  }

  private sendLines(source: { pod: string; container: string }, raw: string[]) {
    if (this.closed) return;
    const lines: LogLine[] = [];
    for (const line of raw) {
      const split = splitTimestamp(line);
      if (!this.search || split.text.toLowerCase().includes(this.search)) lines.push(split);
    }
    if (lines.length === 0) return;
    const event: LogLinesEvent = { pod: source.pod, container: source.container, lines };
    this.sink.send(LOG_STREAM_EVENTS.lines, event);
  }

  private done(source: { pod: string; container: string }, reason: string) {
    if (this.closed) return;
    const event: LogStreamEnd = { pod: source.pod, container: source.container, reason };
    this.sink.send(LOG_STREAM_EVENTS.end, event);
    this.sourceFinished();
  }

  private fail(source: { pod: string; container: string }, why: string) {
    if (this.closed) return;
    const error: LogStreamError & { pod: string; container: string } = {
      message: `data plane ${this.options.dataPlane} (${this.options.server}): ${why}`,
      dataPlane: this.options.dataPlane,
      pod: source.pod,
      container: source.container,
    };
    this.sink.send(LOG_STREAM_EVENTS.error, error);
    this.sourceFinished();
  }

  private sourceFinished() {
    this.remaining -= 1;
    if (this.remaining <= 0) this.finish();
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    this.sink.end();
  }
}
