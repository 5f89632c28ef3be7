import type { DeploymentPipeline } from './kinds';

/**
 * The defaults OpenChoreo's CRDs give the kind of a reference, where the schemas leave it out
 * (they keep a document as written, so the default is applied where the reference is read).
 */

/** @public */
export type TraitKind = 'Trait' | 'ClusterTrait';

/** @public */
export type ComponentTypeKind = 'ComponentType' | 'ClusterComponentType';

/**
 * The kind of a trait a (Cluster)ComponentType embeds or allows, `kind` or its default: Trait in
 * a ComponentType, ClusterTrait in a ClusterComponentType (a cluster-scoped type can only name
 * cluster-scoped traits; OpenChoreo's ClusterComponentTypeTrait defaults `kind` to ClusterTrait).
 * A plain name in `allowedTraits` (the older form) takes the same default.
 *
 * @public
 */
export function traitKindIn(typeKind: ComponentTypeKind, trait: string | { kind?: TraitKind }): TraitKind {
  const kind = typeof trait === 'string' ? undefined : trait.kind;
  return kind ?? (typeKind === 'ClusterComponentType' ? 'ClusterTrait' : 'Trait');
}

/** The name an environment reference names: a plain name (older form) or `{kind, name}`. @public */
export function environmentRefName(ref: string | { name: string }): string {
  return typeof ref === 'string' ? ref : ref.name;
}

/**
 * The first environment of a pipeline, where OpenChoreo's controller deploys a component with
 * `autoDeploy: true`: the first promotion path's source that no path targets (the "root
 * environment" of its component controller). Otherwise, why there is none.
 *
 * @public
 */
export function firstEnvironmentOf(pipeline: DeploymentPipeline): { environment: string } | { problem: string } {
  const paths = pipeline.spec.promotionPaths ?? [];
  if (paths.length === 0) {
    return { problem: `DeploymentPipeline ${pipeline.metadata.name} has no promotion paths` };
  }
  const targets = new Set(paths.flatMap(path => path.targetEnvironmentRefs.map(target => target.name)));
  const root = paths.map(path => environmentRefName(path.sourceEnvironmentRef)).find(source => !targets.has(source));
  return root === undefined
    ? { problem: `DeploymentPipeline ${pipeline.metadata.name} has no first environment: every source of its promotion paths is also a target` }
    : { environment: root };
}
