/**
 * Cellplane's renderer: a GitOps repository's model → the Kubernetes manifests of `rendered/`
 * (OpenChoreo's templating semantics, cells with zero-trust network policies, observability
 * wiring, delivery bootstrap, schema validation), and the `cellplane render` command.
 *
 * @packageDocumentation
 */

export { renderRepository } from './renderRepository';
export { gitBlobId } from './renderPhases';
export type { RenderRepositoryOptions, RenderedRepository } from './types';
export { renderedTreeChanges, diffRenderedFiles } from './renderedTreeChanges';
export type { RenderedTreeChanges } from './renderedTreeChanges';
export { renderedLayout } from './renderedLayout';
export { loadRenderedObjectSchemas, validateRenderedObject } from './validate/validateObject';
export type { BindingRenderResult, BindingRenderTarget, RenderedObject } from './template/types';
export { RELEASE_HASH_KEY, TARGET_PLANE_ANNOTATION } from './template/types';
export { renderReleaseBinding, renderResourceReleaseBinding } from './template/renderReleaseBinding';
export { DATA_PLANE_ANNOTATIONS, parseDataPlaneFeatures } from './dataPlaneFeatures';
export type { DataPlaneFeatures, DataPlaneFeaturesResult, GatewayPods } from './dataPlaneFeatures';
export { main as runCellplaneCommand } from './cli/main';
export type { CliIo } from './cli/main';
