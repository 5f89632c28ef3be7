import {
  AppsV1Api,
  KubernetesObject,
  makeInformer,
  V1Deployment,
  Watch,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { deployment, eventually } from './testing/fixtures';

type Seen = Array<{ type: string; name?: string; rv?: string }>;

describe('KubernetesTestServer: watch and informers', () => {
  let server: KubernetesTestServer;
  const controllers: AbortController[] = [];

  beforeEach(async () => {
    server = await KubernetesTestServer.start({
      namespaces: ['default', 'shop'],
      bookmarkIntervalMs: 50,
    });
  });

  afterEach(async () => {
    controllers.splice(0).forEach(c => c.abort());
    await server.close();
  });

  async function watch(
    path: string,
    params: Record<string, string | boolean | number>,
    seen: Seen,
    done: (err: unknown) => void = () => {},
  ) {
    const controller = await new Watch(server.kubeConfig()).watch(
      path,
      params,
      (type, object: KubernetesObject) =>
        seen.push({
          type,
          name: object.metadata?.name,
          rv: object.metadata?.resourceVersion,
        }),
      done,
    );
    controllers.push(controller);
    return controller;
  }

  it('streams ADDED, MODIFIED and DELETED after a list resourceVersion', async () => {
    const apps = server.kubeConfig().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('before'),
    });
    const list = await apps.listNamespacedDeployment({ namespace: 'shop' });
    // Written between the list and the watch: still delivered, from history.
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('cart'),
    });
    const seen: Seen = [];
    await watch(
      '/apis/apps/v1/namespaces/shop/deployments',
      { resourceVersion: list.metadata!.resourceVersion! },
      seen,
    );
    await apps.patchNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
      body: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
    });
    await apps.deleteNamespacedDeployment({ name: 'cart', namespace: 'shop' });
    await eventually(() =>
      expect(seen.map(e => `${e.type} ${e.name}`)).toEqual([
        'ADDED cart',
        'MODIFIED cart',
        'DELETED cart',
      ]),
    );
    const rvs = seen.map(e => Number(e.rv));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
  });

  it('starts an unversioned watch with synthetic ADDED events for the current state', async () => {
    server.objects.put({
      ...deployment('a'),
      metadata: { name: 'a', namespace: 'shop', labels: { team: 'x' } },
    });
    server.objects.put({
      ...deployment('b'),
      metadata: { name: 'b', namespace: 'default', labels: { team: 'y' } },
    });
    const seen: Seen = [];
    await watch('/apis/apps/v1/deployments', { labelSelector: 'team=x' }, seen);
    await eventually(() =>
      expect(seen.map(e => `${e.type} ${e.name}`)).toEqual(['ADDED a']),
    );
    // Leaving the selection is a DELETED, entering it an ADDED.
    server.objects.put({
      ...deployment('a'),
      metadata: { name: 'a', namespace: 'shop', labels: { team: 'z' } },
    });
    server.objects.put({
      ...deployment('b'),
      metadata: { name: 'b', namespace: 'default', labels: { team: 'x' } },
    });
    await eventually(() =>
      expect(seen.map(e => `${e.type} ${e.name}`)).toEqual([
        'ADDED a',
        'DELETED a',
        'ADDED b',
      ]),
    );
  });

  it('sends bookmarks when asked and ends at timeoutSeconds', async () => {
    const seen: Seen = [];
    let ended = false;
    await watch(
      '/apis/apps/v1/deployments',
      { allowWatchBookmarks: true, timeoutSeconds: 1 },
      seen,
      () => {
        ended = true;
      },
    );
    server.objects.put({
      ...deployment('a'),
      metadata: { name: 'a', namespace: 'shop' },
    });
    await eventually(() =>
      expect(seen.some(e => e.type === 'BOOKMARK')).toBe(true),
    );
    const bookmark = seen.find(e => e.type === 'BOOKMARK')!;
    expect(Number(bookmark.rv)).toBeGreaterThanOrEqual(Number(seen[0].rv));
    await eventually(() => expect(ended).toBe(true));
  });

  it('answers a watch from a compacted resourceVersion with an ERROR 410 event', async () => {
    const rv = server.objects.resourceVersion();
    server.objects.put({
      ...deployment('a'),
      metadata: { name: 'a', namespace: 'shop' },
    });
    server.faults.expireResourceVersions();
    const seen: Array<{ type: string; object: any }> = [];
    let ended = false;
    const controller = await new Watch(server.kubeConfig()).watch(
      '/apis/apps/v1/deployments',
      { resourceVersion: rv },
      (type, object) => seen.push({ type, object }),
      () => {
        ended = true;
      },
    );
    controllers.push(controller);
    await eventually(() => expect(ended).toBe(true));
    expect(seen).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
        }),
      },
    ]);
  });

  it('keeps an informer in step: ADDED, MODIFIED, DELETED, and a relist after 410', async () => {
    const kc = server.kubeConfig();
    const apps = kc.makeApiClient(AppsV1Api);
    server.objects.put({
      ...deployment('existing'),
      metadata: {
        name: 'existing',
        namespace: 'shop',
        labels: { managed: 'cellplane' },
      },
    });
    const informer = makeInformer<V1Deployment>(
      kc,
      '/apis/apps/v1/deployments',
      () =>
        apps.listDeploymentForAllNamespaces({
          labelSelector: 'managed=cellplane',
        }),
      'managed=cellplane',
    );
    const events: string[] = [];
    informer.on('add', d => events.push(`add ${d.metadata?.name}`));
    informer.on('update', d =>
      events.push(`update ${d.metadata?.name} ${d.spec?.replicas}`),
    );
    informer.on('delete', d => events.push(`delete ${d.metadata?.name}`));
    await informer.start();
    try {
      await eventually(() => expect(events).toEqual(['add existing']));
      server.objects.put({
        ...deployment('new'),
        metadata: {
          name: 'new',
          namespace: 'shop',
          labels: { managed: 'cellplane' },
        },
      });
      server.objects.put({
        ...deployment('ignored'),
        metadata: { name: 'ignored', namespace: 'shop' },
      });
      server.objects.put({
        ...deployment('new', {}, 3),
        metadata: {
          name: 'new',
          namespace: 'shop',
          labels: { managed: 'cellplane' },
        },
      });
      await eventually(() =>
        expect(events).toEqual(['add existing', 'add new', 'update new 3']),
      );
      await apps.deleteNamespacedDeployment({
        name: 'existing',
        namespace: 'shop',
      });
      await eventually(() => expect(events).toContain('delete existing'));

      // History compacted while a change is in flight: the informer relists and catches up.
      const relisted = server.requests.count({ verb: 'list' });
      server.faults.expireResourceVersions();
      server.objects.put({
        ...deployment('late'),
        metadata: {
          name: 'late',
          namespace: 'shop',
          labels: { managed: 'cellplane' },
        },
      });
      await eventually(() =>
        expect(server.requests.count({ verb: 'list' })).toBeGreaterThan(
          relisted,
        ),
      );
      await eventually(() =>
        expect(
          informer
            .list()
            .map(d => d.metadata?.name)
            .sort(),
        ).toEqual(['late', 'new']),
      );
    } finally {
      await informer.stop();
    }
  });
});

