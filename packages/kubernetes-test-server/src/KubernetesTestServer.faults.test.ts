import {
  AppsV1Api,
  CoreV1Api,
  makeInformer,
  V1ConfigMap,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { eventually, statusOf } from './testing/fixtures';

describe('KubernetesTestServer: fault injection and request counting', () => {
  let server: KubernetesTestServer;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ namespaces: ['shop'] });
    core = server.kubeConfig().makeApiClient(CoreV1Api);
  });

  afterEach(() => server.close());

  function configMap(name: string, data: Record<string, string> = {}) {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'shop' },
      data,
    };
  }

  it('fails the next N matching requests with a 500 Status, then recovers', async () => {
    server.faults.failNextRequests(2, {
      match: { verb: 'list', resource: 'configmaps' },
    });
    await core.readNamespace({ name: 'shop' }); // not matched: unaffected
    for (let i = 0; i < 2; i++) {
      expect(
        await statusOf(core.listNamespacedConfigMap({ namespace: 'shop' })),
      ).toMatchObject({
        code: 500,
        reason: 'InternalError',
        message: 'Internal error occurred: injected fault',
      });
    }
    expect(
      (await core.listNamespacedConfigMap({ namespace: 'shop' })).items,
    ).toEqual([]);
  });

  it('fails matching requests with a chosen status until undone', async () => {
    const undo = server.faults.failRequests({
      status: 503,
      match: { path: '/api/v1/namespaces' },
    });
    expect((await statusOf(core.listNamespace())).reason).toBe(
      'ServiceUnavailable',
    );
    expect((await statusOf(core.listNamespace())).code).toBe(503);
    undo();
    expect((await core.listNamespace()).items).toHaveLength(1);
  });

  it('adds latency to matching requests', async () => {
    server.faults.addLatency(150, { verb: 'get' });
    const started = Date.now();
    await core.readNamespace({ name: 'shop' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const quick = Date.now();
    await core.listNamespace();
    expect(Date.now() - quick).toBeLessThan(140);
  });

  it('refuses connections until told to accept them again, on the same address', async () => {
    const url = server.url;
    await server.faults.refuseConnections();
    await expect(core.listNamespace()).rejects.toThrow(/ECONNREFUSED/);
    await server.faults.acceptConnections();
    expect(server.url).toBe(url);
    expect((await core.listNamespace()).items).toHaveLength(1);
  });

  it('drops open watches; an informer restarted on error catches up without losing changes', async () => {
    server.objects.put(configMap('a'));
    const informer = makeInformer<V1ConfigMap>(
      server.kubeConfig(),
      '/api/v1/namespaces/shop/configmaps',
      () => core.listNamespacedConfigMap({ namespace: 'shop' }),
    );
    let errors = 0;
    // What a long-running consumer does: restart after an error (client-node stops the informer).
    informer.on('error', () => {
      errors++;
      setTimeout(() => informer.start(), 20);
    });
    await informer.start();
    try {
      await eventually(() => expect(informer.list()).toHaveLength(1));
      expect(server.faults.dropWatches()).toBe(1);
      server.objects.put(configMap('b'));
      server.objects.put(configMap('a', { changed: 'yes' }));
      await eventually(() => {
        expect(
          informer
            .list()
            .map(c => c.metadata?.name)
            .sort(),
        ).toEqual(['a', 'b']);
        expect(informer.get('a', 'shop')?.data).toEqual({ changed: 'yes' });
      });

      // Refused connections: the informer keeps retrying and recovers when the server is back.
      const errorsBefore = errors;
      await server.faults.refuseConnections();
      server.objects.put(configMap('c'));
      await eventually(() => expect(errors).toBeGreaterThan(errorsBefore));
      await server.faults.acceptConnections();
      await eventually(() => expect(informer.list()).toHaveLength(3));
    } finally {
      await informer.stop();
    }
  });

  it('counts requests per verb and path', async () => {
    const apps = server.kubeConfig().makeApiClient(AppsV1Api);
    server.requests.reset();
    await apps.listDeploymentForAllNamespaces();
    await apps.listDeploymentForAllNamespaces();
    await core.readNamespace({ name: 'shop' });
    expect(server.requests.count()).toBe(3);
    expect(
      server.requests.count({ verb: 'list', resource: 'deployments' }),
    ).toBe(2);
    expect(server.requests.countsByVerbAndPath()).toEqual({
      'list /apis/apps/v1/deployments': 2,
      'get /api/v1/namespaces/shop': 1,
    });
    expect(server.requests.entries()[2]).toMatchObject({
      verb: 'get',
      resource: 'namespaces',
      name: 'shop',
      user: 'admin',
    });
  });

  it('resets every fault at once', async () => {
    server.faults.failRequests();
    server.faults.addLatency(500);
    await server.faults.refuseConnections();
    await server.faults.reset();
    const started = Date.now();
    expect((await core.listNamespace()).items).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(400);
  });
});
