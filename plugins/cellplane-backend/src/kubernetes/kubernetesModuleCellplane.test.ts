import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import request from 'supertest';
import { kubernetesModuleCellplane } from './kubernetesModuleCellplane';

describe('kubernetesModuleCellplane', () => {
  const servers: KubernetesTestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(server => server.close()));
  });

  async function dataPlane() {
    const server = await KubernetesTestServer.start({ host: '127.0.0.1' });
    servers.push(server);
    return server;
  }

  async function start(config: Record<string, unknown>) {
    const backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleCellplane,
        mockServices.rootConfig.factory({ data: { kubernetes: { serviceLocatorMethod: { type: 'multiTenant' } }, ...config } }),
      ],
    });
    return backend;
  }

  const clusterNames = async (server: Parameters<typeof request>[0]) =>
    (await request(server).get('/api/kubernetes/clusters').expect(200)).body.items.map((c: { name: string }) => c.name).sort();

  // Fetching a component's objects through the Kubernetes plugin is tested in the running portal
  // (packages/app/e2e-tests/status.test.ts): its serviceAccount strategy loads
  // @kubernetes/client-node with a dynamic import, which Jest's module sandbox cannot run.
  it("offers Cellplane's data planes as the Kubernetes plugin's clusters", async () => {
    const plane = await dataPlane();
    const { server } = await start({
      cellplane: { dataPlanes: [{ name: 'development-plane', url: plane.url, skipTLSVerify: true, auth: { serviceAccountToken: plane.adminToken } }] },
    });
    const clusters = (await request(server).get('/api/kubernetes/clusters').expect(200)).body.items;
    expect(clusters).toEqual([expect.objectContaining({ name: 'development-plane', title: 'development-plane', authProvider: 'serviceAccount' })]);
    expect(JSON.stringify(clusters)).not.toContain(plane.adminToken);
  });

  it('with no data planes configured, offers the sandbox', async () => {
    const { server } = await start({});
    expect(await clusterNames(server)).toEqual(['sandbox']);
    const [sandbox] = (await request(server).get('/api/kubernetes/clusters').expect(200)).body.items;
    expect(sandbox.title).toBe('sandbox (Cellplane sandbox)');
  });

  it('keeps clusters configured for the Kubernetes plugin, which win a name clash', async () => {
    const plane = await dataPlane();
    const other = await dataPlane();
    const { server } = await start({
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'shared', url: other.url, authProvider: 'serviceAccount', serviceAccountToken: other.adminToken, skipTLSVerify: true },
              { name: 'development-plane', url: other.url, authProvider: 'serviceAccount', serviceAccountToken: other.adminToken, skipTLSVerify: true },
            ],
          },
        ],
      },
      cellplane: { dataPlanes: [{ name: 'development-plane', url: plane.url, skipTLSVerify: true, auth: { serviceAccountToken: plane.adminToken } }] },
    });
    expect(await clusterNames(server)).toEqual(['development-plane', 'shared']);
  });
});
