import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { applicationEntities } from './applicationEntities';
import { byCodePoint } from './byCodePoint';
import { platformEntities } from './platformEntities';

/** @public */
export interface ModelToEntitiesOptions {
  /** Owner of what the repository names no owner for, e.g. `group:default/team-platform`. */
  defaultOwner: string;
  /**
   * The provider's location key, e.g. `cellplane-provider:default`. The mapping itself does not
   * use it: the module passes it with the entities to the catalog's applyMutation.
   */
  locationKey: string;
  /**
   * The URL of a repository file in git, for the source-location and edit-url annotations.
   * Without it (or when it returns undefined) entities only carry `cellplane.dev/source-file`.
   */
  sourceUrl?: (path: string) => string | undefined;
}

/**
 * The catalog entities of a repository model. Deterministic: the same model gives the same
 * entities in the same order (sorted by entity ref), so the provider can diff revisions.
 * Resources with problems are still mapped; problems are the module's to report.
 *
 * @public
 */
export function modelToEntities(model: RepositoryModel, options: ModelToEntitiesOptions): Entity[] {
  const context = { sourceUrl: options.sourceUrl };
  const byRef = new Map<string, Entity>();
  for (const entity of [
    ...applicationEntities(model, context, options.defaultOwner),
    ...platformEntities(model, context, options.defaultOwner),
  ]) {
    const ref = stringifyEntityRef(entity);
    // Refs only collide when a cluster-scoped resource meets a namespaced one of the same kind
    // and name in an OpenChoreo namespace called "default"; the catalog takes one per ref, and
    // keeping the first (application entities, then namespaced before cluster) keeps it stable.
    if (!byRef.has(ref)) byRef.set(ref, entity);
  }
  return [...byRef.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([, entity]) => entity);
}
