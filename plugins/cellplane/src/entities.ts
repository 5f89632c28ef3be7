import { Entity } from '@backstage/catalog-model';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';

// The entity contract (annotation keys, custom kinds, the problems annotation) lives in
// @cellplane/backstage-plugin-common, shared with the catalog module that writes the entities;
// these predicates are what the app's extensions filter on.

/** A Component entity Cellplane generated from an OpenChoreo Component. @public */
export const isCellplaneComponent = (entity: Entity) =>
  entity.kind.toLowerCase() === 'component' && !!cellplaneCoordinatesOf(entity)?.component;

/** A System entity Cellplane generated from an OpenChoreo Project. @public */
export const isCellplaneProject = (entity: Entity) =>
  entity.kind.toLowerCase() === 'system' && !!cellplaneCoordinatesOf(entity)?.project;
