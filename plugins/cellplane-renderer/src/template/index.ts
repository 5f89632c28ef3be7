export type { BindingRenderResult, BindingRenderTarget, RenderedObject } from './types';
export { RELEASE_HASH_KEY, TARGET_PLANE_ANNOTATION } from './types';
export { renderReleaseBinding, renderResourceReleaseBinding } from './renderReleaseBinding';
export { kubernetesNamespaceFor, generateKubernetesName, fnv1a32Hex } from './names';
export { assumedDataPlaneProblems } from './context';
export { renderProjectReleaseBinding } from './renderProjectReleaseBinding';
export { imagePullSecretProblems } from './imagePullSecrets';
export { isRetained, retainObjects } from './retain';
