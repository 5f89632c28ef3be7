import type { ModelProblem } from '@cellplane/backstage-plugin-common';

/** A Kubernetes object rendered from a template. @public */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Where a binding's objects go. @public */
export interface BindingRenderTarget {
  /** The OpenChoreo (control-plane) namespace. */
  namespace: string;
  project: string;
  /** The component, or the resource for a ResourceReleaseBinding. */
  component: string;
  environment: string;
  /** Name of the data plane the environment deploys to. */
  dataPlane: string;
  dataPlaneKind: 'DataPlane' | 'ClusterDataPlane';
  /** The Kubernetes namespace of the project in the environment (the cell). */
  kubernetesNamespace: string;
  /** sha256 (hex, first 16) of the canonical JSON of the render inputs. */
  releaseHash: string;
}

/**
 * The objects one binding renders to. When `problems` holds an error, `objects` is empty (the
 * binding renders nothing); warnings leave the objects in place.
 *
 * @public
 */
export interface BindingRenderResult {
  target: BindingRenderTarget | undefined;
  objects: RenderedObject[];
  problems: ModelProblem[];
}

/** Label and annotation holding the release hash on every rendered object. @public */
export const RELEASE_HASH_KEY = 'cellplane.dev/release-hash';
/**
 * Annotation naming the ComponentRelease a binding pins (`spec.releaseName`), so what runs can
 * be traced to the immutable release in Git. The release hash differs from the release's name:
 * it also covers the binding's per-environment overrides. @public
 */
export const RELEASE_NAME_ANNOTATION = 'cellplane.dev/release';
/** Annotation on objects meant for the observability plane instead of the data plane. @public */
export const TARGET_PLANE_ANNOTATION = 'cellplane.dev/target-plane';
