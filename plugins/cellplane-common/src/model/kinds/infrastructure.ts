import { z } from 'zod';
import {
  celExpression,
  freeform,
  kindRef,
  kubernetesName,
  nonEmptyString,
  resourceOf,
  schemaSection,
} from './shared';

export const resourceSchema = resourceOf(
  'Resource',
  z.strictObject({
    owner: z.strictObject({ projectName: kubernetesName() }),
    type: kindRef(['ResourceType', 'ClusterResourceType'] as const, kubernetesName()),
    parameters: freeform().optional(),
  }),
);

const keyRef = () => z.strictObject({ name: nonEmptyString(), key: nonEmptyString() });

/** A TCP port written as a string, as a ResourceType endpoint's `port`: a literal must be 1-65535. */
const portString = () =>
  z
    .string()
    .max(512, 'must be at most 512 characters')
    .refine(
      value => /\$\{/.test(value) || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535),
      'must be a port 1-65535 or a ${...} expression (quote it: port: "6379")',
    );

/**
 * A dialable endpoint of a resource type (ResourceTypeEndpoint): its host and port come from
 * outputs (hostFrom and portFrom, together) or are written inline (host and port).
 */
const resourceTypeEndpoint = () =>
  z
    .strictObject({
      name: kubernetesName(),
      hostFrom: nonEmptyString().optional(),
      portFrom: nonEmptyString().optional(),
      host: z.string().max(512, 'must be at most 512 characters').optional(),
      port: portString().optional(),
    })
    .superRefine((endpoint, ctx) => {
      if ((endpoint.hostFrom === undefined && endpoint.host === undefined) || (endpoint.portFrom === undefined && endpoint.port === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'host must come from hostFrom or host, and port from portFrom or port' });
      }
      if ((endpoint.hostFrom === undefined) !== (endpoint.portFrom === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [endpoint.hostFrom === undefined ? 'hostFrom' : 'portFrom'],
          message: 'hostFrom and portFrom must be set together: name outputs for both halves of the address, or declare both inline with host and port',
        });
      }
    });

/** `+listType=map`: the API server refuses two list items with the same key. */
const uniqueBy = <T>(what: string, keyOf: (item: T) => string) => (list: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const itemKey = keyOf(item);
    if (seen.has(itemKey)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate ${what} '${itemKey}'` });
    seen.add(itemKey);
  });
};

/** The endpoints' references to outputs: each names an output, and no two share a port output. */
function endpointOutputs(
  spec: { outputs?: Array<{ name: string }>; endpoints?: Array<{ hostFrom?: string; portFrom?: string }> },
  ctx: z.RefinementCtx,
) {
  const outputs = new Set((spec.outputs ?? []).map(output => output.name));
  const portOutputs = new Map<string, number>();
  (spec.endpoints ?? []).forEach((endpoint, index) => {
    for (const field of ['hostFrom', 'portFrom'] as const) {
      const name = endpoint[field];
      if (name !== undefined && !outputs.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['endpoints', index, field], message: `names no output of this type ('${name}')` });
      }
    }
    if (endpoint.portFrom === undefined) return;
    const other = portOutputs.get(endpoint.portFrom);
    if (other !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoints', index, 'portFrom'],
        message: `output '${endpoint.portFrom}' is already the port of endpoints[${other}]; two endpoints must not share a port output`,
      });
    } else {
      portOutputs.set(endpoint.portFrom, index);
    }
  });
}

/** What ResourceType and ClusterResourceType share (and a ResourceRelease snapshots). */
const resourceTypeSpec = () =>
  z.strictObject({
    parameters: schemaSection().optional(),
    environmentConfigs: schemaSection().optional(),
    retainPolicy: z.enum(['Delete', 'Retain']).optional(),
    outputs: z
      .array(
        z
          .strictObject({
            name: nonEmptyString(),
            value: z.string().optional(),
            secretKeyRef: keyRef().optional(),
            configMapKeyRef: keyRef().optional(),
          })
          .refine(
            output =>
              [output.value, output.secretKeyRef, output.configMapKeyRef].filter(
                v => v !== undefined,
              ).length === 1,
            { message: 'exactly one of value, secretKeyRef, or configMapKeyRef must be set' },
          ),
      )
      .superRefine(uniqueBy('output name', output => output.name))
      .optional(),
    endpoints: z
      .array(resourceTypeEndpoint())
      .max(10, 'must list at most 10 endpoints')
      .superRefine(uniqueBy('endpoint name', endpoint => endpoint.name))
      .optional(),
    resources: z
      .array(
        z.strictObject({
          id: nonEmptyString(),
          // OpenChoreo renders the entry only when this evaluates to true; unset means always.
          includeWhen: celExpression().optional(),
          template: freeform(),
          readyWhen: celExpression().optional(),
        }),
      )
      .min(1, 'must define at least one resource')
      .superRefine(uniqueBy('resource id', resource => resource.id)),
  }).superRefine(endpointOutputs);

export const resourceTypeSchema = resourceOf('ResourceType', resourceTypeSpec());
export const clusterResourceTypeSchema = resourceOf('ClusterResourceType', resourceTypeSpec());

/** The schema of a ResourceRelease document: an immutable snapshot of a resource and its type. @public */
export const resourceReleaseSchema = resourceOf(
  'ResourceRelease',
  z.strictObject({
    owner: z.strictObject({ projectName: kubernetesName(), resourceName: kubernetesName() }),
    resourceType: z.strictObject({
      kind: z.enum(['ResourceType', 'ClusterResourceType']),
      name: nonEmptyString(),
      spec: freeform(),
    }),
    parameters: freeform().optional(),
  }),
  'dns-subdomain',
);

export const resourceReleaseBindingSchema = resourceOf(
  'ResourceReleaseBinding',
  z.strictObject({
    owner: z.strictObject({ projectName: kubernetesName(), resourceName: kubernetesName() }),
    environment: kubernetesName(),
    resourceRelease: kubernetesName('dns-subdomain').optional(),
    retainPolicy: z.enum(['Delete', 'Retain']).optional(),
    resourceTypeEnvironmentConfigs: freeform().optional(),
  }),
  'dns-subdomain',
);

export const secretReferenceSchema = resourceOf(
  'SecretReference',
  z.strictObject({
    template: z.strictObject({
      type: z
        .enum([
          'Opaque',
          'kubernetes.io/dockerconfigjson',
          'kubernetes.io/dockercfg',
          'kubernetes.io/basic-auth',
          'kubernetes.io/ssh-auth',
          'kubernetes.io/tls',
          'bootstrap.kubernetes.io/token',
        ])
        .optional(),
      metadata: z
        .strictObject({
          annotations: z.record(z.string(), z.string()).optional(),
          labels: z.record(z.string(), z.string()).optional(),
        })
        .optional(),
    }),
    data: z
      .array(
        z.strictObject({
          secretKey: nonEmptyString(),
          remoteRef: z.strictObject({
            key: nonEmptyString(),
            property: z.string().optional(),
            version: z.string().optional(),
          }),
        }),
      )
      .min(1, 'must list at least one secret key'),
    refreshInterval: z
      .string()
      .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, "must be a duration such as '1h' or '15m'")
      .optional(),
  }),
  'dns-subdomain',
);

/** The Kubernetes Namespace a GitOps repository declares for each OpenChoreo namespace. */
export const namespaceSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Namespace'),
  metadata: z.looseObject({
    name: kubernetesName(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});
