import { Entity } from '@backstage/catalog-model';

/**
 * The annotations Cellplane's catalog module stamps on the entities it generates (the module's
 * `CELLPLANE_ANNOTATIONS`; repeated here because a browser package cannot import a backend module).
 *
 * @public
 */
export const CELLPLANE_ENTITY_ANNOTATIONS = {
  namespace: 'cellplane.dev/namespace',
  project: 'cellplane.dev/project',
  component: 'cellplane.dev/component',
  endpoint: 'cellplane.dev/endpoint',
  endpointVisibility: 'cellplane.dev/endpoint-visibility',
} as const;

/** Where an entity sits in the OpenChoreo model, read from its annotations. @public */
export interface CellplaneCoordinates {
  namespace: string;
  project?: string;
  component?: string;
  endpoint?: string;
  /** Who may reach an endpoint, narrowest first (`project` always). */
  endpointVisibility?: string[];
}

/** The coordinates of an entity Cellplane generated, or undefined for any other entity. @public */
export function cellplaneCoordinatesOf(entity: Entity): CellplaneCoordinates | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[CELLPLANE_ENTITY_ANNOTATIONS.namespace];
  if (!namespace) return undefined;
  const visibility = annotations[CELLPLANE_ENTITY_ANNOTATIONS.endpointVisibility];
  return {
    namespace,
    project: annotations[CELLPLANE_ENTITY_ANNOTATIONS.project] || undefined,
    component: annotations[CELLPLANE_ENTITY_ANNOTATIONS.component] || undefined,
    endpoint: annotations[CELLPLANE_ENTITY_ANNOTATIONS.endpoint] || undefined,
    endpointVisibility: visibility ? visibility.split(',').map(v => v.trim()).filter(Boolean) : undefined,
  };
}

/** A Component entity Cellplane generated from an OpenChoreo Component. @public */
export const isCellplaneComponent = (entity: Entity) =>
  entity.kind.toLowerCase() === 'component' && !!cellplaneCoordinatesOf(entity)?.component;

/** A System entity Cellplane generated from an OpenChoreo Project. @public */
export const isCellplaneProject = (entity: Entity) =>
  entity.kind.toLowerCase() === 'system' && !!cellplaneCoordinatesOf(entity)?.project;