describe('KubernetesTestServer: WatchList (sendInitialEvents)', () => {
  it('sends the current state, then a bookmark marking its end, then changes', async () => {
    const server = await KubernetesTestServer.start({
      namespaces: ['shop'],
      bookmarkIntervalMs: 60_000,
    });
    try {
      server.objects.put({
        ...deployment('a'),
        metadata: { name: 'a', namespace: 'shop' },
      });
      const seen: Array<{ type: string; object: any }> = [];
      const controller = await new Watch(server.kubeConfig()).watch(
        '/apis/apps/v1/deployments',
        {
          sendInitialEvents: true,
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: true,
        },
        (type, object) => seen.push({ type, object }),
        () => {},
      );
      server.objects.put({
        ...deployment('b'),
        metadata: { name: 'b', namespace: 'shop' },
      });
      await eventually(() =>
        expect(seen.map(e => e.type)).toEqual(['ADDED', 'BOOKMARK', 'ADDED']),
      );
      expect(seen[1].object.metadata.annotations).toEqual({
        'k8s.io/initial-events-end': 'true',
      });
      controller.abort();

      const refused = await fetch(
        `${server.url}/apis/apps/v1/deployments?watch=true&sendInitialEvents=true`,
        { headers: { authorization: `Bearer ${server.adminToken}` } },
      );
      expect(refused.status).toBe(422);
      expect((await refused.json()).details.causes[0].field).toBe(
        'resourceVersionMatch',
      );
    } finally {
      await server.close();
    }
  });
});

describe('KubernetesTestServer: retained history window', () => {
  it('keeps the last historyLimit events per resource; older resourceVersions are 410 Expired', async () => {
    const server = await KubernetesTestServer.start({
      namespaces: ['shop'],
      historyLimit: 5,
    });
    try {
      const start = server.objects.resourceVersion();
      for (let i = 0; i < 20; i++) {
        server.objects.put({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `c${i}`, namespace: 'shop' },
        });
      }
      const recent = String(Number(server.objects.resourceVersion()) - 2);
      const watchFrom = async (resourceVersion: string) => {
        const response = await fetch(
          `${server.url}/api/v1/configmaps?watch=true&timeoutSeconds=0&resourceVersion=${resourceVersion}`,
          { headers: { authorization: `Bearer ${server.adminToken}` } },
        );
        return (await response.text())
          .trim()
          .split('\n')
          .map(line => JSON.parse(line));
      };
      const expired = await watchFrom(start);
      expect(expired).toEqual([
        {
          type: 'ERROR',
          object: expect.objectContaining({
            code: 410,
            reason: 'Expired',
            message: expect.stringMatching(
              /^too old resource version: \d+ \(\d+\)$/,
            ),
          }),
        },
      ]);
      const fresh = await watchFrom(recent);
      expect(fresh.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'ADDED c18',
        'ADDED c19',
      ]);
      // Other resources keep their own window.
      const pods = await fetch(
        `${server.url}/api/v1/pods?watch=true&timeoutSeconds=0&resourceVersion=${start}`,
        { headers: { authorization: `Bearer ${server.adminToken}` } },
      );
      expect(await pods.text()).toBe('');
    } finally {
      await server.close();
    }
  });
});
