import {
  buildComponentRelease,
  loadRepositoryModel,
  readWorkingTree,
  resourceToYaml,
} from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY } from '@cellplane/backstage-plugin-node/testUtils';
import { listComponentReleases } from './listComponentReleases';

const DIR = 'namespaces/acme/projects/storefront/components/cart-api';

/** The example repository plus files given as text (same path replaces). */
async function exampleWith(extra: Record<string, string>) {
  const { files } = await readWorkingTree(EXAMPLE_REPOSITORY);
  const kept = files.filter(file => !(file.path in extra));
  return loadRepositoryModel({
    files: [...kept, ...Object.entries(extra).map(([path, content]) => ({ path, content: Buffer.from(content) }))],
  });
}

describe('listComponentReleases', () => {
  it('puts releases Git could not date last, by name; leaves out undeployed bindings; marks the current state', async () => {
    const base = await exampleWith({});
    const current = buildComponentRelease(base, 'acme', 'cart-api');
    const older = {
      ...current.resource,
      metadata: { ...current.resource.metadata, name: 'cart-api-00000000aa' },
      spec: { ...current.resource.spec, workload: { ...current.resource.spec.workload, container: { image: 'ghcr.io/acme/cart-api:0.9.0' } } },
    };
    const binding = (environment: string, extra: string) =>
      `apiVersion: openchoreo.dev/v1alpha1\nkind: ReleaseBinding\nmetadata:\n  name: cart-api-${environment}\n  namespace: acme\nspec:\n  owner:\n    projectName: storefront\n    componentName: cart-api\n  environment: ${environment}\n${extra}`;
    const model = await exampleWith({
      [current.path]: resourceToYaml(current.resource),
      [`${DIR}/releases/cart-api-00000000aa.yaml`]: resourceToYaml(older),
      [`${DIR}/release-bindings/cart-api-staging.yaml`]: binding('staging', '  releaseName: cart-api-00000000aa\n'),
      [`${DIR}/release-bindings/cart-api-production.yaml`]: binding('production', '  releaseName: cart-api-00000000aa\n  state: Undeploy\n'),
    });
    expect(model.problems.filter(p => p.severity === 'error')).toEqual([]);

    // Only the current release is dated: it comes first, the undated one after.
    const list = listComponentReleases(model, 'acme', 'cart-api', new Map([[current.path, { commit: 'c'.repeat(40), createdAt: '2026-11-20T10:00:00Z', order: 1 }]]));
    expect(list.items).toEqual([
      expect.objectContaining({ name: current.name, commit: 'c'.repeat(40), environments: [], current: true }),
      { name: 'cart-api-00000000aa', images: ['ghcr.io/acme/cart-api:0.9.0'], environments: ['staging'], current: false, source: expect.any(Object) },
    ]);
    // development pins nothing; production is undeployed, so it runs nothing.
    expect(list.unpinnedEnvironments).toEqual(['development']);
  });

  it('names the component it does not know', async () => {
    const model = await exampleWith({});
    expect(() => listComponentReleases(model, 'acme', 'nope', new Map())).toThrow('Component "nope" not found in namespace acme');
  });
});
