import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { deployment, statusOf } from './testing/fixtures';

describe('KubernetesTestServer: objects through @kubernetes/client-node', () => {
  let server: KubernetesTestServer;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({
      namespaces: ['default', 'shop'],
    });
    const kc = server.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });

  afterEach(() => server.close());

  it('creates, reads, lists, updates and deletes Deployments', async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('cart'),
    });
    expect(created.metadata).toMatchObject({
      name: 'cart',
      namespace: 'shop',
      generation: 1,
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const read = await apps.readNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
    });
    expect(read.metadata?.resourceVersion).toBe(
      created.metadata?.resourceVersion,
    );

    const list = await apps.listNamespacedDeployment({ namespace: 'shop' });
    expect(list.items.map(d => d.metadata?.name)).toEqual(['cart']);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(
      Number(created.metadata?.resourceVersion),
    );

    read.spec!.replicas = 3;
    const updated = await apps.replaceNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
      body: read,
    });
    expect(updated.spec?.replicas).toBe(3);
    expect(updated.metadata?.generation).toBe(2);
    expect(updated.metadata?.resourceVersion).not.toBe(
      read.metadata?.resourceVersion,
    );

    const labelsOnly = await apps.patchNamespacedDeployment(
      {
        name: 'cart',
        namespace: 'shop',
        body: { metadata: { labels: { tier: 'web' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(labelsOnly.metadata?.labels).toEqual({ tier: 'web' });
    expect(labelsOnly.metadata?.generation).toBe(2); // metadata changes do not bump generation

    const deleted = await apps.deleteNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
    });
    expect(deleted).toMatchObject({
      status: 'Success',
      details: { name: 'cart', kind: 'deployments' },
    });
    const gone = await statusOf(
      apps.readNamespacedDeployment({ name: 'cart', namespace: 'shop' }),
    );
    expect(gone).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "cart" not found',
    });
  });

  it('lists across namespaces, by label selector and by field selector', async () => {
    server.objects.put({
      ...deployment('a', { team: 'x', env: 'dev' }),
      metadata: {
        name: 'a',
        namespace: 'default',
        labels: { team: 'x', env: 'dev' },
      },
    });
    server.objects.put({
      ...deployment('b'),
      metadata: {
        name: 'b',
        namespace: 'shop',
        labels: { team: 'y', env: 'prod' },
      },
    });
    server.objects.put({
      ...deployment('c'),
      metadata: { name: 'c', namespace: 'shop', labels: { team: 'x' } },
    });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (
        await apps.listDeploymentForAllNamespaces({
          labelSelector,
          fieldSelector,
        })
      ).items.map(d => `${d.metadata?.namespace}/${d.metadata?.name}`);
    expect(await names()).toEqual(['default/a', 'shop/b', 'shop/c']);
    expect(await names('team=x')).toEqual(['default/a', 'shop/c']);
    expect(await names('team==x,env=dev')).toEqual(['default/a']);
    expect(await names('env!=dev')).toEqual(['shop/b', 'shop/c']); // no label matches !=
    expect(await names('env in (dev, prod)')).toEqual(['default/a', 'shop/b']);
    expect(await names('env notin (prod)')).toEqual(['default/a', 'shop/c']);
    expect(await names('env')).toEqual(['default/a', 'shop/b']);
    expect(await names('!env')).toEqual(['shop/c']);
    expect(await names(undefined, 'metadata.namespace=shop')).toEqual([
      'shop/b',
      'shop/c',
    ]);
    expect(
      await names(undefined, 'metadata.name!=b,metadata.namespace==shop'),
    ).toEqual(['shop/c']);

    const bad = await statusOf(
      apps.listDeploymentForAllNamespaces({ labelSelector: 'team in x' }),
    );
    expect(bad).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(bad.message).toContain('team in x');
    const badField = await statusOf(
      apps.listDeploymentForAllNamespaces({ fieldSelector: 'spec.replicas=1' }),
    );
    expect(badField.message).toContain(
      'field label not supported: spec.replicas',
    );
    const pods = await core.listPodForAllNamespaces({
      fieldSelector: 'status.phase=Running',
    });
    expect(pods.items).toEqual([]);
  });

  it('pages lists with limit and continue', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      server.objects.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'shop' },
      });
    }
    const first = await core.listNamespacedConfigMap({
      namespace: 'shop',
      limit: 2,
    });
    expect(first.items.map(c => c.metadata?.name)).toEqual(['a', 'b']);
    expect(first.metadata?.remainingItemCount).toBe(3);
    const second = await core.listNamespacedConfigMap({
      namespace: 'shop',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(second.items.map(c => c.metadata?.name)).toEqual(['c', 'd']);
    const last = await core.listNamespacedConfigMap({
      namespace: 'shop',
      limit: 2,
      _continue: second.metadata?._continue,
    });
    expect(last.items.map(c => c.metadata?.name)).toEqual(['e']);
    expect(last.metadata?._continue).toBeUndefined();
  });

  it('pages across namespaces in key order, also through the label index', async () => {
    for (const namespace of ['a', 'a-b', 'b']) {
      for (const name of ['x', 'y']) {
        server.objects.put({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace, labels: { app: 'shop' } },
        });
      }
    }
    for (const labelSelector of [
      undefined,
      'app=shop',
      'app in (shop)',
      'app',
    ]) {
      const seen: string[] = [];
      let _continue: string | undefined;
      do {
        const page = await core.listConfigMapForAllNamespaces({
          limit: 4,
          _continue,
          labelSelector,
        });
        seen.push(
          ...page.items.map(
            c => `${c.metadata?.namespace}/${c.metadata?.name}`,
          ),
        );
        _continue = page.metadata?._continue;
      } while (_continue);
      expect(seen).toEqual(['a/x', 'a/y', 'a-b/x', 'a-b/y', 'b/x', 'b/y']);
    }
    const none = await core.listConfigMapForAllNamespaces({
      labelSelector: 'app=other',
    });
    expect(none.items).toEqual([]);
    // A relabelled object leaves the index.
    server.objects.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'b', labels: { app: 'other' } },
    });
    const moved = await core.listConfigMapForAllNamespaces({
      labelSelector: 'app=other',
    });
    expect(moved.items.map(c => c.metadata?.name)).toEqual(['x']);
    expect(
      (
        await core.listNamespacedConfigMap({
          namespace: 'b',
          labelSelector: 'app=shop',
        })
      ).items.map(c => c.metadata?.name),
    ).toEqual(['y']);
  });

  it('rejects an update carrying a stale resourceVersion with 409 Conflict', async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('cart'),
    });
    const stale = structuredClone(created);
    created.spec!.replicas = 2;
    await apps.replaceNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
      body: created,
    });
    stale.spec!.replicas = 5;
    const conflict = await statusOf(
      apps.replaceNamespacedDeployment({
        name: 'cart',
        namespace: 'shop',
        body: stale,
      }),
    );
    expect(conflict).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "cart": the object has been modified; please apply your changes to the latest version and try again',
    });
    const stalePatch = await statusOf(
      apps.patchNamespacedDeployment(
        {
          name: 'cart',
          namespace: 'shop',
          body: {
            metadata: { resourceVersion: stale.metadata!.resourceVersion },
            spec: { replicas: 9 },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stalePatch.code).toBe(409);
    expect(
      (await apps.readNamespacedDeployment({ name: 'cart', namespace: 'shop' }))
        .spec?.replicas,
    ).toBe(2);
  });

  it('answers 404 for a namespace that does not exist and 409 for a duplicate', async () => {
    const missing = await statusOf(
      apps.createNamespacedDeployment({
        namespace: 'nowhere',
        body: deployment('cart'),
      }),
    );
    expect(missing).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('cart'),
    });
    const duplicate = await statusOf(
      apps.createNamespacedDeployment({
        namespace: 'shop',
        body: deployment('cart'),
      }),
    );
    expect(duplicate).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'deployments.apps "cart" already exists',
    });
  });

  it('rejects invalid objects with 422 naming the field, and mismatches with 400', async () => {
    const invalid = await statusOf(
      apps.createNamespacedDeployment({
        namespace: 'shop',
        body: deployment('Not_A_Name'),
      }),
    );
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(invalid.details.causes[0].field).toBe('metadata.name');
    const badLabel = await statusOf(
      apps.createNamespacedDeployment({
        namespace: 'shop',
        body: deployment('ok', { team: 'no spaces' }),
      }),
    );
    expect(badLabel.details.causes[0].field).toBe('metadata.labels');
    const noName = await statusOf(
      core.createNamespacedConfigMap({
        namespace: 'shop',
        body: { metadata: {} },
      }),
    );
    expect(noName.message).toContain('metadata.name: Required value');
    const wrongNamespace = await statusOf(
      core.createNamespacedConfigMap({
        namespace: 'shop',
        body: { metadata: { name: 'x', namespace: 'default' } },
      }),
    );
    expect(wrongNamespace).toMatchObject({ code: 400, reason: 'BadRequest' });
    const generated = await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { generateName: 'cfg-' } },
    });
    expect(generated.metadata?.name).toMatch(/^cfg-[a-z0-9]{5}$/);
  });

  it('changes status only through the status subresource', async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: { ...deployment('cart'), status: { readyReplicas: 7 } },
    });
    expect(created.status).toBeUndefined(); // create ignores status

    const withStatus = await apps.replaceNamespacedDeploymentStatus({
      name: 'cart',
      namespace: 'shop',
      body: {
        ...created,
        spec: { ...created.spec!, replicas: 9 },
        status: { readyReplicas: 1, observedGeneration: 1 },
      },
    });
    expect(withStatus.status?.readyReplicas).toBe(1);
    expect(withStatus.spec?.replicas).toBe(1); // spec ignored on /status
    expect(withStatus.metadata?.generation).toBe(1);

    const mainWrite = await apps.replaceNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
      body: { ...withStatus, status: { readyReplicas: 99 } },
    });
    expect(mainWrite.status?.readyReplicas).toBe(1); // status ignored on the main resource

    const patched = await apps.patchNamespacedDeploymentStatus(
      {
        name: 'cart',
        namespace: 'shop',
        body: { status: { availableReplicas: 1 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.status).toMatchObject({
      readyReplicas: 1,
      availableReplicas: 1,
    });
  });

  it('scales through the scale subresource', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('cart'),
    });
    const scale = await apps.readNamespacedDeploymentScale({
      name: 'cart',
      namespace: 'shop',
    });
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 0, selector: 'app=cart' },
    });
    const scaled = await apps.replaceNamespacedDeploymentScale({
      name: 'cart',
      namespace: 'shop',
      body: { ...scale, spec: { replicas: 4 } },
    });
    expect(scaled.spec?.replicas).toBe(4);
    const read = await apps.readNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
    });
    expect(read.spec?.replicas).toBe(4);
    expect(read.metadata?.generation).toBe(2);
    const stale = await statusOf(
      apps.replaceNamespacedDeploymentScale({
        name: 'cart',
        namespace: 'shop',
        body: { ...scale, spec: { replicas: 2 } },
      }),
    );
    expect(stale.code).toBe(409);
    const patched = await apps.patchNamespacedDeploymentScale(
      { name: 'cart', namespace: 'shop', body: { spec: { replicas: 0 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec?.replicas).toBe(0);
    const negative = await statusOf(
      apps.patchNamespacedDeploymentScale(
        { name: 'cart', namespace: 'shop', body: { spec: { replicas: -1 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(negative).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(negative.details.causes[0].field).toBe('spec.replicas');
    // Only get, update and patch exist on subresources.
    const deleteStatus = await fetch(
      `${server.url}/apis/apps/v1/namespaces/shop/deployments/cart/status`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${server.adminToken}` },
      },
    );
    expect(deleteStatus.status).toBe(405);
    expect(
      server.objects.get('apps/v1', 'Deployment', 'shop', 'cart'),
    ).toBeDefined();
  });

  it('applies JSON patches and strategic merge patches', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment('cart'),
    });
    const jsonPatched = await apps.patchNamespacedDeployment({
      name: 'cart',
      namespace: 'shop',
      body: [{ op: 'replace', path: '/spec/replicas', value: 4 }],
    });
    expect(jsonPatched.spec?.replicas).toBe(4);
    const failedTest = await statusOf(
      apps.patchNamespacedDeployment({
        name: 'cart',
        namespace: 'shop',
        body: [{ op: 'test', path: '/spec/replicas', value: 1 }],
      }),
    );
    expect(failedTest.code).toBe(422);

    const strategic = await apps.patchNamespacedDeployment(
      {
        name: 'cart',
        namespace: 'shop',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'sidecar', image: 'envoy' }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    // Containers merge by name: the sidecar is added next to the app container.
    expect(strategic.spec?.template.spec?.containers.map(c => c.name)).toEqual([
      'app',
      'sidecar',
    ]);
  });

  it('keeps objects with finalizers until the finalizers are removed', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    await core.deleteNamespacedConfigMap({ name: 'held', namespace: 'shop' });
    const terminating = await core.readNamespacedConfigMap({
      name: 'held',
      namespace: 'shop',
    });
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    await core.patchNamespacedConfigMap(
      {
        name: 'held',
        namespace: 'shop',
        body: { metadata: { finalizers: null } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(
      (
        await statusOf(
          core.readNamespacedConfigMap({ name: 'held', namespace: 'shop' }),
        )
      ).code,
    ).toBe(404);
  });

  it('deletes a namespace with its content', async () => {
    server.objects.put({
      ...deployment('cart'),
      metadata: { name: 'cart', namespace: 'shop' },
    });
    const ns = await core.deleteNamespace({ name: 'shop' });
    expect((ns as any).status?.phase).toBe('Terminating');
    await new Promise(resolve => setImmediate(resolve));
    expect(server.objects.list('apps/v1', 'Deployment', 'shop')).toEqual([]);
    expect((await statusOf(core.readNamespace({ name: 'shop' }))).code).toBe(
      404,
    );
  });

  it('serves discovery so the generic KubernetesObjectApi works', async () => {
    const client = KubernetesObjectApi.makeApiClient(server.kubeConfig());
    const created = await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop', namespace: 'default' },
      spec: { project: 'default' },
    } as any);
    expect(created.metadata?.uid).toBeDefined();
    const read = await client.read({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop', namespace: 'default' },
    });
    expect((read as any).spec.project).toBe('default');
    const list = await client.list(
      'argoproj.io/v1alpha1',
      'Application',
      'default',
    );
    expect(list.items.map(a => a.metadata?.name)).toEqual(['shop']);
  });
});
