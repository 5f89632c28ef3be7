import {
  AppsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  V1Deployment,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { deployment, statusOf } from './testing/fixtures';

const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

describe('KubernetesTestServer: server-side apply', () => {
  let server: KubernetesTestServer;
  let apps: AppsV1Api;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ namespaces: ['shop'] });
    apps = server.kubeConfig().makeApiClient(AppsV1Api);
  });

  afterEach(() => server.close());

  function applyAs(fieldManager: string, body: V1Deployment, force?: boolean) {
    return apps.patchNamespacedDeployment(
      {
        name: body.metadata!.name!,
        namespace: 'shop',
        body,
        fieldManager,
        force,
      },
      apply,
    );
  }

  it('creates, then merges, recording the manager in managedFields', async () => {
    const created = await applyAs(
      'cellplane',
      deployment('cart', { team: 'x' }),
    );
    expect(created.metadata?.uid).toBeDefined();
    expect(created.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: 'cellplane',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
      }),
    ]);
    expect(created.metadata?.managedFields?.[0].fieldsV1).toMatchObject({
      'f:metadata': { 'f:labels': { 'f:team': {} } },
      'f:spec': { 'f:replicas': {} },
    });

    // Another manager's label survives the first manager's next apply.
    await apps.patchNamespacedDeployment(
      {
        name: 'cart',
        namespace: 'shop',
        body: { metadata: { labels: { owner: 'ops' } } },
        fieldManager: 'kubectl-edit',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const reapplied = await applyAs(
      'cellplane',
      deployment('cart', { team: 'y' }),
    );
    expect(reapplied.metadata?.labels).toEqual({ team: 'y', owner: 'ops' });
    expect(
      reapplied.metadata?.managedFields
        ?.map(m => `${m.manager}/${m.operation}`)
        .sort(),
    ).toEqual(['cellplane/Apply', 'kubectl-edit/Update']);
  });

  it('removes fields the manager stopped applying', async () => {
    await applyAs('cellplane', deployment('cart', { team: 'x', tier: 'web' }));
    const next = await applyAs('cellplane', deployment('cart', { team: 'x' }));
    expect(next.metadata?.labels).toEqual({ team: 'x' });
  });

  it('reports conflicts with another manager as 409, and takes fields over with force', async () => {
    await applyAs('cellplane', deployment('cart', {}, 2));
    await applyAs('cellplane-same', deployment('cart', {}, 2)); // same value: shared, no conflict
    const conflict = await statusOf(
      applyAs('autoscaler', deployment('cart', {}, 5)),
    );
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });
    // Both co-owners of .spec.replicas are named.
    expect(conflict.message).toContain('Apply failed with 2 conflicts');
    expect(conflict.message).toContain(
      'conflict with "cellplane" using apps/v1: .spec.replicas',
    );
    expect(conflict.message).toContain(
      'conflict with "cellplane-same" using apps/v1: .spec.replicas',
    );
    expect(conflict.details.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'FieldManagerConflict',
          field: '.spec.replicas',
        }),
      ]),
    );
    const forced = await applyAs('autoscaler', deployment('cart', {}, 5), true);
    expect(forced.spec?.replicas).toBe(5);
    const owners = forced.metadata?.managedFields?.filter(
      m => (m.fieldsV1 as any)?.['f:spec']?.['f:replicas'],
    );
    expect(owners?.map(m => m.manager)).toEqual(['autoscaler']);
  });

  it('applies status through the status subresource only', async () => {
    await applyAs('cellplane', deployment('cart'));
    const statusApplied = await apps.patchNamespacedDeploymentStatus(
      {
        name: 'cart',
        namespace: 'shop',
        body: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'cart' },
          spec: { replicas: 9 } as any,
          status: { readyReplicas: 1 },
        },
        fieldManager: 'controller',
      },
      apply,
    );
    expect(statusApplied.status?.readyReplicas).toBe(1);
    expect(statusApplied.spec?.replicas).toBe(1);
  });

  it('rejects apply without fieldManager, and with a mismatched name', async () => {
    const noManager = await statusOf(
      apps.patchNamespacedDeployment(
        { name: 'cart', namespace: 'shop', body: deployment('cart') },
        apply,
      ),
    );
    expect(noManager).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(noManager.message).toContain('fieldManager');
    const wrongName = await statusOf(
      apps.patchNamespacedDeployment(
        {
          name: 'cart',
          namespace: 'shop',
          body: deployment('other'),
          fieldManager: 'x',
        },
        apply,
      ),
    );
    expect(wrongName.message).toContain('does not match the name on the URL');
  });

  it('accepts YAML apply bodies from the generic client (as kubectl apply --server-side sends)', async () => {
    const client = KubernetesObjectApi.makeApiClient(server.kubeConfig());
    const applied = await client.patch(
      {
        ...deployment('cart'),
        metadata: { name: 'cart', namespace: 'shop' },
      } as any,
      undefined,
      undefined,
      'cellplane',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.name).toBe('cart');
    const response = await fetch(
      `${server.url}/apis/apps/v1/namespaces/shop/deployments/cart?fieldManager=cellplane`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${server.adminToken}`,
          'content-type': 'application/apply-patch+yaml',
        },
        body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  replicas: 4\n',
      },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).spec.replicas).toBe(4);
  });
});

describe('KubernetesTestServer: server-side apply on associative lists', () => {
  let server: KubernetesTestServer;
  let apps: AppsV1Api;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ namespaces: ['shop'] });
    apps = server.kubeConfig().makeApiClient(AppsV1Api);
  });

  afterEach(() => server.close());

  function withContainers(
    containers: Array<Record<string, any>>,
  ): V1Deployment {
    const body = deployment('cart');
    body.spec!.template.spec!.containers = containers as any;
    return body;
  }

  function applyAs(fieldManager: string, body: V1Deployment, force?: boolean) {
    return apps.patchNamespacedDeployment(
      { name: 'cart', namespace: 'shop', body, fieldManager, force },
      apply,
    );
  }

  it('lets two managers own different containers, merged by name', async () => {
    await applyAs(
      'cellplane',
      withContainers([{ name: 'app', image: 'app:1' }]),
    );
    const both = await applyAs(
      'mesh-injector',
      withContainers([{ name: 'proxy', image: 'envoy:1' }]),
    );
    expect(both.spec?.template.spec?.containers.map(c => c.name)).toEqual([
      'app',
      'proxy',
    ]);
    const cellplane = both.metadata?.managedFields?.find(
      m => m.manager === 'cellplane',
    );
    expect(
      (cellplane?.fieldsV1 as any)['f:spec']['f:template']['f:spec'][
        'f:containers'
      ],
    ).toEqual({
      'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {} },
    });

    // Upgrading its own container leaves the other manager's container alone.
    const upgraded = await applyAs(
      'cellplane',
      withContainers([{ name: 'app', image: 'app:2' }]),
    );
    expect(
      upgraded.spec?.template.spec?.containers.map(c => `${c.name} ${c.image}`),
    ).toEqual(['app app:2', 'proxy envoy:1']);

    // Changing a container another manager applied is a conflict naming the item.
    const conflict = await statusOf(
      applyAs(
        'cellplane',
        withContainers([
          { name: 'app', image: 'app:2' },
          { name: 'proxy', image: 'envoy:2' },
        ]),
      ),
    );
    expect(conflict.details.causes).toEqual([
      expect.objectContaining({
        field: '.spec.template.spec.containers[name="proxy"].image',
        message: 'conflict with "mesh-injector" using apps/v1',
      }),
    ]);

    // The injector stops applying its proxy: the proxy goes, the app container stays.
    const removed = await applyAs('mesh-injector', withContainers([]));
    expect(removed.spec?.template.spec?.containers.map(c => c.name)).toEqual([
      'app',
    ]);
  });

  it('removes a list item only its manager owned, and keeps shared ones', async () => {
    await applyAs(
      'cellplane',
      withContainers([
        {
          name: 'app',
          image: 'app:1',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ]),
    );
    const next = await applyAs(
      'cellplane',
      withContainers([
        { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
      ]),
    );
    expect(next.spec?.template.spec?.containers[0].env).toEqual([
      { name: 'A', value: '1' },
    ]);
  });
});
