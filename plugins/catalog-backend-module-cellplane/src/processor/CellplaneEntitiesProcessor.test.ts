import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { CELLPLANE_ANNOTATIONS } from '@cellplane/backstage-plugin-common';
import { CellplaneEntitiesProcessor } from './CellplaneEntitiesProcessor';

const location = { type: 'cellplane', target: 'namespaces/acme/projects/shop/components/cart/component.yaml' };

function environment(spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'cellplane.dev/v1alpha1',
    kind: 'Environment',
    metadata: { name: 'production', namespace: 'acme' },
    spec: spec as Entity['spec'],
  };
}

describe('CellplaneEntitiesProcessor', () => {
  const processor = new CellplaneEntitiesProcessor();

  it("accepts Cellplane's kinds and leaves Backstage's own to the built-in processor", async () => {
    expect(await processor.validateEntityKind(environment({ owner: 'group:default/platform' }))).toBe(true);
    expect(
      await processor.validateEntityKind({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' } }),
    ).toBe(false);
    expect(
      await processor.validateEntityKind({ apiVersion: 'cellplane.dev/v1alpha1', kind: 'Widget', metadata: { name: 'x' } }),
    ).toBe(false);
    await expect(processor.validateEntityKind(environment({}))).rejects.toThrow(
      'Environment production: spec.owner must be an entity reference',
    );
  });

  it('keeps an entity with repository problems (no processing error, which would drop it)', async () => {
    const emitted: CatalogProcessorResult[] = [];
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'cart',
        namespace: 'acme',
        annotations: { [CELLPLANE_ANNOTATIONS.problems]: JSON.stringify(['workload.yaml:4: Workload acme/cart: spec.container: is required']) },
      },
      spec: { type: 'service', owner: 'group:default/shop', lifecycle: 'production' },
    };
    expect(await processor.postProcessEntity(entity, location, result => emitted.push(result))).toBe(entity);
    expect(emitted).toEqual([]);
  });

  it('relates an environment to its owner and its data plane', async () => {
    const emitted: CatalogProcessorResult[] = [];
    await processor.postProcessEntity(
      environment({ owner: 'group:default/platform', dataPlane: 'dataplane:default/default' }),
      location,
      result => emitted.push(result),
    );
    const relations = emitted.filter(r => r.type === 'relation').map(r => (r as any).relation);
    expect(relations).toEqual(
      expect.arrayContaining([
        { source: { kind: 'Environment', namespace: 'acme', name: 'production' }, type: 'ownedBy', target: { kind: 'group', namespace: 'default', name: 'platform' } },
        { source: { kind: 'Environment', namespace: 'acme', name: 'production' }, type: 'dependsOn', target: { kind: 'dataplane', namespace: 'default', name: 'default' } },
      ]),
    );
  });
});
