import { waitFor } from './waitFor';

/** An entity's ref, as the catalog writes it (kind in lower case). */
export const entityRef = (e: { kind: string; metadata: { namespace?: string; name: string } }) =>
  `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`;

/** A signed-in user of one replica's API, as the portal in the browser is. */
export class BackendClient {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  /** Signs in as the guest user (the example app's sign-in) through this replica's auth backend. */
  static async signIn(url: string): Promise<BackendClient> {
    const response = await fetch(`${url}/api/auth/guest/refresh`);
    if (!response.ok) throw new Error(`guest sign-in at ${url}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { backstageIdentity: { token: string } };
    return new BackendClient(url, body.backstageIdentity.token);
  }

  /** The same user on another replica (the token is valid on every one: keys live in the database). */
  on(url: string): BackendClient {
    return new BackendClient(url, this.token);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', ...init.headers },
    });
  }

  async json<T = any>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.request(path, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${this.url}${path}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  /** Starts a scaffolder task from a template, as the portal's Create page does. */
  async startTask(templateRef: string, values: Record<string, unknown>): Promise<string> {
    const { id } = await this.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({ templateRef, values }),
    });
    return id;
  }

  /** The commit a completed Cellplane task made, from its "Commit" output link. */
  async taskCommit(taskId: string): Promise<string | undefined> {
    const events = await this.json<Array<{ body: { output?: { links?: Array<{ title: string; url?: string }> } } }>>(
      `/api/scaffolder/v2/tasks/${taskId}/events`,
    );
    const link = events.flatMap(e => e.body.output?.links ?? []).find(l => l.title === 'Commit');
    return link?.url?.match(/[0-9a-f]{40}/)?.[0];
  }

  /** The log of a task, for a failure message. */
  async taskLog(taskId: string): Promise<string> {
    const events = await this.json<Array<{ body: { message?: string } }>>(`/api/scaffolder/v2/tasks/${taskId}/events`);
    return events.map(e => e.body.message ?? '').join('\n');
  }

  /** Every entity of the catalog (refs and content), read page by page. */
  async catalogEntities(): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.json<{ items: any[]; pageInfo: { nextCursor?: string } }>(
        `/api/catalog/entities/by-query?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return items;
  }
}

/** How a status is told apart: its component in its environment. */
export const statusKey = (s: { namespace: string; component: string; environment: string }) =>
  `${s.namespace}/${s.component}@${s.environment}`;

/** One Server-Sent Events stream of `/api/cellplane/status/events`, kept open and collected. */
export class StatusEventStream {
  /** Every status event received, in order. */
  readonly events: any[] = [];
  /** The comment lines (`: revision ...`) received. */
  readonly comments: string[] = [];
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly client: BackendClient) {}

  async open(): Promise<this> {
    const response = await this.client.request('/api/cellplane/status/events', {
      headers: { Accept: 'text/event-stream' },
      signal: this.abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`status events at ${this.client.url}: ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    this.done = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        // A chunk may hold hundreds of events (every status changes at a new commit): cut once.
        let start = 0;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
          this.onBlock(buffer.slice(start, end));
          start = end + 2;
        }
        buffer = buffer.slice(start);
      }
    })().catch(() => undefined);
    await waitFor('the status stream to greet', () => this.comments.length > 0, { timeoutMs: 30_000, intervalMs: 50 });
    return this;
  }

  /** The last status of each component in each environment, as a browser applying the events holds it. */
  latest(): Map<string, any> {
    const latest = new Map<string, any>();
    for (const status of this.events) latest.set(statusKey(status), status);
    return latest;
  }

  async close() {
    this.abort.abort();
    await this.done;
  }

  private onBlock(block: string) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event === 'status' && data.length) this.events.push(JSON.parse(data.join('\n')));
  }
}
