/**
 * Publishes the Cellplane GitOps repository as Backstage catalog entities.
 *
 * @packageDocumentation
 */
export { catalogModuleCellplane as default, PUSH_EVENT_TOPICS } from './module';
export { modelToEntities } from './entities/modelToEntities';
export type { ModelToEntitiesOptions } from './entities/modelToEntities';
export { CellplaneEntitiesProcessor } from './processor/CellplaneEntitiesProcessor';
export { componentTypeTemplate, componentTypeTemplates, schemaToForm } from './templates/componentTypeTemplates';
export { ComponentTypeTemplateProvider } from './templates/ComponentTypeTemplateProvider';
