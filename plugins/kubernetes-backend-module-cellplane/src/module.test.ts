import { ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import request from 'supertest';
import { sandboxDataPlanesServiceFactory } from '@cellplane/sandbox';
import { kubernetesModuleCellplane } from './module';

const VIEWER_TOKEN = 'viewer-token';

describe('kubernetesModuleCellplane', () => {
  const servers: KubernetesTestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(server => server.close()));
  });

  /** A data plane with a token that can only read (what status needs) besides its admin token. */
  async function dataPlane() {
    const server = await KubernetesTestServer.start({
      host: '127.0.0.1',
      tokens: { [VIEWER_TOKEN]: { user: 'viewer', rules: [{ verbs: ['get', 'list', 'watch'] }] } },
    });
    servers.push(server);
    return server;
  }

  async function start(
    config: Record<string, unknown>,
    logger: ServiceFactory = mockServices.rootLogger.factory(),
    { withSandbox = true }: { withSandbox?: boolean } = {},
  ) {
    const backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleCellplane,
        ...(withSandbox ? [sandboxDataPlanesServiceFactory] : []),
        logger,
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
      cellplane: { dataPlanes: [{ name: 'development-plane', url: plane.url, skipTLSVerify: true, auth: { serviceAccountToken: VIEWER_TOKEN } }] },
    });
    const clusters = (await request(server).get('/api/kubernetes/clusters').expect(200)).body.items;
    expect(clusters).toEqual([expect.objectContaining({ name: 'development-plane', title: 'development-plane', authProvider: 'serviceAccount' })]);
    expect(JSON.stringify(clusters)).not.toContain(VIEWER_TOKEN);
  });

  describe('hands a configured data plane over read-only unless configured otherwise', () => {
    const plane = (server: KubernetesTestServer, more: Record<string, unknown> = {}) => ({
      cellplane: {
        dataPlanes: [{ name: 'production-plane', url: server.url, skipTLSVerify: true, auth: { serviceAccountToken: server.adminToken }, ...more }],
      },
    });

    it('leaves out a data plane whose credentials can write, and says which key to set', async () => {
      const server = await dataPlane();
      const logger = mockServices.rootLogger.mock();
      const child = mockServices.logger.mock();
      logger.child.mockReturnValue(child);
      child.child.mockReturnValue(child);
      const { server: backend } = await start(plane(server), logger.factory);
      expect(await clusterNames(backend)).toEqual([]);
      expect(child.error).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Data plane production-plane is not shown .*may create pods\/exec, delete pods, .*patch deployments\.apps.*Set kubernetesPlugin\.serviceAccountToken of the cellplane\.dataPlanes entry production-plane to a read-only token .*kubernetesPlugin\.access to readWrite/,
        ),
      );
    });

    it('shows it with a read-only token of its own for the Kubernetes plugin', async () => {
      const server = await dataPlane();
      const { server: backend } = await start(plane(server, { kubernetesPlugin: { serviceAccountToken: VIEWER_TOKEN } }));
      expect(await clusterNames(backend)).toEqual(['production-plane']);
    });

    it('shows it with writing credentials only when access is readWrite, and never with access none', async () => {
      const server = await dataPlane();
      const readWrite = await start(plane(server, { kubernetesPlugin: { access: 'readWrite' } }));
      expect(await clusterNames(readWrite.server)).toEqual(['production-plane']);
      await readWrite.stop();
      const none = await start(plane(server, { auth: { serviceAccountToken: VIEWER_TOKEN }, kubernetesPlugin: { access: 'none' } }));
      expect(await clusterNames(none.server)).toEqual([]);
    });
  });

  it('with no data planes configured and no sandbox in the backend, offers no cluster', async () => {
    const { server } = await start({}, undefined, { withSandbox: false });
    expect(await clusterNames(server)).toEqual([]);
  });

  it('with no data planes configured, offers the sandbox when the backend adds it', async () => {
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
      cellplane: { dataPlanes: [{ name: 'development-plane', url: plane.url, skipTLSVerify: true, auth: { serviceAccountToken: VIEWER_TOKEN } }] },
    });
    expect(await clusterNames(server)).toEqual(['development-plane', 'shared']);
  });
});
