import { Entity } from '@backstage/catalog-model';
import { CELLPLANE_ANNOTATIONS, cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';

// The entity contract (annotation keys, custom kinds, the problems annotation) lives in
// @cellplane/backstage-plugin-common, shared with the catalog module that writes the entities.
// These two names stay exported here for this plugin's users.
export { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
export type { CellplaneCoordinates } from '@cellplane/backstage-plugin-common';

/**
 * The annotations Cellplane's catalog module stamps on the entities it generates.
 *
 * @public
 * @deprecated Use `CELLPLANE_ANNOTATIONS` from `@cellplane/backstage-plugin-common`.
 */
export const CELLPLANE_ENTITY_ANNOTATIONS = CELLPLANE_ANNOTATIONS;

/** A Component entity Cellplane generated from an OpenChoreo Component. @public */
export const isCellplaneComponent = (entity: Entity) =>
  entity.kind.toLowerCase() === 'component' && !!cellplaneCoordinatesOf(entity)?.component;

/** A System entity Cellplane generated from an OpenChoreo Project. @public */
export const isCellplaneProject = (entity: Entity) =>
  entity.kind.toLowerCase() === 'system' && !!cellplaneCoordinatesOf(entity)?.project;
