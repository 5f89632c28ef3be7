import { mockServices } from '@backstage/backend-test-utils';
import { KubeConfig } from '@kubernetes/client-node';
import { DataPlaneConnection } from '@cellplane/backstage-plugin-node';
import { renderedComponent } from '@cellplane/backstage-plugin-node/testUtils';
import { startSandboxDataPlane } from '@cellplane/sandbox';
import { dataPlaneCluster } from './dataPlaneClusters';

function connection(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): DataPlaneConnection {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://api.dp.example:6443', skipTLSVerify: false, ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return { name: 'production-plane', kubeConfig, server: 'https://api.dp.example:6443', sandbox: false };
}

describe('dataPlaneCluster', () => {
  it('passes a token data plane on with its token, CA and TLS setting', () => {
    const logger = mockServices.logger.mock();
    expect(dataPlaneCluster(connection({ token: 'sa-token' }, { caData: 'Q0E=' }), logger)).toEqual({
      name: 'production-plane',
      title: 'production-plane',
      url: 'https://api.dp.example:6443',
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: 'sa-token' },
      caData: 'Q0E=',
      skipMetricsLookup: true,
    });
  });

  it("lets an in-cluster data plane use the pod's mounted token", () => {
    const cluster = dataPlaneCluster(
      connection({ authProvider: { name: 'tokenFile', config: { tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' } } }),
      mockServices.logger.mock(),
    );
    expect(cluster?.authMetadata).toEqual({ 'kubernetes.io/auth-provider': 'serviceAccount' });
  });

  it('leaves out a data plane reached with client certificates, and says what to configure', () => {
    const logger = mockServices.logger.mock();
    expect(dataPlaneCluster(connection({ certData: 'Y2VydA==', keyData: 'a2V5' }), logger)).toBeUndefined();
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(/production-plane .*serviceAccountToken in cellplane\.dataPlanes/));
  });
});

describe('the sandbox handed to the Kubernetes plugin', () => {
  it('comes with a token that reads everything the Kubernetes tab shows, pod logs included, and writes nothing', async () => {
    const sandbox = await startSandboxDataPlane({ logger: mockServices.logger.mock() });
    try {
      const namespace = 'acme-storefront-development';
      const [deployment] = renderedComponent({ project: 'storefront', component: 'cart-api', environment: 'development' });
      await sandbox.sync.sync('a'.repeat(40), [deployment]);
      const [pod] = sandbox.server.objects.list<any>('v1', 'Pod', namespace);

      const cluster = dataPlaneCluster(sandbox.connection, mockServices.logger.mock())!;
      const token = cluster.authMetadata.serviceAccountToken!;
      expect(token).not.toBe(sandbox.server.adminToken);
      const asKubernetesPlugin = (path: string, init: RequestInit = {}) =>
        fetch(`${cluster.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

      expect((await asKubernetesPlugin(`/apis/apps/v1/namespaces/${namespace}/deployments`)).status).toBe(200);
      const log = await asKubernetesPlugin(`/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log?container=main`);
      expect(log.status).toBe(200);
      expect(await log.text()).toContain(`pod ${namespace}/${pod.metadata.name}, container main, image registry.example/cart-api:1.0`);

      const before = sandbox.server.objects.get<any>('apps/v1', 'Deployment', namespace, 'cart-api');
      const patch = await asKubernetesPlugin(`/apis/apps/v1/namespaces/${namespace}/deployments/cart-api`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { replicas: 0 } }),
      });
      expect(patch.status).toBe(403);
      expect((await asKubernetesPlugin(`/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}`, { method: 'DELETE' })).status).toBe(403);
      expect(sandbox.server.objects.get<any>('apps/v1', 'Deployment', namespace, 'cart-api')).toEqual(before);
      expect(sandbox.server.objects.list('v1', 'Pod', namespace)).toHaveLength(1);
    } finally {
      await sandbox.stop();
    }
  });
});
