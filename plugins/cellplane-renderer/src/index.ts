/**
 * Cellplane's renderer: a GitOps repository's model → the Kubernetes manifests of `rendered/`
 * (OpenChoreo's templating semantics, cells with zero-trust network policies, observability
 * wiring, delivery bootstrap, schema validation), and the `cellplane render` command.
 *
 * @packageDocumentation
 */

// A repository: render it, bring a revision's rendered/ up to date, where the files go.
export { renderRepository } from './renderRepository';
export type { RenderRepositoryOptions, RenderedRepository } from './types';
export { renderedTreeChanges, diffRenderedFiles } from './renderedTreeChanges';
export type { RenderedTreeChanges } from './renderedTreeChanges';
export { renderedLayout } from './renderedLayout';

// One binding, and the schemas its objects are checked against.
export { renderReleaseBinding, renderResourceReleaseBinding } from './template/renderReleaseBinding';
export { renderProjectReleaseBinding } from './template/renderProjectReleaseBinding';
export type { BindingRenderResult, BindingRenderTarget, RenderedObject } from './template/types';
export { RELEASE_HASH_KEY, TARGET_PLANE_ANNOTATION } from './template/types';
export { loadRenderedObjectSchemas, validateRenderedObject } from './validate/validateObject';

// What a data plane's cluster has installed (cellplane.dev/ annotations on a DataPlane).
export {
  DATA_PLANE_ANNOTATIONS,
  DELIVERY_TOOLS,
  MTLS_MODES,
  NETWORK_POLICY_FLAVOURS,
  OTEL_INJECT_FLAVOURS,
  parseDataPlaneFeatures,
} from './dataPlaneFeatures';
export type { DataPlaneFeatures, DataPlaneFeaturesResult, GatewayPods } from './dataPlaneFeatures';

// The `cellplane` command (bin/cellplane).
export { main as runCellplaneCommand } from './cli/main';
export type { CliIo } from './cli/main';
