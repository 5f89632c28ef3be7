import { CellplaneLogsClient, LogStreamHandlers, logQueryString } from './logsApi';

/** A fetch answering with one Server-Sent Events body (or a status), recording what was asked. */
function fetchOnce(body: string, status = 200) {
  const urls: string[] = [];
  const fetchApi = {
    fetch: async (url: string) => {
      urls.push(url);
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      });
      return new Response(status === 200 ? stream : JSON.stringify({ error: { name: 'NotFoundError', message: 'no component acme/nope' } }), {
        status,
        headers: { 'content-type': status === 200 ? 'text/event-stream' : 'application/json' },
      });
    },
  };
  return { urls, fetchApi: fetchApi as any };
}

function recorder() {
  const seen: string[] = [];
  let resolveClosed: () => void;
  const closed = new Promise<void>(r => (resolveClosed = r));
  const handlers: LogStreamHandlers = {
    onReady: r => seen.push(`ready ${r.pods.map(p => p.pod).join(',')}`),
    onLines: l => seen.push(`lines ${l.lines.map(x => x.text).join('|')}`),
    onEvent: e => seen.push(`event ${e.reason}`),
    onEnd: e => seen.push(`end ${e.reason}`),
    onError: e => seen.push(`error ${e.message}`),
    onClose: () => resolveClosed(),
  };
  return { seen, handlers, closed };
}

const discoveryApi = { getBaseUrl: async () => 'http://backend.test/api/cellplane' };
const target = { namespace: 'acme', component: 'cart-api', environment: 'development' };

describe('CellplaneLogsClient', () => {
  it('sends only the query that is set', () => {
    expect(logQueryString({ pod: 'cart-0', follow: true, previous: false, tailLines: 500 })).toBe('?pod=cart-0&follow=true&tailLines=500');
    expect(logQueryString({})).toBe('');
  });

  it('reads the stream into ready, lines, events, end and log-error, then closes', async () => {
    const body = [
      'retry: 2000',
      '',
      'id: 1\nevent: ready\ndata: {"dataPlane":"sandbox","follow":true,"pods":[{"pod":"cart-0","container":"main"}]}',
      '',
      'id: 2\nevent: lines\ndata: {"pod":"cart-0","container":"main","lines":[{"text":"a"},{"text":"b"}]}',
      '',
      'id: 3\nevent: kube-event\ndata: {"id":"e","reason":"BackOff"}',
      '',
      'id: 4\nevent: log-error\ndata: {"message":"data plane sandbox: gone","dataPlane":"sandbox"}',
      '',
      'id: 5\nevent: end\ndata: {"pod":"cart-0","container":"main","reason":"end of the log"}',
      '',
      '',
    ].join('\n');
    const { urls, fetchApi } = fetchOnce(body);
    const { seen, handlers, closed } = recorder();
    new CellplaneLogsClient({ discoveryApi, fetchApi }).streamLogs(target, { follow: true }, handlers);
    await closed;
    expect(urls).toEqual(['http://backend.test/api/cellplane/logs/acme/cart-api/development?follow=true']);
    expect(seen).toEqual(['ready cart-0', 'lines a|b', 'event BackOff', 'error data plane sandbox: gone', 'end end of the log']);
  });

  it('reports a refused stream as an error with the status code', async () => {
    const { fetchApi } = fetchOnce('', 404);
    const { handlers, closed } = recorder();
    const errors: any[] = [];
    handlers.onError = e => errors.push(e);
    new CellplaneLogsClient({ discoveryApi, fetchApi }).streamLogs(target, {}, handlers);
    await closed;
    expect(errors[0]).toMatchObject({ statusCode: 404 });
  });
});
