import { ComponentEnvironmentStatus } from './status';

/** A component as the platform page names it: namespace, project and name. @public */
export interface PlatformComponentRef {
  namespace: string;
  project: string;
  name: string;
}

/**
 * One field of a parameter schema (an openAPIV3Schema), flattened for reading: nested objects
 * become dotted paths (`healthCheck.port`), `$ref`s to `$defs` are followed.
 *
 * @public
 */
export interface PlatformSchemaField {
  /** Dotted path from the schema's root, `[]` for the items of an array, `*` for map values. */
  path: string;
  /** The JSON-schema type (`string`, `integer`, `object`, `array of string`, ...), or `any`. */
  type: string;
  required: boolean;
  /** The default as JSON, when the schema gives one. */
  default?: string;
  description?: string;
  /** The allowed values, as JSON, when the schema lists them. */
  enum?: string[];
}

/** An Environment with where it deploys and how changes to it are published. @public */
export interface PlatformEnvironment {
  namespace: string;
  name: string;
  displayName?: string;
  description?: string;
  isProduction: boolean;
  /** `cellplane.dev/publish` on the Environment: commit (the default) or pull-request. */
  publish: 'commit' | 'pull-request';
  dataPlane: { kind: 'DataPlane' | 'ClusterDataPlane'; name: string };
}

/** A DeploymentPipeline: its promotion paths and the projects that follow it. @public */
export interface PlatformPipeline {
  namespace: string;
  name: string;
  displayName?: string;
  description?: string;
  promotionPaths: Array<{ source: string; targets: string[] }>;
  /** Environments in promotion order (each source before its targets). */
  order: string[];
  projects: string[];
}

/** A data plane the model declares (or an environment names), and whether the portal reads it. @public */
export interface PlatformDataPlane {
  kind: 'DataPlane' | 'ClusterDataPlane';
  name: string;
  namespace?: string;
  displayName?: string;
  description?: string;
  /** False when an environment names it but the repository does not declare it. */
  declared: boolean;
  /** `namespace/environment` of each environment deploying to it. */
  environments: string[];
  /** How the status backend reads it: connected, the sandbox standing in for it, or why not. */
  connection: { connected: boolean; sandbox: boolean; cluster?: string; reason?: string };
}

/** A cluster the status backend watches that no environment deploys to (e.g. OpenChoreo's control plane). @public */
export interface PlatformCluster {
  name: string;
  connected: boolean;
  sandbox: boolean;
  reason?: string;
  openChoreoControlPlane: boolean;
}

/** A ComponentType or ClusterComponentType, its schemas, and who uses it. @public */
export interface PlatformComponentType {
  kind: 'ComponentType' | 'ClusterComponentType';
  name: string;
  namespace?: string;
  displayName?: string;
  description?: string;
  workloadType: string;
  allowedTraits: string[];
  parameters: PlatformSchemaField[];
  environmentConfigs: PlatformSchemaField[];
  components: PlatformComponentRef[];
}

/** A Trait or ClusterTrait, its schemas, and the components that use it. @public */
export interface PlatformTrait {
  kind: 'Trait' | 'ClusterTrait';
  name: string;
  namespace?: string;
  displayName?: string;
  description?: string;
  parameters: PlatformSchemaField[];
  environmentConfigs: PlatformSchemaField[];
  components: PlatformComponentRef[];
}

/**
 * `GET /api/cellplane/platform`: what the platform team looks after, across every namespace of
 * the GitOps repository at one revision, and the status of every component in every environment
 * (which the page keeps live with the status events stream).
 *
 * @public
 */
export interface PlatformOverview {
  revision: string | null;
  sandbox: boolean;
  environments: PlatformEnvironment[];
  pipelines: PlatformPipeline[];
  dataPlanes: PlatformDataPlane[];
  otherClusters: PlatformCluster[];
  componentTypes: PlatformComponentType[];
  traits: PlatformTrait[];
  statuses: ComponentEnvironmentStatus[];
}
