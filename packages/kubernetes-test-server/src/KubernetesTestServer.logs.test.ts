import { CoreV1Api, Log } from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import { KubernetesTestServer } from './KubernetesTestServer';
import { eventually } from './testing/fixtures';

/** Reads a log through client-node's Log class, as any client of a real cluster would. */
function openLog(server: KubernetesTestServer, pod: string, container: string, options: Record<string, unknown>) {
  const stream = new PassThrough();
  let text = '';
  let ended = false;
  stream.on('data', chunk => {
    text += chunk.toString('utf8');
  });
  stream.on('end', () => {
    ended = true;
  });
  const request = new Log(server.kubeConfig()).log('shop', pod, container, stream, options);
  return {
    request,
    text: () => text,
    ended: () => ended,
    lines: () => text.split('\n').filter(Boolean),
  };
}

describe('KubernetesTestServer: pod logs', () => {
  let server: KubernetesTestServer;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ namespaces: ['shop'] });
    core = server.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'shop',
      body: {
        metadata: { name: 'cart-0', namespace: 'shop' },
        spec: {
          containers: [
            { name: 'main', image: 'cart' },
            { name: 'proxy', image: 'envoy' },
          ],
        },
      },
    });
  });

  afterEach(() => server.close());

  const logUrl = (query: string, pod = 'cart-0') =>
    fetch(`${server.url}/api/v1/namespaces/shop/pods/${pod}/log${query}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });

  it('reads what a container wrote, with kubelet timestamps on request', async () => {
    server.logs.append('shop', 'cart-0', 'main', 'GET /cart 200', new Date('2026-01-01T10:00:00.123Z'));
    server.logs.append('shop', 'cart-0', 'proxy', 'envoy ready');
    const log = openLog(server, 'cart-0', 'main', { timestamps: true });
    await log.request;
    await eventually(() => expect(log.ended()).toBe(true));
    expect(log.text()).toBe('2026-01-01T10:00:00.123000000Z GET /cart 200\n');
  });

  it('follows: a line appended after the request arrives on the open stream', async () => {
    server.logs.append('shop', 'cart-0', 'main', 'before');
    const log = openLog(server, 'cart-0', 'main', { follow: true });
    const controller = await log.request;
    await eventually(() => expect(log.lines()).toEqual(['before']));
    server.logs.append('shop', 'cart-0', 'main', 'after');
    await eventually(() => expect(log.lines()).toEqual(['before', 'after']));
    expect(log.ended()).toBe(false);
    controller.abort();
  });

  it('answers since and tail as the kubelet selects lines', async () => {
    const now = Date.now();
    server.logs.append('shop', 'cart-0', 'main', 'an hour ago', new Date(now - 3_600_000));
    server.logs.append('shop', 'cart-0', 'main', 'a minute ago', new Date(now - 60_000));
    server.logs.append('shop', 'cart-0', 'main', 'just now', new Date(now));
    const since = openLog(server, 'cart-0', 'main', { sinceSeconds: 120 });
    await since.request;
    await eventually(() => expect(since.ended()).toBe(true));
    expect(since.lines()).toEqual(['a minute ago', 'just now']);
    const tail = openLog(server, 'cart-0', 'main', { tailLines: 1 });
    await tail.request;
    await eventually(() => expect(tail.ended()).toBe(true));
    expect(tail.lines()).toEqual(['just now']);
    const sinceTime = await logUrl(`?container=main&sinceTime=${new Date(now - 120_000).toISOString()}`);
    expect(await sinceTime.text()).toBe('a minute ago\njust now\n');
    const limited = await logUrl('?container=main&limitBytes=5');
    expect(await limited.text()).toBe('an ho');
  });

  it('keeps the previous instance after a restart, and ends a follow of the instance that stopped', async () => {
    server.logs.append('shop', 'cart-0', 'main', 'panic: out of cheese');
    const follow = openLog(server, 'cart-0', 'main', { follow: true });
    await follow.request;
    await eventually(() => expect(follow.lines()).toEqual(['panic: out of cheese']));
    server.logs.restart('shop', 'cart-0', 'main');
    await eventually(() => expect(follow.ended()).toBe(true));
    server.logs.append('shop', 'cart-0', 'main', 'starting again');
    const previous = openLog(server, 'cart-0', 'main', { previous: true });
    await previous.request;
    await eventually(() => expect(previous.ended()).toBe(true));
    expect(previous.lines()).toEqual(['panic: out of cheese']);
    expect(await (await logUrl('?container=main')).text()).toBe('starting again\n');
  });

  it('ends a follow when the pod is deleted, and forgets its lines', async () => {
    server.logs.append('shop', 'cart-0', 'main', 'serving');
    const follow = openLog(server, 'cart-0', 'main', { follow: true });
    await follow.request;
    await eventually(() => expect(follow.lines()).toEqual(['serving']));
    await core.deleteNamespacedPod({ name: 'cart-0', namespace: 'shop' });
    await eventually(() => expect(follow.ended()).toBe(true));
    expect(server.logs.append('shop', 'cart-0', 'main', 'too late')).toBe(false);
    expect((await logUrl('?container=main')).status).toBe(404);
  });

  it('keeps the newest lines of a container, as a log rotation would', async () => {
    const small = await KubernetesTestServer.start({ namespaces: ['shop'], maxLogLinesPerContainer: 3 });
    try {
      small.objects.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'main', image: 'x' }] } });
      for (let i = 1; i <= 5; i += 1) small.logs.append('shop', 'p', 'main', `line ${i}`);
      expect(small.logs.lines('shop', 'p', 'main').map(l => l.text)).toEqual(['line 3', 'line 4', 'line 5']);
    } finally {
      await small.close();
    }
  });

  it('refuses what the real server refuses, naming the parameter', async () => {
    const noContainer = await logUrl('');
    expect(noContainer.status).toBe(400);
    expect((await noContainer.json()).message).toBe(
      'a container name must be specified for pod cart-0, choose one of: [main proxy]',
    );
    const noPrevious = await logUrl('?container=main&previous=true');
    expect(noPrevious.status).toBe(400);
    expect((await noPrevious.json()).message).toBe('previous terminated container "main" in pod "cart-0" not found');
    const unknownPod = await logUrl('?container=main', 'nope-0');
    expect(unknownPod.status).toBe(404);
    expect((await unknownPod.json()).message).toBe('pods "nope-0" not found');
    const both = await logUrl('?container=main&sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z');
    expect(both.status).toBe(422);
    expect((await both.json()).message).toContain('at most one of `sinceTime` or `sinceSeconds`');
    for (const [query, field] of [
      ['tailLines=-1', 'tailLines'],
      ['sinceSeconds=0', 'sinceSeconds'],
      ['limitBytes=0', 'limitBytes'],
      ['tailLines=ten', 'tailLines'],
      ['follow=maybe', 'follow'],
      ['sinceTime=yesterday', 'sinceTime'],
    ]) {
      const response = await logUrl(`?container=main&${query}`);
      expect([400, 422]).toContain(response.status);
      expect((await response.json()).message).toContain(field);
    }
  });
});
