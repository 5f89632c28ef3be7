/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { CellplaneStatusClient } from './CellplaneStatusClient';

const baseUrl = 'http://localhost:7007/api/cellplane';
const discoveryApi = { getBaseUrl: async (id: string) => (id === 'cellplane' ? baseUrl : 'nope') };

const statusOf = (environment: string, health: ComponentEnvironmentStatus['health']): ComponentEnvironmentStatus => ({
  namespace: 'acme',
  project: 'storefront',
  component: 'web-shop',
  environment,
  health,
  pods: { ready: 0, total: 0, restarts: 0 },
  causes: [],
});

/** A streamed response whose chunks the test pushes, as a backend writing SSE would. */
function streamedResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: c => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: (error: Error) => controller.error(error),
  };
}

const waitUntil = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise(r => setTimeout(r, 5));
  if (!check()) throw new Error('condition not met');
};

describe('CellplaneStatusClient', () => {
  it('reads a status snapshot with the fetch API, which carries the user token', async () => {
    const fetch = jest.fn(async (_url: string) =>
      new Response(JSON.stringify({ revision: 'a'.repeat(40), sandbox: true, items: [statusOf('development', 'Healthy')] }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    const client = new CellplaneStatusClient({ discoveryApi, fetchApi: { fetch } as any });
    const snapshot = await client.getComponentStatus('acme', 'web-shop');
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/status/components/acme/web-shop`);
    expect(snapshot.items[0].health).toBe('Healthy');
    expect(snapshot.sandbox).toBe(true);
    await client.getProjectStatus('acme', 'store front');
    expect(fetch).toHaveBeenLastCalledWith(`${baseUrl}/status/projects/acme/store%20front`);
    await client.getEnvironmentStatus('acme', 'staging');
    expect(fetch).toHaveBeenLastCalledWith(`${baseUrl}/status/environments/acme/staging`);
  });

  it('turns an error response into a ResponseError with the status code and the backend message', async () => {
    const fetch = async () =>
      new Response(
        JSON.stringify({ error: { name: 'NotFoundError', message: 'no component acme/gone in the GitOps repository' }, response: { statusCode: 404 } }),
        { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/json' } },
      );
    const client = new CellplaneStatusClient({ discoveryApi, fetchApi: { fetch } as any });
    const error = await client.getComponentStatus('acme', 'gone').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('no component acme/gone in the GitOps repository');
  });

  it('streams status events, split anywhere across chunks, and ignores comments and other events', async () => {
    const stream = streamedResponse();
    const fetch = jest.fn(async (_url: string, _init?: RequestInit) => stream.response);
    const client = new CellplaneStatusClient({ discoveryApi, fetchApi: { fetch } as any });
    const received: ComponentEnvironmentStatus[] = [];
    const onOpen = jest.fn();
    const close = client.watchStatus({ namespace: 'acme', component: 'web-shop' }, { onStatus: s => received.push(s), onOpen });
    await waitUntil(() => onOpen.mock.calls.length === 1);
    expect(fetch.mock.calls[0][0]).toBe(`${baseUrl}/status/events?namespace=acme&component=web-shop`);
    expect(fetch.mock.calls[0][1]?.headers).toEqual({ Accept: 'text/event-stream' });

    const event = JSON.stringify(statusOf('staging', 'Progressing'));
    stream.push(`retry: 2000\n: revision abc\n\nid: 1\nevent: status\ndata: ${event.slice(0, 20)}`);
    stream.push(`${event.slice(20)}\n\n: keep-alive\n\nevent: other\ndata: {}\n\n`);
    stream.push(`id: 2\nevent: status\ndata: ${JSON.stringify(statusOf('staging', 'Healthy'))}\n\n`);
    await waitUntil(() => received.length === 2);
    expect(received.map(s => `${s.environment}:${s.health}`)).toEqual(['staging:Progressing', 'staging:Healthy']);
    close();
  });

  it('reconnects after the stream ends, says so, and stops when closed', async () => {
    const streams = [streamedResponse(), streamedResponse()];
    let calls = 0;
    const fetch = jest.fn(async (_url: string) => streams[calls++].response);
    const client = new CellplaneStatusClient({ discoveryApi, fetchApi: { fetch } as any, retryMs: 1 });
    const onOpen = jest.fn();
    const onError = jest.fn();
    const received: string[] = [];
    const close = client.watchStatus({}, { onStatus: s => received.push(s.health), onOpen, onError });
    await waitUntil(() => onOpen.mock.calls.length === 1);
    streams[0].end();
    await waitUntil(() => onOpen.mock.calls.length === 2);
    expect(onError.mock.calls[0][0].message).toBe('the status events stream ended');
    expect(fetch.mock.calls[1][0]).toBe(`${baseUrl}/status/events`);
    streams[1].push(`event: status\ndata: ${JSON.stringify(statusOf('development', 'Degraded'))}\n\n`);
    await waitUntil(() => received.length === 1);
    close();
    await new Promise(r => setTimeout(r, 20));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('retries a refused stream with backoff and reports why', async () => {
    const fetch = jest.fn(async () => new Response('{}', { status: 403, statusText: 'Forbidden' }));
    const client = new CellplaneStatusClient({ discoveryApi, fetchApi: { fetch } as any, retryMs: 1, maxRetryMs: 4 });
    const onError = jest.fn();
    const close = client.watchStatus({}, { onStatus: () => {}, onError });
    await waitUntil(() => onError.mock.calls.length >= 3);
    close();
    expect(onError.mock.calls[0][0]).toBeInstanceOf(ResponseError);
    expect(onError.mock.calls[0][0].statusCode).toBe(403);
  });

  it('reports an event that is not JSON instead of failing the stream', async () => {
    const stream = streamedResponse();
    const client = new CellplaneStatusClient({ discoveryApi, fetchApi: { fetch: async () => stream.response } as any });
    const onError = jest.fn();
    const received: string[] = [];
    const close = client.watchStatus({}, { onStatus: s => received.push(s.health), onError });
    stream.push('event: status\ndata: {not json\n\n');
    stream.push(`event: status\ndata: ${JSON.stringify(statusOf('development', 'Healthy'))}\n\n`);
    await waitUntil(() => received.length === 1);
    expect(onError.mock.calls[0][0].message).toMatch(/not JSON/);
    close();
  });
});

describe('CellplaneStatusClient idle watchdog', () => {
  it('reopens a stream that went silent, without waiting for the connection to end', async () => {
    const streams = [streamedResponse(), streamedResponse()];
    let calls = 0;
    const fetch = jest.fn(async (_url: string, init?: RequestInit) => {
      const stream = streams[calls++];
      // As fetch does: aborting fails the body being read.
      init?.signal?.addEventListener('abort', () => stream.fail(new DOMException('aborted', 'AbortError')));
      return stream.response;
    });
    const client = new CellplaneStatusClient({ discoveryApi, fetchApi: { fetch } as any, retryMs: 1, idleTimeoutMs: 300 });
    const onOpen = jest.fn();
    const onError = jest.fn();
    const close = client.watchStatus({}, { onStatus: () => {}, onOpen, onError });
    await waitUntil(() => onOpen.mock.calls.length === 1);
    // Keep-alives hold the first stream open past the timeout...
    for (let i = 0; i < 16; i++) {
      streams[0].push(': keep-alive\n\n');
      await new Promise(r => setTimeout(r, 25));
    }
    expect(onOpen).toHaveBeenCalledTimes(1);
    // ...silence does not.
    await waitUntil(() => onOpen.mock.calls.length === 2);
    expect(onError.mock.calls[0][0].message).toMatch(/silent/);
    close();
  });
});
