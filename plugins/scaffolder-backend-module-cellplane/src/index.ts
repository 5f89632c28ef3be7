/**
 * Cellplane's write path: scaffolder actions that write OpenChoreo resources into the GitOps
 * repository as one commit (or pull request) per change, and templates generated from each
 * ComponentType.
 *
 * @packageDocumentation
 */

export { scaffolderModuleCellplane as default, catalogModuleCellplaneTemplates } from './module';
export * from './actions';
export type { CellplaneActionOptions, PublishInput, Rerender } from './write/writeChange';
export { componentTypeTemplate, componentTypeTemplates, schemaToForm } from './templates/componentTypeTemplates';
export { ComponentTypeTemplateProvider } from './templates/ComponentTypeTemplateProvider';
