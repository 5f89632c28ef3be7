import { z } from 'zod';
import {
  componentReleaseSchema,
  componentSchema,
  projectSchema,
  releaseBindingSchema,
  workloadSchema,
} from './application';
import {
  clusterResourceTypeSchema,
  namespaceSchema,
  resourceReleaseBindingSchema,
  resourceReleaseSchema,
  resourceSchema,
  resourceTypeSchema,
  secretReferenceSchema,
} from './infrastructure';
import { clusterHookSchema, hookSchema } from './hooks';
import { clusterWorkflowSchema, workflowSchema } from './workflows';
import { observabilityAlertsNotificationChannelSchema } from './observability';
import {
  clusterProjectTypeSchema,
  projectReleaseBindingSchema,
  projectReleaseSchema,
  projectTypeSchema,
} from './projects';
import {
  clusterComponentTypeSchema,
  clusterDataPlaneSchema,
  clusterTraitSchema,
  componentTypeSchema,
  dataPlaneSchema,
  deploymentPipelineSchema,
  environmentSchema,
  traitSchema,
} from './platform';

export * from './application';
export { NOTIFICATION_CHANNEL_TYPES } from './observability';

/**
 * Every kind Cellplane understands, with its schema and scope. Cluster-scoped kinds must not
 * carry a namespace; namespaced kinds belong to exactly one.
 *
 * @public
 */
export const KIND_DEFINITIONS = {
  Namespace: { schema: namespaceSchema, scope: 'Cluster' },
  Project: { schema: projectSchema, scope: 'Namespaced' },
  Component: { schema: componentSchema, scope: 'Namespaced' },
  Workload: { schema: workloadSchema, scope: 'Namespaced' },
  ReleaseBinding: { schema: releaseBindingSchema, scope: 'Namespaced' },
  ComponentRelease: { schema: componentReleaseSchema, scope: 'Namespaced' },
  ComponentType: { schema: componentTypeSchema, scope: 'Namespaced' },
  ClusterComponentType: { schema: clusterComponentTypeSchema, scope: 'Cluster' },
  Trait: { schema: traitSchema, scope: 'Namespaced' },
  ClusterTrait: { schema: clusterTraitSchema, scope: 'Cluster' },
  Environment: { schema: environmentSchema, scope: 'Namespaced' },
  DeploymentPipeline: { schema: deploymentPipelineSchema, scope: 'Namespaced' },
  DataPlane: { schema: dataPlaneSchema, scope: 'Namespaced' },
  ClusterDataPlane: { schema: clusterDataPlaneSchema, scope: 'Cluster' },
  Resource: { schema: resourceSchema, scope: 'Namespaced' },
  ResourceType: { schema: resourceTypeSchema, scope: 'Namespaced' },
  ClusterResourceType: { schema: clusterResourceTypeSchema, scope: 'Cluster' },
  ResourceRelease: { schema: resourceReleaseSchema, scope: 'Namespaced' },
  ResourceReleaseBinding: { schema: resourceReleaseBindingSchema, scope: 'Namespaced' },
  SecretReference: { schema: secretReferenceSchema, scope: 'Namespaced' },
  ProjectType: { schema: projectTypeSchema, scope: 'Namespaced' },
  ClusterProjectType: { schema: clusterProjectTypeSchema, scope: 'Cluster' },
  ProjectRelease: { schema: projectReleaseSchema, scope: 'Namespaced' },
  ProjectReleaseBinding: { schema: projectReleaseBindingSchema, scope: 'Namespaced' },
  ObservabilityAlertsNotificationChannel: { schema: observabilityAlertsNotificationChannelSchema, scope: 'Namespaced' },
  Hook: { schema: hookSchema, scope: 'Namespaced' },
  ClusterHook: { schema: clusterHookSchema, scope: 'Cluster' },
  Workflow: { schema: workflowSchema, scope: 'Namespaced' },
  ClusterWorkflow: { schema: clusterWorkflowSchema, scope: 'Cluster' },
} as const;

/** @public */
export type ResourceKind = keyof typeof KIND_DEFINITIONS;

/** @public */
export const RESOURCE_KINDS = Object.keys(KIND_DEFINITIONS) as ResourceKind[];

/** @public */
export function isResourceKind(kind: unknown): kind is ResourceKind {
  return typeof kind === 'string' && Object.hasOwn(KIND_DEFINITIONS, kind);
}

/** @public */
export function isClusterScoped(kind: ResourceKind): boolean {
  return KIND_DEFINITIONS[kind].scope === 'Cluster';
}

/** The resource type of a kind, as its schema parses it. @public */
export type InferredResource<K extends ResourceKind> = z.infer<(typeof KIND_DEFINITIONS)[K]['schema']>;

/** @public */ export type NamespaceResource = InferredResource<'Namespace'>;
/** @public */ export type Project = InferredResource<'Project'>;
/** @public */ export type Component = InferredResource<'Component'>;
/** @public */ export type Workload = InferredResource<'Workload'>;
/** @public */ export type ReleaseBinding = InferredResource<'ReleaseBinding'>;
/** @public */ export type ComponentRelease = InferredResource<'ComponentRelease'>;
/** @public */ export type ComponentType = InferredResource<'ComponentType'>;
/** @public */ export type ClusterComponentType = InferredResource<'ClusterComponentType'>;
/** @public */ export type Trait = InferredResource<'Trait'>;
/** @public */ export type ClusterTrait = InferredResource<'ClusterTrait'>;
/** @public */ export type Environment = InferredResource<'Environment'>;
/** @public */ export type DeploymentPipeline = InferredResource<'DeploymentPipeline'>;
/** @public */ export type DataPlane = InferredResource<'DataPlane'>;
/** @public */ export type ClusterDataPlane = InferredResource<'ClusterDataPlane'>;
/** @public */ export type Resource = InferredResource<'Resource'>;
/** @public */ export type ResourceType = InferredResource<'ResourceType'>;
/** @public */ export type ClusterResourceType = InferredResource<'ClusterResourceType'>;
/** @public */ export type ResourceRelease = InferredResource<'ResourceRelease'>;
/** @public */ export type ResourceReleaseBinding = InferredResource<'ResourceReleaseBinding'>;
/** @public */ export type SecretReference = InferredResource<'SecretReference'>;
/** @public */ export type ProjectType = InferredResource<'ProjectType'>;
/** @public */ export type ClusterProjectType = InferredResource<'ClusterProjectType'>;
/** @public */ export type ProjectRelease = InferredResource<'ProjectRelease'>;
/** @public */ export type ProjectReleaseBinding = InferredResource<'ProjectReleaseBinding'>;
/** @public */ export type ObservabilityAlertsNotificationChannel = InferredResource<'ObservabilityAlertsNotificationChannel'>;
/** @public */ export type Hook = InferredResource<'Hook'>;
/** @public */ export type ClusterHook = InferredResource<'ClusterHook'>;
/** @public */ export type Workflow = InferredResource<'Workflow'>;
/** @public */ export type ClusterWorkflow = InferredResource<'ClusterWorkflow'>;

/** Any resource Cellplane understands, discriminated by `kind`. @public */
export type OpenChoreoResource = { [K in ResourceKind]: InferredResource<K> }[ResourceKind];

/** The resource of kind `K`. @public */
export type ResourceOfKind<K extends ResourceKind> = Extract<OpenChoreoResource, { kind: K }>;

/** @public */
export type Endpoint = NonNullable<Workload['spec']['endpoints']>[string];
/** @public */
export type EndpointDependency = NonNullable<
  NonNullable<Workload['spec']['dependencies']>['endpoints']
>[number];
