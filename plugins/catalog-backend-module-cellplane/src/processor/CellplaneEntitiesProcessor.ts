import { Entity, RELATION_OWNED_BY, RELATION_OWNER_OF, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF, getCompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import { CatalogProcessor, CatalogProcessorEmit, processingResult } from '@backstage/plugin-catalog-node';
import { CELLPLANE_ENTITY_API_VERSION, CELLPLANE_ENTITY_KINDS } from '@cellplane/backstage-plugin-common';

const CUSTOM_KINDS = new Set<string>(Object.values(CELLPLANE_ENTITY_KINDS));

const isCellplaneKind = (entity: Entity) =>
  entity.apiVersion === CELLPLANE_ENTITY_API_VERSION && CUSTOM_KINDS.has(entity.kind);

/**
 * Teaches the catalog Cellplane's platform kinds (Environment, DeploymentPipeline, DataPlane,
 * ComponentType under `cellplane.dev/v1alpha1`, so they never collide with the built-in kinds
 * processor) and emits their relations.
 *
 * @public
 */
export class CellplaneEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'CellplaneEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!isCellplaneKind(entity)) {
      return false;
    }
    const owner = entity.spec?.owner;
    if (typeof owner !== 'string' || owner.length === 0) {
      throw new TypeError(`${entity.kind} ${entity.metadata.name}: spec.owner must be an entity reference`);
    }
    return true;
  }

  async postProcessEntity(entity: Entity, _location: LocationSpec, emit: CatalogProcessorEmit): Promise<Entity> {
    // Repository problems stay on the entity's annotation (shown by the app's "Problems in the
    // GitOps repository" card) and are not raised as processing errors: the catalog does not
    // store an entity whose processing failed, so a component with a broken dependency would
    // vanish from the catalog instead of showing what is wrong with it.
    if (isCellplaneKind(entity)) {
      const self = getCompoundEntityRef(entity);
      const relate = (ref: string, forward: string, backward: string, defaultKind: string) => {
        const target = parseEntityRef(ref, { defaultKind, defaultNamespace: self.namespace });
        emit(processingResult.relation({ source: self, type: forward, target }));
        emit(processingResult.relation({ source: target, type: backward, target: self }));
      };
      relate(entity.spec!.owner as string, RELATION_OWNED_BY, RELATION_OWNER_OF, 'group');
      if (typeof entity.spec?.dataPlane === 'string') {
        relate(entity.spec.dataPlane, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF, CELLPLANE_ENTITY_KINDS.dataPlane);
      }
    }
    return entity;
  }
}
