import { mockServices } from '@backstage/backend-test-utils';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { cellNamespace, eventually, renderedComponent } from '@cellplane/backstage-plugin-node/testUtils';
import { SandboxSync } from './SandboxSync';

describe('sandbox pods write their logs through the test server', () => {
  let server: KubernetesTestServer;
  let sync: SandboxSync;
  beforeEach(async () => {
    server = await KubernetesTestServer.start();
    sync = new SandboxSync({ kubeConfig: server.kubeConfig(), logger: mockServices.logger.mock(), podStartMs: 20, logs: server.logs });
  });
  afterEach(async () => {
    sync.stop();
    await server.close();
  });

  const cart = { project: 'storefront', component: 'cart-api', environment: 'development', replicas: 1 };
  const namespace = cellNamespace(cart);
  const pod = () => server.objects.list<any>('v1', 'Pod', namespace)[0];
  const log = async (query: string) => {
    const response = await fetch(`${server.url}/api/v1/namespaces/${namespace}/pods/${pod().metadata.name}/log?container=main${query}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    return { status: response.status, text: await response.text() };
  };

  it('a ready pod writes its start-up lines, then request lines while it runs', async () => {
    await sync.sync('a'.repeat(40), renderedComponent(cart));
    await eventually(async () => expect((await log('')).text).toContain('ready\n'));
    const started = (await log('')).text.split('\n').filter(Boolean).length;
    // The timer writes about every other tick; a few seconds give several chances.
    await eventually(async () => expect((await log('')).text.split('\n').filter(Boolean).length).toBeGreaterThan(started), 15_000);
    expect((await log('&tailLines=1')).text).toMatch(/^(10\.244\.0\.\d+ - - "(GET|POST) \/\S* HTTP\/1\.1" \d{3} \d+ .*ms|processed job \d+ in \d+ms)\n$/);
  });

  it('a crash-looping pod writes its crash before restarting, readable with previous, and records a BackOff event', async () => {
    await sync.sync('b'.repeat(40), renderedComponent({ ...cart, image: 'acme/cart-api:crashloop' }));
    await eventually(async () => expect((await log('&previous=true')).status).toBe(200));
    expect((await log('&previous=true')).text).toContain('panic: could not connect to a dependency');
    expect((await log('')).text).toContain('panic: could not connect to a dependency');
    await eventually(() =>
      expect(server.objects.list<any>('v1', 'Event', namespace)).toEqual([
        expect.objectContaining({ reason: 'BackOff', type: 'Warning', involvedObject: expect.objectContaining({ kind: 'Pod', name: pod().metadata.name }) }),
      ]),
    );
  });
});
