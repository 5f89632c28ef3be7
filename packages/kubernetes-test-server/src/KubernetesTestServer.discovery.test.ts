import {
  ApiextensionsV1Api,
  ApisApi,
  CoreApi,
  CoreV1Api,
  CustomObjectsApi,
  Watch,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { builtinResourceTypes, fluxResourceTypes } from './resourceTypes';
import { eventually, statusOf } from './testing/fixtures';

describe('KubernetesTestServer: discovery', () => {
  let server: KubernetesTestServer;

  afterEach(() => server.close());

  async function get(path: string) {
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    return { status: response.status, body: await response.json() };
  }

  it('lists the core version, groups and resources with kind, verbs, scope and short names', async () => {
    server = await KubernetesTestServer.start();
    const kc = server.kubeConfig();
    expect((await kc.makeApiClient(CoreApi).getAPIVersions()).versions).toEqual(
      ['v1'],
    );
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    expect(groups.groups.map(g => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'argoproj.io',
        'kustomize.toolkit.fluxcd.io',
        'openchoreo.dev',
        'gateway.networking.k8s.io',
      ]),
    );
    expect(
      groups.groups.find(g => g.name === 'apps')?.preferredVersion
        ?.groupVersion,
    ).toBe('apps/v1');

    const core = await kc.makeApiClient(CoreV1Api).getAPIResources();
    const pods = core.resources.find(r => r.name === 'pods');
    expect(pods).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      singularName: 'pod',
    });
    expect(pods?.verbs).toEqual(
      expect.arrayContaining([
        'get',
        'list',
        'watch',
        'create',
        'update',
        'patch',
        'delete',
      ]),
    );
    expect(core.resources.find(r => r.name === 'pods/status')?.verbs).toEqual([
      'get',
      'patch',
      'update',
    ]);
    expect(core.resources.find(r => r.name === 'namespaces')?.namespaced).toBe(
      false,
    );

    const apps = await get('/apis/apps/v1');
    expect(apps.body).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'apps/v1',
    });
    expect((await get('/apis/apps')).body).toMatchObject({
      kind: 'APIGroup',
      name: 'apps',
    });
    expect((await get('/apis/nothing.example/v1')).status).toBe(404);
    expect((await get('/apis/apps/v1/nothings')).body).toMatchObject({
      kind: 'Status',
      code: 404,
      reason: 'NotFound',
    });
  });

  it('serves only the chosen types, and CRDs created at runtime change discovery', async () => {
    server = await KubernetesTestServer.start({
      resourceTypes: builtinResourceTypes,
    });
    const kc = server.kubeConfig();
    const groups = async () =>
      (await kc.makeApiClient(ApisApi).getAPIVersions()).groups.map(
        g => g.name,
      );
    expect(await groups()).not.toContain('kustomize.toolkit.fluxcd.io');
    const custom = kc.makeApiClient(CustomObjectsApi);
    expect(
      (
        await statusOf(
          custom.listClusterCustomObject({
            group: 'kustomize.toolkit.fluxcd.io',
            version: 'v1',
            plural: 'kustomizations',
          }),
        )
      ).code,
    ).toBe(404);

    // Installing Flux: its CRD appears, and so does the resource.
    const extensions = kc.makeApiClient(ApiextensionsV1Api);
    await extensions.createCustomResourceDefinition({
      body: {
        metadata: { name: 'kustomizations.kustomize.toolkit.fluxcd.io' },
        spec: {
          group: 'kustomize.toolkit.fluxcd.io',
          scope: 'Namespaced',
          names: {
            kind: 'Kustomization',
            plural: 'kustomizations',
            listKind: 'KustomizationList',
            shortNames: ['ks'],
          },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: { openAPIV3Schema: { type: 'object' } },
            },
          ],
        },
      },
    });
    expect(await groups()).toContain('kustomize.toolkit.fluxcd.io');
    await custom.createNamespacedCustomObject({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      namespace: 'default',
      plural: 'kustomizations',
      body: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'apps' },
        spec: { path: './rendered' },
      },
    });
    const listed: any = await custom.listClusterCustomObject({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      plural: 'kustomizations',
    });
    expect(listed.items.map((k: any) => k.metadata.name)).toEqual(['apps']);

    // Uninstalling removes the resource and its objects, and ends its watches.
    const seen: string[] = [];
    let watchEnded = false;
    await new Watch(kc).watch(
      '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
      {},
      (type, object) => seen.push(`${type} ${object.metadata.name}`),
      () => {
        watchEnded = true;
      },
    );
    await eventually(() => expect(seen).toEqual(['ADDED apps']));
    await extensions.deleteCustomResourceDefinition({
      name: 'kustomizations.kustomize.toolkit.fluxcd.io',
    });
    expect(await groups()).not.toContain('kustomize.toolkit.fluxcd.io');
    await eventually(() => expect(watchEnded).toBe(true));
    expect(seen).toEqual(['ADDED apps', 'DELETED apps']);

    // The programmatic way is the same thing.
    server.addResourceType(fluxResourceTypes[0]);
    expect(await groups()).toContain('kustomize.toolkit.fluxcd.io');
    expect(
      (await extensions.listCustomResourceDefinition()).items.map(
        c => c.metadata?.name,
      ),
    ).toEqual(['kustomizations.kustomize.toolkit.fluxcd.io']);
  });

  it('rejects an invalid CRD naming the field', async () => {
    server = await KubernetesTestServer.start({
      resourceTypes: builtinResourceTypes,
    });
    const extensions = server.kubeConfig().makeApiClient(ApiextensionsV1Api);
    const invalid = await statusOf(
      extensions.createCustomResourceDefinition({
        body: {
          metadata: { name: 'things.example.com' },
          spec: {
            group: 'example.com',
            scope: 'Sideways',
            names: { kind: 'Thing', plural: 'things' },
            versions: [{ name: 'v1', served: true, storage: true }],
          },
        } as any,
      }),
    );
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(invalid.details.causes[0].field).toBe('spec.scope');
  });
});
