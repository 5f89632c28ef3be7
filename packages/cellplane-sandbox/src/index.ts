/**
 * Cellplane's sandbox data plane: a Kubernetes API in the backend's own process (the Kubernetes
 * test server) and a sync loop that plays Argo CD, so a portal with no cluster still shows
 * components deploying, rolling out and failing. For the example backend, demos and tests; it is
 * not published.
 *
 * @packageDocumentation
 */
export { sandboxDataPlanesServiceFactory as default } from './sandboxDataPlanesServiceFactory';
export { sandboxDataPlanesServiceFactory } from './sandboxDataPlanesServiceFactory';
export { startSandboxDataPlane, SANDBOX_DATA_PLANE_NAME } from './startSandboxDataPlane';
export type { SandboxDataPlane } from './startSandboxDataPlane';
export { SandboxSync } from './SandboxSync';
