import { z } from 'zod';
import {
  envVarName,
  envVars,
  fileVars,
  freeform,
  gitBranch,
  imageReference,
  kindRef,
  kubernetesName,
  MAX_REPLICAS,
  REPLICA_FIELDS,
  nameOrRef,
  nonEmptyString,
  port,
  resourceOf,
  singleLine,
  urlPath,
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

/**
 * Parameters and environment configs are the ComponentType's (or Trait's) to check, but
 * `replicas`, `minReplicas` and `maxReplicas`, whatever the type, become a Deployment's or an
 * autoscaler's replica count: Cellplane bounds them so one value cannot ask a data plane for a
 * billion pods.
 */
const withBoundedReplicas = () =>
  freeform().superRefine((values, ctx) => {
    for (const field of REPLICA_FIELDS) {
      const replicas = values[field];
      if (
        typeof replicas === 'number' &&
        (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `must be a whole number 0-${MAX_REPLICAS}, got ${replicas}`,
        });
      }
    }
  });

const owner = () => z.strictObject({ projectName: kubernetesName() });
const componentOwner = () =>
  z.strictObject({ projectName: kubernetesName(), componentName: kubernetesName() });

/** The schema of a Project document. @public */
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
    parameters: withBoundedReplicas().optional(),
  });

/** The schema of a Component document. @public */
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
      parameters: withBoundedReplicas().optional(),
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
    displayName: singleLine(256).optional(),
    basePath: urlPath().optional(),
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
      address: envVarName().optional(),
      host: envVarName().optional(),
      port: envVarName().optional(),
      basePath: envVarName().optional(),
    }),
  });

/**
 * Two endpoints on one container port would be one Service port under two names; the renderer
 * would keep one of them. Refused, naming both.
 */
function uniquePorts(endpoints: Record<string, { port: number }>, ctx: z.RefinementCtx) {
  const byPort = new Map<number, string>();
  for (const [name, { port: endpointPort }] of Object.entries(endpoints)) {
    const other = byPort.get(endpointPort);
    if (other !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [name, 'port'],
        message: `port ${endpointPort} is already used by endpoint ${other}; each endpoint needs its own port`,
      });
    } else {
      byPort.set(endpointPort, name);
    }
  }
}

const resourceDependency = () =>
  z.strictObject({
    ref: kubernetesName(),
    envBindings: z.record(nonEmptyString(), envVarName()).optional(),
    fileBindings: z.record(nonEmptyString(), nonEmptyString()).optional(),
  });

/** The part of a Workload a ComponentRelease snapshots: everything but the owner. @public */
export const workloadTemplateSpec = () =>
  z.strictObject({
    container: z.strictObject({
      image: imageReference(),
      command: z.array(z.string()).optional(),
      args: z.array(z.string()).optional(),
      env: envVars().optional(),
      files: fileVars().optional(),
    }),
    endpoints: z.record(kubernetesName(), endpoint()).superRefine(uniquePorts).optional(),
    dependencies: z
      .strictObject({
        endpoints: z.array(endpointDependency()).max(50, 'must list at most 50 dependencies').optional(),
        resources: z
          .array(resourceDependency())
          .max(50, 'must list at most 50 resources')
          // `+listMapKey=ref`: one entry per Resource.
          .superRefine((list, ctx) => {
            const seen = new Set<string>();
            list.forEach((dependency, index) => {
              if (seen.has(dependency.ref)) {
                ctx.addIssue({ code: 'custom', path: [index, 'ref'], message: `duplicate dependency on Resource '${dependency.ref}'; list each Resource once` });
              }
              seen.add(dependency.ref);
            });
          })
          .optional(),
      })
      .optional(),
    source: z
      .strictObject({
        repository: singleLine(2048)
          .regex(/^\S*$/, 'must be a URL without spaces')
          .optional(),
        branch: gitBranch().optional(),
        commit: z
          .string()
          // OpenChoreo's WorkloadSource.commit: 7-40 hex digits (a short SHA is accepted).
          .regex(/^[0-9a-fA-F]{7,40}$/, 'must be a Git commit id: 7-40 hex digits')
          .optional(),
        authoredAt: z.string().optional(),
      })
      .optional(),
  });

/** The schema of a Workload document. @public */
export const workloadSchema = resourceOf(
  'Workload',
  workloadTemplateSpec().extend({ owner: componentOwner() }),
  'dns-subdomain',
);

/** The schema of a ReleaseBinding document. @public */
export const releaseBindingSchema = resourceOf(
  'ReleaseBinding',
  z.strictObject({
    owner: componentOwner(),
    environment: kubernetesName(),
    releaseName: kubernetesName('dns-subdomain').optional(),
    componentTypeEnvironmentConfigs: withBoundedReplicas().optional(),
    traitEnvironmentConfigs: z.record(kubernetesName(), withBoundedReplicas()).optional(),
    workloadOverrides: z
      .strictObject({
        container: z
          .strictObject({ env: envVars().optional(), files: fileVars().optional() })
          .optional(),
      })
      .optional(),
    state: z.enum(['Active', 'Undeploy']).optional(),
  }),
  'dns-subdomain',
);

/** The schema of a ComponentRelease document. @public */
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
        parameters: withBoundedReplicas().optional(),
        traits: z.array(componentTrait()).optional(),
      })
      .optional(),
    workload: workloadTemplateSpec(),
  }),
  'dns-subdomain',
);
