import type { ModelProblem } from '@cellplane/backstage-plugin-common';

/** A Kubernetes object rendered from a template. @public */
export interface RenderedObject {
  /** `<group>/<version>`, or `v1` for the core group. */
  apiVersion: string;
  /** The object's kind, e.g. `Deployment`. */
  kind: string;
  /** Name, namespace (for namespaced kinds), labels and annotations. */
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  /** The rest of the object: `spec`, `data`... */
  [field: string]: unknown;
}

/** Where a binding's objects go. @public */
export interface BindingRenderTarget {
  /** The OpenChoreo (control-plane) namespace. */
  namespace: string;
  /** The project the component or resource belongs to. */
  project: string;
  /** The component, or the resource for a ResourceReleaseBinding. */
  component: string;
  /** The environment the binding deploys to. */
  environment: string;
  /** Name of the data plane the environment deploys to. */
  dataPlane: string;
  /** Whether `dataPlane` is a namespaced DataPlane or a ClusterDataPlane. */
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
  /** Where the objects go; undefined when the binding failed before its target was known. */
  target: BindingRenderTarget | undefined;
  /** The objects, sorted by kind, apiVersion, namespace and name. */
  objects: RenderedObject[];
  /** Errors (then no objects) and warnings. */
  problems: ModelProblem[];
}

/** Label and annotation holding the release hash on every rendered object. @public */
export const RELEASE_HASH_KEY = 'cellplane.dev/release-hash';
/**
 * Annotation naming the ComponentRelease a binding pins (`spec.releaseName`), so what runs can
 * be traced to the immutable release in Git. The release hash differs from the release's name:
 * it also covers the binding's per-environment overrides.
 */
export const RELEASE_NAME_ANNOTATION = 'cellplane.dev/release';
/** Annotation on objects meant for the observability plane instead of the data plane. @public */
export const TARGET_PLANE_ANNOTATION = 'cellplane.dev/target-plane';
