import type { RenderedObject } from './types';

/**
 * `retainPolicy: Retain` (ResourceReleaseBinding, else its ResourceType): OpenChoreo keeps a
 * resource's data-plane objects when its binding is deleted (the binding's finalizer holds them
 * until a platform engineer clears it). Cellplane has no controller: a removed binding is a file
 * gone from `rendered/`, which Argo CD and Flux prune. So a retained binding's objects carry the
 * annotations that make each tool leave them in the cluster. Both tools read them from the live
 * object, so they still hold after the object has left Git.
 *
 * - Argo CD: `Prune=false` keeps an object removed from Git (the Application then shows
 *   OutOfSync until someone deletes it), `Delete=false` keeps it when the Application is deleted.
 * - Flux: `kustomize.toolkit.fluxcd.io/prune: disabled` keeps it in both cases.
 */

/** Argo CD's per-object sync options (comma-separated). */
export const ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Flux's per-object garbage-collection switch. */
export const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

/** Marks objects so Argo CD and Flux never delete them; other sync options the template set stay. */
export function retainObjects(objects: RenderedObject[]): void {
  for (const object of objects) {
    const annotations = object.metadata.annotations ?? {};
    const options = (annotations[ARGOCD_SYNC_OPTIONS] ?? '')
      .split(',')
      .map(option => option.trim())
      .filter(option => option && !/^(Prune|Delete)=/.test(option));
    object.metadata.annotations = {
      ...annotations,
      [ARGOCD_SYNC_OPTIONS]: [...options, 'Prune=false', 'Delete=false'].join(','),
      [FLUX_PRUNE]: 'disabled',
    };
  }
}

/** Whether an object is marked by {@link retainObjects}. */
export function isRetained(object: RenderedObject): boolean {
  return object.metadata.annotations?.[FLUX_PRUNE] === 'disabled';
}
