import { validateResource } from '@cellplane/backstage-plugin-common';
import yaml from 'js-yaml';
import { loadRepositoryModel } from '../repository/loadRepositoryModel';
import { readWorkingTree } from '../repository/sources';
import { EXAMPLE_REPOSITORY } from '../testUtils/gitFixtures';
import { buildComponentRelease, canonicalJson, componentReleaseHash } from './componentRelease';
import { resourceToYaml } from './resourceYaml';

describe('buildComponentRelease', () => {
  it('snapshots type, traits, profile and workload under a content-hash name', async () => {
    const model = loadRepositoryModel(await readWorkingTree(EXAMPLE_REPOSITORY));
    const release = buildComponentRelease(model, 'acme', 'payments-api');
    const { spec } = release.resource;

    expect(release.name).toMatch(/^payments-api-[0-9a-f]{10}$/);
    expect(release.name).toBe(`payments-api-${componentReleaseHash(spec)}`);
    expect(release.path).toBe(
      `namespaces/acme/projects/payments/components/payments-api/releases/${release.name}.yaml`,
    );
    expect(spec.owner).toEqual({ projectName: 'payments', componentName: 'payments-api' });
    expect(spec.componentType.kind).toBe('ClusterComponentType');
    expect(spec.componentType.name).toBe('deployment/service');
    expect(spec.componentType.spec).toEqual(model.get('ClusterComponentType', 'service')!.resource.spec);
    expect(spec.traits).toEqual([
      {
        kind: 'ClusterTrait',
        name: 'horizontal-pod-autoscaler',
        spec: model.get('ClusterTrait', 'horizontal-pod-autoscaler')!.resource.spec,
      },
    ]);
    expect(spec.componentProfile?.parameters).toEqual({
      terminationGracePeriodSeconds: 45,
      healthCheck: { port: 8080, initialDelaySeconds: 10 },
    });
    expect(spec.workload.container.image).toBe('ghcr.io/acme/payments-api:1.4.2');
    expect(spec.workload).not.toHaveProperty('owner');

    // What Cellplane writes is a valid ComponentRelease, and reads back to the same hash.
    const reread = yaml.load(resourceToYaml(release.resource)) as any;
    expect(validateResource(reread).problems).toEqual([]);
    expect(componentReleaseHash(reread.spec)).toBe(release.hash);
  });

  it('gives the same name for the same content and a new one for any change', async () => {
    const model = loadRepositoryModel(await readWorkingTree(EXAMPLE_REPOSITORY));
    const first = buildComponentRelease(model, 'acme', 'cart-api');
    expect(buildComponentRelease(model, 'acme', 'cart-api').name).toBe(first.name);
    const changed = { ...first.resource.spec, workload: { ...first.resource.spec.workload, container: { image: 'x:2' } } };
    expect(componentReleaseHash(changed)).not.toBe(first.hash);
  });

  it('hashes canonical JSON: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"x":2,"y":1}]},"b":1}',
    );
  });

  it('names what is missing', async () => {
    const model = loadRepositoryModel(await readWorkingTree(EXAMPLE_REPOSITORY));
    expect(() => buildComponentRelease(model, 'acme', 'nope')).toThrow(/Component "nope" not found/);
  });
});
