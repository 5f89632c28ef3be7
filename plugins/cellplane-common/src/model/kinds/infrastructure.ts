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
      .optional(),
    resources: z
      .array(
        z.strictObject({
          id: nonEmptyString(),
          // OpenChoreo renders the entry only when this evaluates to true; unset means always.
          includeWhen: celExpression().optional(),
          template: freeform(),
          readyWhen: z.string().optional(),
        }),
      )
      .min(1, 'must define at least one resource'),
  });

export const resourceTypeSchema = resourceOf('ResourceType', resourceTypeSpec());
export const clusterResourceTypeSchema = resourceOf('ClusterResourceType', resourceTypeSpec());

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
