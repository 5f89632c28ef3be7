import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { deployment, statusOf } from './testing/fixtures';

describe('KubernetesTestServer: bearer-token authentication and authorization', () => {
  let server: KubernetesTestServer;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({
      namespaces: ['default', 'shop'],
      tokens: {
        'read-only': {
          user: 'viewer',
          rules: [{ verbs: ['get', 'list', 'watch'] }],
        },
        'shop-deployer': {
          user: 'deployer',
          rules: [
            {
              verbs: ['*'],
              apiGroups: ['apps'],
              resources: ['deployments'],
              namespaces: ['shop'],
            },
          ],
        },
      },
    });
  });

  afterEach(() => server.close());

  it('answers 401 Unauthorized to unknown or missing tokens, everywhere but /version and health', async () => {
    const unknown = server
      .kubeConfig({ token: 'made-up' })
      .makeApiClient(CoreV1Api);
    // client-node drops the body of a 401 (the OpenAPI spec declares none); the code is what it sees.
    await expect(unknown.listNamespace()).rejects.toMatchObject({ code: 401 });
    const wrongToken = await fetch(`${server.url}/api/v1/namespaces`, {
      headers: { authorization: 'Bearer made-up' },
    });
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const noToken = await fetch(`${server.url}/apis`);
    expect(noToken.status).toBe(401);
    expect((await fetch(`${server.url}/version`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('answers 403 Forbidden naming user, verb, resource and namespace', async () => {
    const viewer = server
      .kubeConfig({ token: 'read-only' })
      .makeApiClient(AppsV1Api);
    expect((await viewer.listDeploymentForAllNamespaces()).items).toEqual([]);
    const forbidden = await statusOf(
      viewer.createNamespacedDeployment({
        namespace: 'shop',
        body: deployment('cart'),
      }),
    );
    expect(forbidden).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'deployments.apps is forbidden: User "viewer" cannot create resource "deployments" in API group "apps" in the namespace "shop"',
    });
  });

  it('limits a namespaced grant to its namespace and resources', async () => {
    const deployer = server
      .kubeConfig({ token: 'shop-deployer' })
      .makeApiClient(AppsV1Api);
    await deployer.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('cart'),
    });
    const otherNamespace = await statusOf(
      deployer.createNamespacedDeployment({
        namespace: 'default',
        body: deployment('cart'),
      }),
    );
    expect(otherNamespace.code).toBe(403);
    const clusterWide = await statusOf(
      deployer.listDeploymentForAllNamespaces(),
    );
    expect(clusterWide.message).toContain('at the cluster scope');
    const statusWrite = await statusOf(
      deployer.replaceNamespacedDeploymentStatus({
        name: 'cart',
        namespace: 'shop',
        body: deployment('cart'),
      }),
    );
    expect(statusWrite.message).toContain('resource "deployments/status"');
    const core = server
      .kubeConfig({ token: 'shop-deployer' })
      .makeApiClient(CoreV1Api);
    expect(
      (await statusOf(core.listNamespacedPod({ namespace: 'shop' }))).code,
    ).toBe(403);
    // Discovery is open to every authenticated user, as with system:discovery.
    expect(
      (await core.getAPIResources()).resources.some(r => r.name === 'pods'),
    ).toBe(true);
  });

  it('answers SelfSubjectAccessReviews from the caller\'s own rules, for every authenticated user', async () => {
    const review = (token: string, resourceAttributes: object) =>
      server
        .kubeConfig({ token })
        .makeApiClient(AuthorizationV1Api)
        .createSelfSubjectAccessReview({
          body: { spec: { resourceAttributes } },
        })
        .then(r => r.status?.allowed);
    const patchDeployments = {
      verb: 'patch',
      group: 'apps',
      resource: 'deployments',
    };
    expect(await review(server.adminToken, patchDeployments)).toBe(true);
    expect(await review('read-only', patchDeployments)).toBe(false);
    expect(await review('read-only', { verb: 'list', resource: 'pods' })).toBe(
      true,
    );
    // No namespace means every namespace: a grant in one namespace is not enough.
    expect(await review('shop-deployer', patchDeployments)).toBe(false);
    expect(
      await review('shop-deployer', {
        ...patchDeployments,
        namespace: 'shop',
      }),
    ).toBe(true);
  });

  it('serves pod logs as text to a token that may get pods/log, from the podLogs option', async () => {
    const withLogs = await KubernetesTestServer.start({
      namespaces: ['shop'],
      tokens: {
        viewer: { user: 'viewer', rules: [{ verbs: ['get', 'list', 'watch'] }] },
        'pods-only': {
          user: 'pods-only',
          rules: [{ verbs: ['get'], resources: ['pods'] }],
        },
      },
      podLogs: (pod, container) =>
        `${pod.metadata.name}/${container}: started\n`,
    });
    try {
      withLogs.objects.put({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'cart-0', namespace: 'shop' },
        spec: {
          containers: [
            { name: 'main', image: 'cart' },
            { name: 'proxy', image: 'envoy' },
          ],
        },
      });
      const logs = (token: string, query: string) =>
        fetch(`${withLogs.url}/api/v1/namespaces/shop/pods/cart-0/log${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
      const ok = await logs('viewer', '?container=proxy');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/plain');
      expect(await ok.text()).toBe('cart-0/proxy: started\n');
      const noContainer = await logs('viewer', '');
      expect(noContainer.status).toBe(400);
      expect((await noContainer.json()).message).toBe(
        'a container name must be specified for pod cart-0, choose one of: [main proxy]',
      );
      expect((await logs('viewer', '?container=nope')).status).toBe(400);
      // As RBAC: the log is a subresource a rule on `pods` alone does not grant.
      expect((await logs('pods-only', '?container=main')).status).toBe(403);
      const write = await fetch(
        `${withLogs.url}/api/v1/namespaces/shop/pods/cart-0/log`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${withLogs.adminToken}` },
        },
      );
      expect(write.status).toBe(405);
    } finally {
      await withLogs.close();
    }
  });

  it('accepts tokens added at runtime', async () => {
    server.addToken('late', { user: 'late' });
    const late = server.kubeConfig({ token: 'late' }).makeApiClient(CoreV1Api);
    expect((await late.listNamespace()).items.length).toBe(2);
  });
});
