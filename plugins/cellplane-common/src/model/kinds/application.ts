import { z } from 'zod';
import {
  envVar,
  fileVar,
  freeform,
  kindRef,
  kubernetesName,
  nameOrRef,
  nonEmptyString,
  port,
  resourceOf,
} from './shared';

/** @public */
export const ENDPOINT_TYPES = ['HTTP', 'gRPC', 'GraphQL', 'Websocket', 'TCP', 'UDP'] as const;
/** @public */
export type EndpointType = (typeof ENDPOINT_TYPES)[number];

/**
 * Who may reach an endpoint. `project` is implied for every endpoint; the others widen it:
 * `namespace` (other projects of the namespace), `internal` (the internal gateway) and
 * `external` (the public gateway).
 *
 * @public
 */
export const ENDPOINT_VISIBILITIES = ['project', 'namespace', 'internal', 'external'] as const;
/** @public */
export type EndpointVisibility = (typeof ENDPOINT_VISIBILITIES)[number];

/** @public */
export const WORKLOAD_TYPES = ['deployment', 'statefulset', 'cronjob', 'job', 'proxy'] as const;
/** @public */
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];

const owner = () => z.strictObject({ projectName: kubernetesName() });
const componentOwner = () =>
  z.strictObject({ projectName: kubernetesName(), componentName: kubernetesName() });

export const projectSchema = resourceOf(
  'Project',
  z.strictObject({
    deploymentPipelineRef: nameOrRef(['DeploymentPipeline'] as const),
    type: kindRef(['ProjectType', 'ClusterProjectType'] as const, kubernetesName()).optional(),
    parameters: freeform().optional(),
  }),
);

const componentTypeName = () =>
  z
    .string()
    .regex(
      /^(deployment|statefulset|cronjob|job|proxy)\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      "must be '<workloadType>/<componentTypeName>', e.g. 'deployment/service' (workloadType: deployment, statefulset, cronjob, job or proxy)",
    );

const componentTrait = () =>
  z.strictObject({
    kind: z.enum(['Trait', 'ClusterTrait']).optional(),
    name: kubernetesName(),
    instanceName: kubernetesName(),
    parameters: freeform().optional(),
  });

export const componentSchema = resourceOf(
  'Component',
  z
    .strictObject({
      owner: owner(),
      componentType: z.union([
        componentTypeName(),
        z.strictObject({
          kind: z.enum(['ComponentType', 'ClusterComponentType']).optional(),
          name: componentTypeName(),
        }),
      ]),
      autoDeploy: z.boolean().optional(),
      autoBuild: z.boolean().optional(),
      parameters: freeform().optional(),
      traits: z.array(componentTrait()).optional(),
      workflow: z
        .looseObject({
          kind: z.enum(['Workflow', 'ClusterWorkflow']).optional(),
          name: nonEmptyString(),
          parameters: freeform().optional(),
        })
        .optional(),
    })
    .superRefine((spec, ctx) => {
      const seen = new Set<string>();
      (spec.traits ?? []).forEach((trait, index) => {
        if (seen.has(trait.instanceName)) {
          ctx.addIssue({
            code: 'custom',
            path: ['traits', index, 'instanceName'],
            message: `duplicate trait instanceName '${trait.instanceName}'; instance names must be unique in a component`,
          });
        }
        seen.add(trait.instanceName);
      });
    }),
);

const endpoint = () =>
  z.strictObject({
    type: z.enum(ENDPOINT_TYPES),
    port: port(),
    targetPort: port().optional(),
    visibility: z
      .array(z.enum(ENDPOINT_VISIBILITIES))
      .refine(list => new Set(list).size === list.length, 'must not list a visibility twice')
      .optional(),
    displayName: z.string().optional(),
    basePath: z
      .string()
      .regex(/^\//, "must start with '/'")
      .optional(),
    schema: z
      .strictObject({ type: z.string().optional(), content: z.string().optional() })
      .optional(),
  });

const endpointDependency = () =>
  z.strictObject({
    namespace: kubernetesName().optional(),
    project: kubernetesName().optional(),
    component: kubernetesName(),
    name: kubernetesName(),
    visibility: z.enum(['project', 'namespace']),
    envBindings: z.strictObject({
      address: z.string().optional(),
      host: z.string().optional(),
      port: z.string().optional(),
      basePath: z.string().optional(),
    }),
  });

const resourceDependency = () =>
  z.strictObject({
    ref: kubernetesName(),
    envBindings: z.record(nonEmptyString(), nonEmptyString()).optional(),
    fileBindings: z.record(nonEmptyString(), nonEmptyString()).optional(),
  });

/** The part of a Workload a ComponentRelease snapshots: everything but the owner. */
export const workloadTemplateSpec = () =>
  z.strictObject({
    container: z.strictObject({
      image: nonEmptyString(),
      command: z.array(z.string()).optional(),
      args: z.array(z.string()).optional(),
      env: z.array(envVar()).optional(),
      files: z.array(fileVar()).optional(),
    }),
    endpoints: z.record(kubernetesName(), endpoint()).optional(),
    dependencies: z
      .strictObject({
        endpoints: z.array(endpointDependency()).max(50, 'must list at most 50 dependencies').optional(),
        resources: z.array(resourceDependency()).max(50, 'must list at most 50 resources').optional(),
      })
      .optional(),
    source: z
      .strictObject({
        repository: z.string().optional(),
        branch: z.string().optional(),
        commit: z.string().optional(),
        authoredAt: z.string().optional(),
      })
      .optional(),
  });

export const workloadSchema = resourceOf(
  'Workload',
  workloadTemplateSpec().extend({ owner: componentOwner() }),
  'dns-subdomain',
);

export const releaseBindingSchema = resourceOf(
  'ReleaseBinding',
  z.strictObject({
    owner: componentOwner(),
    environment: kubernetesName(),
    releaseName: kubernetesName('dns-subdomain').optional(),
    componentTypeEnvironmentConfigs: freeform().optional(),
    traitEnvironmentConfigs: z.record(kubernetesName(), freeform()).optional(),
    workloadOverrides: z
      .strictObject({
        container: z
          .strictObject({ env: z.array(envVar()).optional(), files: z.array(fileVar()).optional() })
          .optional(),
      })
      .optional(),
    state: z.enum(['Active', 'Undeploy']).optional(),
  }),
  'dns-subdomain',
);

export const componentReleaseSchema = resourceOf(
  'ComponentRelease',
  z.strictObject({
    owner: componentOwner(),
    componentType: z.strictObject({
      kind: z.enum(['ComponentType', 'ClusterComponentType']),
      name: componentTypeName(),
      spec: freeform(),
    }),
    traits: z
      .array(
        z.strictObject({
          kind: z.enum(['Trait', 'ClusterTrait']),
          name: kubernetesName(),
          spec: freeform(),
        }),
      )
      .max(100)
      .optional(),
    componentProfile: z
      .strictObject({
        parameters: freeform().optional(),
        traits: z.array(componentTrait()).optional(),
      })
      .optional(),
    workload: workloadTemplateSpec(),
  }),
  'dns-subdomain',
);
