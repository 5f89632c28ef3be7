import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { cellplaneDataPlanesServiceRef } from '@cellplane/backstage-plugin-node';
import { cellNamespace, eventually, exampleRepository, renderedLabels } from '@cellplane/backstage-plugin-node/testUtils';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import http, { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { cellplanePlugin } from '../plugin';

const USER_WITHOUT_LOGS = 'user:default/no-logs';
const cart = { project: 'storefront', component: 'cart-api', environment: 'development' };
const namespace = cellNamespace(cart);
const LOGS = '/api/cellplane/logs/acme/cart-api/development';

/** Reads a logs Server-Sent Events stream into its events, and says when the backend ended it. */
function openLogStream(server: Server, query = '') {
  const events: Array<{ event: string; data: any }> = [];
  let ended = false;
  let raw = '';
  const { port } = server.address() as AddressInfo;
  const req = http.get({ host: '127.0.0.1', port, path: `${LOGS}${query}` }, res => {
    res.setEncoding('utf8');
    res.on('data', chunk => {
      raw += chunk;
      for (let end = raw.indexOf('\n\n'); end >= 0; end = raw.indexOf('\n\n')) {
        const message = raw.slice(0, end).split('\n');
        raw = raw.slice(end + 2);
        const event = message.find(l => l.startsWith('event: '))?.slice(7);
        const data = message.find(l => l.startsWith('data: '))?.slice(6);
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    });
    res.on('end', () => (ended = true));
  });
  req.on('error', () => undefined);
  return {
    events,
    ended: () => ended,
    lines: () => events.filter(e => e.event === 'lines').flatMap(e => e.data.lines.map((l: any) => l.text)),
    of: (name: string) => events.filter(e => e.event === name).map(e => e.data),
    close: () => req.destroy(),
  };
}

describe('logs and events routes over a data plane served by the Kubernetes test server', () => {
  const fixture = exampleRepository();
  let cluster: KubernetesTestServer;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  const pod = (name: string, containers = ['main']) =>
    cluster.objects.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: renderedLabels(cart), creationTimestamp: new Date().toISOString() },
      spec: { containers: containers.map(c => ({ name: c, image: `registry.example/${c}:1` })) },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: containers.map(c => ({ name: c, image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } })),
      },
    });

  beforeAll(async () => {
    cluster = await KubernetesTestServer.start({ namespaces: [namespace] });
    backend = await startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') } },
            events: { useEventBus: 'never' },
          },
        }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.user('user:default/alice') }),
        mockServices.permissions.mock({
          async authorize(requests, { credentials }) {
            const denied = (credentials.principal as { userEntityRef?: string }).userEntityRef === USER_WITHOUT_LOGS;
            return requests.map(() => ({ result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW }));
          },
        }).factory,
        createServiceFactory({
          service: cellplaneDataPlanesServiceRef,
          deps: {},
          factory: () => ({
            connections: [{ name: 'default', kubeConfig: cluster.kubeConfig(), server: cluster.url, sandbox: false }],
          }),
        }),
      ],
    });
    pod('cart-api-abc-0');
    await eventually(async () => {
      const { status } = await request(backend.server).get(`${LOGS}/pods`);
      if (status !== 200) throw new Error(`the pods route answered ${status}`);
    });
  });

  afterAll(async () => {
    await backend.stop();
    await cluster.close();
    fixture.cleanup();
  });

  it('lists the pods of the component in the environment, with their containers, for the picker', async () => {
    const other = { ...cart, component: 'web-shop' };
    cluster.objects.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-shop-0', namespace, labels: renderedLabels(other) },
      spec: { containers: [{ name: 'main', image: 'web' }] },
    });
    const response = await request(backend.server).get(`${LOGS}/pods`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      namespace: 'acme',
      component: 'cart-api',
      environment: 'development',
      dataPlane: { name: 'default', sandbox: false },
      pods: [
        {
          name: 'cart-api-abc-0',
          namespace,
          phase: 'Running',
          ready: true,
          containers: [{ name: 'main', ready: true, restartCount: 0, state: 'running', hasPrevious: false }],
        },
      ],
    });
  });

  it('follows: a line appended after the request reaches the stream', async () => {
    cluster.logs.append(namespace, 'cart-api-abc-0', 'main', 'GET /cart 200 12ms');
    const stream = openLogStream(backend.server, '?follow=true');
    try {
      await eventually(() => expect(stream.lines()).toEqual(['GET /cart 200 12ms']));
      expect(stream.of('ready')[0]).toMatchObject({ dataPlane: 'default', pods: [{ pod: 'cart-api-abc-0', container: 'main' }], follow: true });
      cluster.logs.append(namespace, 'cart-api-abc-0', 'main', 'POST /cart/items 201 30ms');
      await eventually(() => expect(stream.lines()).toEqual(['GET /cart 200 12ms', 'POST /cart/items 201 30ms']));
      expect(stream.events.find(e => e.event === 'lines')!.data.lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(stream.ended()).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('reads since and tail, filters by search, and ends a read that does not follow', async () => {
    pod('cart-api-abc-1');
    const now = Date.now();
    cluster.logs.append(namespace, 'cart-api-abc-1', 'main', 'GET /old 200', new Date(now - 3_600_000));
    cluster.logs.append(namespace, 'cart-api-abc-1', 'main', 'GET /recent 500', new Date(now - 30_000));
    cluster.logs.append(namespace, 'cart-api-abc-1', 'main', 'GET /now 200', new Date(now));
    const since = openLogStream(backend.server, '?pod=cart-api-abc-1&sinceSeconds=60');
    await eventually(() => expect(since.ended()).toBe(true));
    expect(since.lines()).toEqual(['GET /recent 500', 'GET /now 200']);
    expect(since.of('end')).toEqual([{ pod: 'cart-api-abc-1', container: 'main', reason: 'end of the log' }]);
    const tail = openLogStream(backend.server, '?pod=cart-api-abc-1&tailLines=1');
    await eventually(() => expect(tail.ended()).toBe(true));
    expect(tail.lines()).toEqual(['GET /now 200']);
    const search = openLogStream(backend.server, '?pod=cart-api-abc-1&search=RECENT');
    await eventually(() => expect(search.ended()).toBe(true));
    expect(search.lines()).toEqual(['GET /recent 500']);
  });

  it('ends a follow when the container restarts, and reads the previous instance', async () => {
    pod('cart-api-abc-2');
    cluster.logs.append(namespace, 'cart-api-abc-2', 'main', 'panic: connection refused');
    const follow = openLogStream(backend.server, '?pod=cart-api-abc-2&follow=true');
    await eventually(() => expect(follow.lines()).toEqual(['panic: connection refused']));
    cluster.logs.restart(namespace, 'cart-api-abc-2', 'main');
    await eventually(() => expect(follow.ended()).toBe(true));
    expect(follow.of('end')[0]).toMatchObject({ pod: 'cart-api-abc-2', reason: 'the container stopped, or its pod was deleted' });
    cluster.logs.append(namespace, 'cart-api-abc-2', 'main', 'starting');
    const previous = openLogStream(backend.server, '?pod=cart-api-abc-2&previous=true');
    await eventually(() => expect(previous.ended()).toBe(true));
    expect(previous.lines()).toEqual(['panic: connection refused']);
    const noPrevious = openLogStream(backend.server, '?pod=cart-api-abc-0&previous=true');
    await eventually(() => expect(noPrevious.ended()).toBe(true));
    expect(noPrevious.of('log-error')[0].message).toBe(
      `data plane default (${cluster.url}): could not read the log of cart-api-abc-0/main: HTTP 400: previous terminated container "main" in pod "cart-api-abc-0" not found`,
    );
  });

  it('sends the Kubernetes Events of the component, newest first, and new ones on the stream', async () => {
    const podUid = cluster.objects.get<any>('v1', 'Pod', namespace, 'cart-api-abc-0')!.metadata.uid;
    const event = (name: string, reason: string, message: string, at: number, type = 'Warning') =>
      cluster.objects.put({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: { kind: 'Pod', name: 'cart-api-abc-0', namespace, uid: podUid },
        reason,
        message,
        type,
        count: 1,
        lastTimestamp: new Date(at).toISOString(),
      });
    event('cart-api-abc-0.1', 'BackOff', 'Back-off restarting failed container main', Date.now() - 10_000);
    event('cart-api-abc-0.2', 'Unhealthy', 'Readiness probe failed: HTTP 503', Date.now());
    // Not only the events that explain a status: the ordinary life of the pod too.
    event('cart-api-abc-0.0', 'Scheduled', 'Successfully assigned to sandbox', Date.now() - 20_000, 'Normal');
    await eventually(async () => {
      const response = await request(backend.server).get('/api/cellplane/events/acme/cart-api/development');
      expect(response.status).toBe(200);
      expect(response.body.items.map((e: any) => e.reason)).toEqual(['Unhealthy', 'BackOff', 'Scheduled']);
      expect(response.body.items[0]).toMatchObject({ type: 'Warning', object: { kind: 'Pod', name: 'cart-api-abc-0' }, count: 1 });
    });
    const stream = openLogStream(backend.server, '?pod=cart-api-abc-0&follow=true');
    try {
      await eventually(() => expect(stream.of('kube-event').map(e => e.reason)).toEqual(['Scheduled', 'BackOff', 'Unhealthy']));
      event('cart-api-abc-0.3', 'FailedMount', 'MountVolume.SetUp failed for volume "config"', Date.now() + 1000);
      await eventually(() => expect(stream.of('kube-event').map(e => e.reason)).toEqual(['Scheduled', 'BackOff', 'Unhealthy', 'FailedMount']));
    } finally {
      stream.close();
    }
  });

  it('refuses bad parameters naming them, unknown components and environments, and users without cellplane.logs.read', async () => {
    const bad = async (query: string, message: RegExp) => {
      const response = await request(backend.server).get(`${LOGS}${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
    };
    await bad('?tail=5', /^unknown query parameter "tail": this route takes pod, container, follow/);
    await bad('?tailLines=-1', /^tailLines must be a whole number from 0 to 10000, got "-1"/);
    await bad('?sinceSeconds=soon', /^sinceSeconds must be a whole number/);
    await bad('?follow=yes', /^follow must be true or false/);
    await bad('?pod=Not_A_Pod', /^pod must be a pod name/);
    await bad('?container=main&container=proxy', /^container must be given once/);
    await bad('?pod=cart-api-abc-0&container=proxy', /^container "proxy" is not in pod cart-api-abc-0: choose one of main/);
    expect((await request(backend.server).get(`${LOGS}/pods?x=1`)).status).toBe(400);
    const unknownComponent = await request(backend.server).get('/api/cellplane/logs/acme/nope/development');
    expect(unknownComponent.status).toBe(404);
    expect(unknownComponent.body.error.message).toBe('no component acme/nope in the GitOps repository');
    const unknownEnvironment = await request(backend.server).get('/api/cellplane/events/acme/cart-api/qa');
    expect(unknownEnvironment.status).toBe(404);
    expect(unknownEnvironment.body.error.message).toBe('no environment qa for component acme/cart-api in the GitOps repository');
    expect((await request(backend.server).get(`${LOGS}?pod=cart-api-zzz-9`)).status).toBe(404);
    const denied = await request(backend.server).get(`${LOGS}/pods`).set('authorization', mockCredentials.user.header(USER_WITHOUT_LOGS));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('reading logs and events requires the cellplane.logs.read permission');
  });

  // Last: the data plane stops answering.
  it('says which data plane went away mid-follow and why, and which one cannot be reached', async () => {
    const stream = openLogStream(backend.server, '?pod=cart-api-abc-0&follow=true');
    await eventually(() => expect(stream.of('ready')).toHaveLength(1));
    await eventually(() => expect(stream.lines().length).toBeGreaterThan(0));
    await cluster.faults.refuseConnections();
    await eventually(() => expect(stream.ended()).toBe(true));
    expect(stream.of('log-error')).toEqual([
      {
        message: `data plane default (${cluster.url}): the connection broke while following cart-api-abc-0/main`,
        dataPlane: 'default',
        pod: 'cart-api-abc-0',
        container: 'main',
      },
    ]);
    const unreachable = openLogStream(backend.server, '?follow=true');
    await eventually(() => expect(unreachable.ended()).toBe(true));
    expect(unreachable.of('log-error')[0].message).toMatch(
      new RegExp(`^could not list the pods of cart-api in development on data plane default \\(${cluster.url}\\): .*ECONNREFUSED`),
    );
    const pods = await request(backend.server).get(`${LOGS}/pods`);
    expect(pods.status).toBe(503);
    expect(pods.body.dataPlane).toBe('default');
  });
});
