import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
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

  it('accepts tokens added at runtime', async () => {
    server.addToken('late', { user: 'late' });
    const late = server.kubeConfig({ token: 'late' }).makeApiClient(CoreV1Api);
    expect((await late.listNamespace()).items.length).toBe(2);
  });
});
