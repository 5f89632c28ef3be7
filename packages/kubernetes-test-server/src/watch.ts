import { ServerResponse } from 'node:http';
import {
  ObjectStore,
  StoredObject,
  StoreEvent,
  WatchEventType,
} from './ObjectStore';
import { apiVersionOf, ResourceType } from './resourceTypes';
import { FieldSelector, LabelSelector } from './selectors';
import { ApiError, errors, StatusObject } from './status';

/** What a watch request asked for. */
export interface WatchRequest {
  type: ResourceType;
  /** Omitted = all namespaces. */
  namespace?: string;
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  /** The `resourceVersion` parameter as given ('' when unset). */
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  /** `sendInitialEvents=true` (the WatchList feature): current state, then a bookmark marking its end. */
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
}

/** The JSON of a stored object as the requested version serves it. */
export function serveAs(type: ResourceType, stored: StoredObject): string {
  const apiVersion = apiVersionOf(type);
  if (stored.object.apiVersion === apiVersion) return stored.json;
  // Several served versions share storage (multi-version CRDs); no conversion beyond apiVersion.
  return JSON.stringify({ ...stored.object, apiVersion });
}

/**
 * One open watch: a chunked stream of `{"type","object"}` lines, as the API
 * server sends for `?watch=true`.
 */
export class WatchStream {
  private unsubscribe?: () => void;
  private bookmarkTimer?: NodeJS.Timeout;
  private timeoutTimer?: NodeJS.Timeout;
  private closed = false;
  /** The resourceVersion up to which this watch has delivered every event. */
  private position = 0;

  constructor(
    private readonly response: ServerResponse,
    private readonly store: ObjectStore,
    private readonly request: WatchRequest,
    private readonly onClosed: (stream: WatchStream) => void,
  ) {}

  start() {
    const { response, request, store } = this;
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
    });
    response.flushHeaders();
    response.on('close', () => this.cleanUp());

    const rv = request.resourceVersion;
    if (rv === '' || rv === '0' || request.sendInitialEvents) {
      // "Start at most recent" / "any": the current state as synthetic ADDED events.
      this.position = store.currentRevision();
      const objects = store.list(request.type, request.namespace);
      for (const stored of objects) {
        if (this.selects(stored)) this.send('ADDED', stored);
      }
      if (request.sendInitialEvents) {
        this.bookmark({ 'k8s.io/initial-events-end': 'true' });
      }
    } else {
      this.position = Number(rv);
      let backlog: StoreEvent[];
      try {
        backlog = store.eventsSince(request.type, Number(rv));
      } catch (e) {
        // The watch cache answers a too-old resourceVersion with 200 and an ERROR event.
        this.fail(e as ApiError);
        return;
      }
      for (const event of backlog) this.deliver(event);
    }
    this.unsubscribe = store.subscribe(request.type, event =>
      this.deliver(event),
    );
    if (request.allowWatchBookmarks) {
      this.bookmarkTimer = setInterval(
        () => this.bookmark(),
        request.bookmarkIntervalMs,
      );
    }
    if (request.timeoutSeconds !== undefined) {
      this.timeoutTimer = setTimeout(
        () => this.close(),
        request.timeoutSeconds * 1000,
      );
    }
  }

  private selects(stored: StoredObject) {
    const { namespace, labelSelector, fieldSelector } = this.request;
    const object = stored.object;
    if (
      namespace !== undefined &&
      (object.metadata.namespace ?? '') !== namespace
    ) {
      return false;
    }
    return (
      labelSelector.matches(object.metadata.labels) &&
      fieldSelector.matches(object)
    );
  }

  /** Translate a store event for this watch's selectors: objects entering or leaving the selection appear ADDED or DELETED. */
  private deliver(event: StoreEvent) {
    this.position = event.resourceVersion;
    const now = this.selects(event.object);
    if (event.type === 'MODIFIED') {
      const before = event.previous ? this.selects(event.previous) : false;
      if (now && before) this.send('MODIFIED', event.object);
      else if (now) this.send('ADDED', event.object);
      else if (before) this.send('DELETED', event.object);
    } else if (now) {
      this.send(event.type, event.object);
    }
  }

  private send(type: WatchEventType, stored: StoredObject) {
    if (this.closed) return;
    this.response.write(
      `{"type":"${type}","object":${serveAs(this.request.type, stored)}}\n`,
    );
  }

  private bookmark(annotations?: Record<string, string>) {
    if (this.closed) return;
    const { type } = this.request;
    const object = {
      kind: type.kind,
      apiVersion: apiVersionOf(type),
      metadata: {
        resourceVersion: String(this.store.currentRevision()),
        ...(annotations ? { annotations } : {}),
      },
    };
    this.response.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  }

  /** End with an ERROR event carrying the Status (410 Expired for compacted history). */
  fail(error: ApiError) {
    if (this.closed) return;
    const status: StatusObject = error.toStatus();
    this.response.write(
      `${JSON.stringify({ type: 'ERROR', object: status })}\n`,
    );
    this.close();
  }

  /** Whether this watch is on the resource `plural.group`. */
  watches(group: string, plural: string) {
    return (
      this.request.type.group === group && this.request.type.plural === plural
    );
  }

  /** The history this watch needs was compacted: ERROR 410 Expired, as the watch cache sends. */
  expire(oldestRetained: number) {
    this.fail(
      errors.expired(
        `too old resource version: ${this.position} (${oldestRetained})`,
      ),
    );
  }

  /** End the stream cleanly, as the server does at timeoutSeconds. */
  close() {
    if (this.closed) return;
    this.response.end();
    this.cleanUp();
  }

  /** Cut the connection, as a network failure or a restarting API server would. */
  destroy() {
    this.cleanUp();
    this.response.socket?.destroy();
  }

  private cleanUp() {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    clearInterval(this.bookmarkTimer);
    clearTimeout(this.timeoutTimer);
    this.onClosed(this);
  }
}
