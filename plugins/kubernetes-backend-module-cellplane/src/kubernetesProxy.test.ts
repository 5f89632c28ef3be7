import { mockCredentials } from '@backstage/backend-test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { CART_API } from './__testUtils__/kubernetesBackendProcess';

/**
 * Backstage's Kubernetes plugin on the sandbox, as a signed-in guest uses it. The backend runs in
 * a Node process of its own (see __testUtils__/kubernetesBackendProcess.ts): the plugin's proxy
 * and fetcher load @kubernetes/client-node with dynamic imports, which Jest cannot run.
 */
describe("Backstage's Kubernetes plugin on the sandbox, for a guest", () => {
  let backend: ChildProcess;
  let url: string;
  const namespace = `acme-${CART_API.project}-${CART_API.environment}`;
  const guest = mockCredentials.user.header('user:development/guest');

  beforeAll(async () => {
    const packageDir = join(__dirname, '..');
    backend = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '__testUtils__', 'kubernetesBackendProcess.ts'),
      ],
      {
        cwd: packageDir,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    backend.stderr!.on('data', chunk => (stderr += chunk));
    const lines = createInterface({ input: backend.stdout! });
    url = await new Promise<string>((resolve, reject) => {
      backend.once('exit', code =>
        reject(new Error(`backend process exited with ${code}: ${stderr}`)),
      );
      lines.on('line', line => {
        if (line.startsWith('{"url"')) resolve(JSON.parse(line).url);
      });
    });
  }, 120_000);

  afterAll(async () => {
    if (backend.exitCode !== null) return;
    const exited = new Promise(resolve => backend.once('exit', resolve));
    backend.stdin!.end();
    await exited;
  });

  const proxy = (path: string, init: RequestInit = {}) =>
    fetch(`${url}/api/kubernetes/proxy${path}`, {
      ...init,
      headers: {
        authorization: guest,
        'Backstage-Kubernetes-Cluster': 'sandbox',
        ...init.headers,
      },
    });
  const deploymentPath = `/apis/apps/v1/namespaces/${namespace}/deployments/cart-api`;

  it("shows the component's objects in the Kubernetes tab (objects by entity)", async () => {
    const response = await fetch(`${url}/api/kubernetes/services/cart-api`, {
      method: 'POST',
      headers: { authorization: guest, 'content-type': 'application/json' },
      body: JSON.stringify({
        entity: {
          kind: 'Component',
          metadata: { name: 'cart-api', namespace: 'acme' },
        },
      }),
    });
    expect(response.status).toBe(200);
    const [sandbox] = (await response.json()).items;
    expect(sandbox.errors).toEqual([]);
    const deployments = sandbox.resources.find(
      (r: any) => r.type === 'deployments',
    );
    expect(deployments.resources.map((d: any) => d.metadata.name)).toEqual([
      'cart-api',
    ]);
  });

  it('reads through the proxy: the Deployment, pod logs and events', async () => {
    expect((await proxy(deploymentPath)).status).toBe(200);
    const pods = await (
      await proxy(`/api/v1/namespaces/${namespace}/pods`)
    ).json();
    const pod = pods.items[0].metadata.name;
    const log = await proxy(
      `/api/v1/namespaces/${namespace}/pods/${pod}/log?container=main`,
    );
    expect(log.status).toBe(200);
    expect(await log.text()).toContain(
      `container main, image registry.example/cart-api:1.0`,
    );
    expect(
      (
        await proxy(
          `/api/v1/namespaces/${namespace}/events?fieldSelector=involvedObject.name=${pod}`,
        )
      ).status,
    ).toBe(200);
  });

  it('refuses writes through the proxy with 403 and changes nothing', async () => {
    const before = await (await proxy(deploymentPath)).json();
    const pods = (
      await (await proxy(`/api/v1/namespaces/${namespace}/pods`)).json()
    ).items;

    const patch = await proxy(deploymentPath, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({
        spec: { replicas: 0 },
        metadata: { labels: { hacked: 'yes' } },
      }),
    });
    expect(patch.status).toBe(403);
    const remove = await proxy(
      `/api/v1/namespaces/${namespace}/pods/${pods[0].metadata.name}`,
      { method: 'DELETE' },
    );
    expect(remove.status).toBe(403);
    const create = await proxy(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...before,
          metadata: { name: 'intruder', namespace },
        }),
      },
    );
    expect(create.status).toBe(403);

    const after = await (await proxy(deploymentPath)).json();
    // The sandbox may still be writing the Deployment's status (a rollout), which moves its
    // resourceVersion; a write through the proxy would show in the generation and the labels.
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.metadata.labels).toEqual(before.metadata.labels);
    expect(after.spec.replicas).toBe(before.spec.replicas);
    expect(
      (
        await proxy(
          `/apis/apps/v1/namespaces/${namespace}/deployments/intruder`,
        )
      ).status,
    ).toBe(404);
    expect(
      (await (await proxy(`/api/v1/namespaces/${namespace}/pods`)).json())
        .items,
    ).toHaveLength(pods.length);
  });
});
