/**
 * Cellplane's write path: scaffolder actions that write OpenChoreo resources into the GitOps
 * repository as one commit (or pull request) per change.
 *
 * @packageDocumentation
 */

export { scaffolderModuleCellplane as default } from './module';
export * from './actions';
export type { CellplaneActionOptions, PublishInput, Rerender } from './write/writeChange';
export { rerenderWithRenderer } from './write/rerender';
