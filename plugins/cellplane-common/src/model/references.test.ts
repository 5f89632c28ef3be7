import { DeploymentPipeline } from './kinds';
import { environmentRefName, firstEnvironmentOf, traitKindIn } from './references';

const pipeline = (promotionPaths: NonNullable<DeploymentPipeline['spec']['promotionPaths']>): DeploymentPipeline => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'DeploymentPipeline',
  metadata: { name: 'standard', namespace: 'acme' },
  spec: { promotionPaths },
});

describe('traitKindIn', () => {
  // clustercomponenttype_types.go, ClusterComponentTypeTrait.kind: +kubebuilder:default=ClusterTrait
  it('defaults a trait of a ClusterComponentType to ClusterTrait', () => {
    expect(traitKindIn('ClusterComponentType', { name: 'hpa' } as { kind?: 'ClusterTrait' })).toBe('ClusterTrait');
    expect(traitKindIn('ClusterComponentType', 'hpa')).toBe('ClusterTrait');
  });

  // componenttype_types.go, ComponentTypeTrait.kind and types.go TraitRef.kind: +kubebuilder:default=Trait
  it('defaults a trait of a ComponentType to Trait, and keeps a kind that is written', () => {
    expect(traitKindIn('ComponentType', {})).toBe('Trait');
    expect(traitKindIn('ComponentType', 'hpa')).toBe('Trait');
    expect(traitKindIn('ComponentType', { kind: 'ClusterTrait' })).toBe('ClusterTrait');
  });
});

describe('firstEnvironmentOf', () => {
  // OpenChoreo's component controller, findRootEnvironment: the first source that is never a target.
  it('is the source of the promotion paths that no path targets', () => {
    const paths = [
      { sourceEnvironmentRef: { name: 'staging' }, targetEnvironmentRefs: [{ name: 'production' }] },
      { sourceEnvironmentRef: 'development', targetEnvironmentRefs: [{ name: 'staging' }] },
      { sourceEnvironmentRef: { name: 'production' }, targetEnvironmentRefs: [] },
    ];
    expect(firstEnvironmentOf(pipeline(paths))).toEqual({ environment: 'development' });
  });

  it('says why a pipeline has none', () => {
    expect(firstEnvironmentOf(pipeline([]))).toEqual({ problem: 'DeploymentPipeline standard has no promotion paths' });
    const circular = [
      { sourceEnvironmentRef: 'a', targetEnvironmentRefs: [{ name: 'b' }] },
      { sourceEnvironmentRef: 'b', targetEnvironmentRefs: [{ name: 'a' }] },
    ];
    expect(firstEnvironmentOf(pipeline(circular))).toEqual({
      problem: 'DeploymentPipeline standard has no first environment: every source of its promotion paths is also a target',
    });
  });

  it('reads both forms of an environment reference', () => {
    expect(environmentRefName('development')).toBe('development');
    expect(environmentRefName({ name: 'development' })).toBe('development');
  });
});
