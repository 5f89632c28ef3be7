import { z } from 'zod';
import { OPENCHOREO_ANNOTATIONS, PUBLISH_MODES } from '../constants';
import { WORKLOAD_TYPES } from './application';
import { hookSet } from './hooks';
import {
  celExpression,
  freeform,
  gateway,
  identifier,
  kindRef,
  kubernetesName,
  loopNeedsVar,
  nonEmptyString,
  postRenderValidation,
  resourceOf,
  schemaSection,
  targetPlane,
  validationRule,
} from './shared';

/** A templated object, optionally conditional and looped: a trait's `creates` entry. */
const templatedObject = () => ({
  targetPlane: targetPlane().optional(),
  includeWhen: celExpression().optional(),
  forEach: celExpression().optional(),
  var: identifier().optional(),
  template: freeform(),
});

/** A ComponentType's (or ProjectType's) `resources` entry: a templated object with an id. */
export const resourceTemplate = () =>
  z.strictObject({ id: nonEmptyString(), ...templatedObject() }).refine(...loopNeedsVar);

/**
 * An embedded trait of a ComponentType or ClusterComponentType. Without `kind` it is a Trait in a
 * ComponentType and a ClusterTrait in a ClusterComponentType (OpenChoreo's CRD defaults): see
 * {@link embeddedTraitKind}.
 */
const embeddedTrait = (kinds: readonly ['Trait', 'ClusterTrait'] | readonly ['ClusterTrait']) =>
  z.strictObject({
    kind: z.enum(kinds).optional(),
    name: kubernetesName(),
    instanceName: kubernetesName(),
    parameters: freeform().optional(),
    environmentConfigs: freeform().optional(),
  });

const componentTypeSpec = (cluster: boolean) =>
  z
    .strictObject({
      workloadType: z.enum(WORKLOAD_TYPES),
      displayName: z.string().optional(),
      allowedWorkflows: z
        .array(z.union([kubernetesName(), kindRef(['ClusterWorkflow', 'Workflow'] as const)]))
        .optional(),
      parameters: schemaSection().optional(),
      environmentConfigs: schemaSection().optional(),
      traits: z
        .array(embeddedTrait(cluster ? (['ClusterTrait'] as const) : (['Trait', 'ClusterTrait'] as const)))
        .optional(),
      allowedTraits: z
        .array(
          z.union([
            kubernetesName(),
            kindRef(cluster ? (['ClusterTrait'] as const) : (['Trait', 'ClusterTrait'] as const), kubernetesName()),
          ]),
        )
        .optional(),
      validations: z.array(validationRule()).optional(),
      preRenderValidations: z.array(validationRule()).optional(),
      postRenderValidations: z.array(postRenderValidation()).optional(),
      resources: z.array(resourceTemplate()).min(1, 'must define at least one resource'),
    })
    .superRefine((spec, ctx) => {
      if (
        spec.workloadType !== 'proxy' &&
        !spec.resources.some(resource => resource.id === spec.workloadType)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['resources'],
          message: `must contain a primary resource with id '${spec.workloadType}' (the workloadType)`,
        });
      }
      if (spec.validations?.length && spec.preRenderValidations?.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['validations'],
          message:
            'set only one of spec.validations or spec.preRenderValidations; validations is deprecated, use preRenderValidations',
        });
      }
      const ids = new Set<string>();
      spec.resources.forEach((resource, index) => {
        if (ids.has(resource.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['resources', index, 'id'],
            message: `duplicate resource id '${resource.id}'`,
          });
        }
        ids.add(resource.id);
      });
      embeddedTraitRules(spec, cluster ? 'ClusterTrait' : 'Trait', ctx);
    });

/**
 * OpenChoreo's rules for embedded traits: each instanceName once, and no trait both embedded
 * and in allowedTraits (matched by kind, with the type's default kind, and name).
 */
