import { Entity, RELATION_OWNED_BY, RELATION_OWNER_OF, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF, getCompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import { CatalogProcessor, CatalogProcessorEmit, processingResult } from '@backstage/plugin-catalog-node';
import { CELLPLANE_ENTITY_API_VERSION, CELLPLANE_ENTITY_KINDS } from '../entities/annotations';
import { PROBLEMS_ANNOTATION } from '../provider/attachProblems';

const CUSTOM_KINDS = new Set<string>(Object.values(CELLPLANE_ENTITY_KINDS));

/**
 * Teaches the catalog Cellplane's platform kinds (Environment, DeploymentPipeline, DataPlane,
 * ComponentType under `cellplane.dev/v1alpha1`, so they never collide with the built-in kinds
 * processor), emits their relations, and raises the repository problems the provider attached
 * to an entity as catalog errors, which the entity page shows.
 */
export class CellplaneEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'CellplaneEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (entity.apiVersion !== CELLPLANE_ENTITY_API_VERSION || !CUSTOM_KINDS.has(entity.kind)) {
      return false;
    }
    const owner = entity.spec?.owner;
    if (typeof owner !== 'string' || owner.length === 0) {
      throw new TypeError(`${entity.kind} ${entity.metadata.name}: spec.owner must be an entity reference`);
    }
    return true;
  }

  async postProcessEntity(entity: Entity, location: LocationSpec, emit: CatalogProcessorEmit): Promise<Entity> {
    const problems = entity.metadata.annotations?.[PROBLEMS_ANNOTATION];
    if (problems) {
      for (const message of JSON.parse(problems) as string[]) {
        emit(processingResult.inputError(location, message));
      }
    }
    if (entity.apiVersion === CELLPLANE_ENTITY_API_VERSION && CUSTOM_KINDS.has(entity.kind)) {
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
