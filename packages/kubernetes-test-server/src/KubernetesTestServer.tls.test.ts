import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { eventually } from './testing/fixtures';

describe('KubernetesTestServer over HTTPS', () => {
  it('serves a self-signed certificate that the generated kubeconfig trusts', async () => {
    const server = await KubernetesTestServer.start({ tls: 'self-signed' });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(server.certificate).toContain('BEGIN CERTIFICATE');
      const kc = server.kubeConfig();
      expect(kc.getCurrentCluster()?.skipTLSVerify).toBe(false);
      const core = kc.makeApiClient(CoreV1Api);
      expect((await core.listNamespace()).items.length).toBeGreaterThan(0);
      const seen: string[] = [];
      const controller = await new Watch(kc).watch(
        '/api/v1/namespaces',
        {},
        type => seen.push(type),
        () => {},
      );
      await eventually(() => expect(seen).toContain('ADDED'));
      controller.abort();
    } finally {
      await server.close();
    }
  });
});
