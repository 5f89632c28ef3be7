/**
 * Publishes the Cellplane GitOps repository as Backstage catalog entities.
 *
 * @packageDocumentation
 */
export { catalogModuleCellplane as default } from './module';
export { modelToEntities } from './entities/modelToEntities';
export type { ModelToEntitiesOptions } from './entities/modelToEntities';
export { CellplaneEntitiesProcessor } from './processor/CellplaneEntitiesProcessor';
export { componentTypeTemplate, componentTypeTemplates, schemaToForm } from './templates/componentTypeTemplates';
export type { ComponentTypeResource } from './templates/componentTypeTemplates';
export { ComponentTypeTemplateProvider } from './templates/ComponentTypeTemplateProvider';