function embeddedTraitRules(
  spec: {
    traits?: Array<{ kind?: string; name: string; instanceName: string }>;
    allowedTraits?: Array<string | { kind?: string; name: string }>;
  },
  defaultKind: 'Trait' | 'ClusterTrait',
  ctx: z.RefinementCtx,
) {
  const instances = new Set<string>();
  const embedded = new Set<string>();
  (spec.traits ?? []).forEach((trait, index) => {
    if (instances.has(trait.instanceName)) {
      ctx.addIssue({
        code: 'custom',
        path: ['traits', index, 'instanceName'],
        message: `duplicate trait instanceName '${trait.instanceName}'; instance names must be unique among the embedded traits`,
      });
    }
    instances.add(trait.instanceName);
    embedded.add(`${trait.kind ?? defaultKind}/${trait.name}`);
  });
  (spec.allowedTraits ?? []).forEach((allowed, index) => {
    const ref = typeof allowed === 'string' ? { kind: defaultKind, name: allowed } : { kind: allowed.kind ?? defaultKind, name: allowed.name };
    if (embedded.has(`${ref.kind}/${ref.name}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['allowedTraits', index],
        message: `${ref.kind} '${ref.name}' is already embedded in spec.traits; allowedTraits must not overlap the embedded traits`,
      });
    }
  });
}

export const componentTypeSchema = resourceOf('ComponentType', componentTypeSpec(false));
export const clusterComponentTypeSchema = resourceOf(
  'ClusterComponentType',
  componentTypeSpec(true),
);

const patchTarget = () =>
  z.strictObject({
    group: z.string(),
    version: nonEmptyString(),
    kind: nonEmptyString(),
    where: celExpression().optional(),
  });

/** What a trait's patches and removes share: which objects, on which plane, once per item. */
const targetedLoop = () => ({
  forEach: celExpression().optional(),
  var: identifier().optional(),
  target: patchTarget(),
  targetPlane: targetPlane().optional(),
});

const traitSpec = () =>
  z.strictObject({
    parameters: schemaSection().optional(),
    environmentConfigs: schemaSection().optional(),
    validations: z.array(validationRule()).optional(),
    preRenderValidations: z.array(validationRule()).optional(),
    postRenderValidations: z.array(postRenderValidation()).optional(),
    creates: z.array(z.strictObject(templatedObject()).refine(...loopNeedsVar)).optional(),
    patches: z
      .array(
        z
          .strictObject({
            ...targetedLoop(),
            operations: z
              .array(
                z.strictObject({
                  op: z.enum(['add', 'replace', 'remove']),
                  path: z.string().regex(/^\//, "must be a JSON pointer starting with '/'"),
                  value: z.unknown().optional(),
                }),
              )
              .min(1, 'must list at least one operation'),
          })
          .refine(...loopNeedsVar),
      )
      .optional(),
    removes: z.array(z.strictObject(targetedLoop()).refine(...loopNeedsVar))
      .optional(),
  });

export const traitSchema = resourceOf('Trait', traitSpec());
export const clusterTraitSchema = resourceOf('ClusterTrait', traitSpec());

export const environmentSchema = resourceOf(
  'Environment',
  z.strictObject({
    dataPlaneRef: z
      .union([
        kubernetesName(),
        z.strictObject({
          kind: z.enum(['DataPlane', 'ClusterDataPlane']),
          name: kubernetesName(),
        }),
      ])
      .optional(),
    isProduction: z.boolean().optional(),
    gateway: gateway().optional(),
    hooks: hookSet().optional(),
  }),
).superRefine((environment, ctx) => {
  // A misspelt mode must not quietly publish by commit what was meant to need a review.
  const value = environment.metadata.annotations?.[OPENCHOREO_ANNOTATIONS.publish];
  if (value !== undefined && !(PUBLISH_MODES as readonly string[]).includes(value)) {
    ctx.addIssue({
      code: 'custom',
      path: ['metadata', 'annotations', OPENCHOREO_ANNOTATIONS.publish],
      message: `must be ${PUBLISH_MODES.join(' or ')} (how writes that change this environment are published), not ${JSON.stringify(value).slice(0, 60)}`,
    });
  }
});

const environmentRef = () =>
  z.union([kubernetesName(), kindRef(['Environment'] as const, kubernetesName())]);

export const deploymentPipelineSchema = resourceOf(
  'DeploymentPipeline',
  z
    .strictObject({
      promotionPaths: z
        .array(
          z.strictObject({
            sourceEnvironmentRef: environmentRef(),
            // OpenChoreo's CRD requires the field but sets no minimum: `[]` ends a pipeline.
            targetEnvironmentRefs: z.array(
              kindRef(['Environment'] as const, kubernetesName()).extend({
                requiresApproval: z.boolean().optional(),
                isManualApprovalRequired: z.boolean().optional(),
              }),
            ),
          }),
        )
        .optional(),
    }),
);

const dataPlaneSpec = () =>
  z.strictObject({
    planeID: kubernetesName().optional(),
    clusterAgent: z
      .strictObject({
        clientCA: z
          .strictObject({
            secretRef: freeform().optional(),
            secretKeyRef: freeform().optional(),
            value: z.string().optional(),
          })
          .optional(),
      })
      .optional(),
    gateway: gateway().optional(),
    imagePullSecretRefs: z.array(kubernetesName()).optional(),
    secretStoreRef: z.strictObject({ name: nonEmptyString() }).optional(),
    observabilityPlaneRef: z
      .union([
        kubernetesName(),
        z.strictObject({
          kind: z.enum(['ObservabilityPlane', 'ClusterObservabilityPlane']),
          name: kubernetesName(),
        }),
      ])
      .optional(),
  });

export const dataPlaneSchema = resourceOf('DataPlane', dataPlaneSpec());
export const clusterDataPlaneSchema = resourceOf('ClusterDataPlane', dataPlaneSpec());
