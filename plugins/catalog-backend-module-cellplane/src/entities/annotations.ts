/**
 * The catalog vocabulary Cellplane adds to Backstage: annotation keys that tie an entity back to
 * the OpenChoreo resource (and the repository file) it was generated from, and the custom kinds
 * for platform resources Backstage has no kind for.
 */

/** Annotations Cellplane stamps on the entities it generates. @public */
export const CELLPLANE_ANNOTATIONS = {
  /** The OpenChoreo namespace of the resource. */
  namespace: 'cellplane.dev/namespace',
  /** The OpenChoreo project a System, Component, API or Resource belongs to. */
  project: 'cellplane.dev/project',
  /** The OpenChoreo component an API or Component comes from. */
  component: 'cellplane.dev/component',
  /** The Workload endpoint an API describes. */
  endpoint: 'cellplane.dev/endpoint',
  /** Who may reach the endpoint, comma-separated; always starts with `project`. */
  endpointVisibility: 'cellplane.dev/endpoint-visibility',
  /** Repository-relative path of the file the entity was generated from. */
  sourceFile: 'cellplane.dev/source-file',
} as const;

/** The annotation Backstage's Kubernetes plugin uses to find the workloads of an entity. */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION = 'backstage.io/kubernetes-label-selector';

/** apiVersion of Cellplane's custom catalog kinds. @public */
export const CELLPLANE_ENTITY_API_VERSION = 'cellplane.dev/v1alpha1';

/** Custom catalog kinds for OpenChoreo platform resources. @public */
export const CELLPLANE_ENTITY_KINDS = {
  environment: 'Environment',
  deploymentPipeline: 'DeploymentPipeline',
  dataPlane: 'DataPlane',
  componentType: 'ComponentType',
} as const;

/** @public */
export type CellplaneEntityKind = (typeof CELLPLANE_ENTITY_KINDS)[keyof typeof CELLPLANE_ENTITY_KINDS];
