import { z } from 'zod';
import { OPENCHOREO_ANNOTATIONS } from '../constants';
import { explainInvalidImageReference } from '../imageReference';
import {
  explainInvalidEnvVarName,
  explainInvalidGitBranch,
  explainInvalidName,
  explainInvalidOwnerRef,
  explainInvalidUrlPath,
  NameRule,
} from '../names';

export { MAX_REPLICAS, REPLICA_FIELDS } from '../constants';

/**
 * Building blocks shared by the kind schemas. The schemas check and never transform: a valid
 * document is kept exactly as written, so what Cellplane writes back is what it read.
 */

export const kubernetesName = (rule: NameRule = 'dns-label') =>
  z.string().superRefine((value, ctx) => {
    const problem = explainInvalidName(value, rule);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

export const nonEmptyString = () => z.string().min(1, 'must not be empty');

/** A string `explain` accepts; its explanation is the problem's message. */
const explained = (explain: (value: unknown) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const problem = explain(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

/** A container image reference (distribution's grammar), as a Deployment can pull it. */
export const imageReference = () => explained(explainInvalidImageReference);
export const envVarName = () => explained(explainInvalidEnvVarName);
export const gitBranch = () => explained(explainInvalidGitBranch);
export const urlPath = () => explained(explainInvalidUrlPath);
export const ownerRef = () => explained(explainInvalidOwnerRef);

/** Free text on one line (a display name, a Git URL): bounded, no control characters. */
export const singleLine = (maxLength: number) =>
  z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must be one line without control characters');

/**
 * A list whose items' `key` must differ: two env vars or files of one name would have the
 * container get one of them, silently.
 */
export const uniqueKeys = <T extends { key: string }>(what: string) => (list: T[], ctx: z.RefinementCtx) => {
  const first = new Map<string, number>();
  list.forEach((item, index) => {
    const earlier = first.get(item.key);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'key'],
        message: `duplicate ${what} ${JSON.stringify(item.key)} (also at [${earlier}]); each key may appear once`,
      });
    } else {
      first.set(item.key, index);
    }
  });
};

export const port = () =>
  z
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1-65535')
    .max(65535, 'must be 1-65535');

/** A free-form object (Kubernetes RawExtension with preserved unknown fields). */
export const freeform = () => z.record(z.string(), z.unknown());

/** A `${...}` CEL expression, as OpenChoreo's CRDs require for rules, conditions and loops. */
export const celExpression = () =>
  z
    .string()
    .regex(/^\$\{[\s\S]+\}\s*$/, 'must be a CEL expression wrapped in ${...}');

export const identifier = () =>
  z
    .string()
    .regex(
      /^[a-zA-Z_][a-zA-Z0-9_]*$/,
      'must be an identifier (letters, digits and _, not starting with a digit)',
    );

export const metadata = (nameRule: NameRule) =>
  z.looseObject({
    name: kubernetesName(nameRule),
    namespace: kubernetesName('dns-label').optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z
      .record(z.string(), z.string())
      .superRefine((annotations, ctx) => {
        // The owner becomes a catalog relation: a malformed one would be dropped by the catalog.
        const owner = annotations[OPENCHOREO_ANNOTATIONS.owner];
        const problem = owner === undefined ? undefined : explainInvalidOwnerRef(owner);
        if (problem) {
          ctx.addIssue({ code: 'custom', path: [OPENCHOREO_ANNOTATIONS.owner], message: problem });
        }
      })
      .optional(),
  });

export const secretKeyRef = () =>
  z.strictObject({ name: nonEmptyString(), key: nonEmptyString() });

const valueSource = () => ({
  value: z.string().optional(),
  valueFrom: z.strictObject({ secretKeyRef: secretKeyRef().optional() }).optional(),
});

const oneValueSource = (v: { value?: string; valueFrom?: unknown }) =>
  !(v.value !== undefined && v.valueFrom !== undefined);

const envVar = () =>
  z
    .strictObject({ key: envVarName(), ...valueSource() })
    .refine(oneValueSource, { message: 'value and valueFrom are mutually exclusive' });

/** A container's environment variables, each name once. */
export const envVars = () => z.array(envVar()).superRefine(uniqueKeys('environment variable'));

const fileVar = () =>
  z
    .strictObject({
      // The file's name in its mount directory, as a ConfigMap or Secret key.
      key: z
        .string()
        .max(253, 'must be at most 253 characters')
        .regex(/^[-._a-zA-Z0-9]+$/, "must be a file name: letters, digits, '-', '_' and '.'")
        .refine(key => key !== '.' && key !== '..', "must not be '.' or '..'"),
      mountPath: z
        .string()
        .max(1024, 'must be at most 1024 characters')
        .regex(/^\//, "must be an absolute path, starting with '/'")
        // eslint-disable-next-line no-control-regex
        .regex(/^[^\u0000-\u001f\u007f:]*$/, "must not contain ':' or control characters"),
      ...valueSource(),
    })
    .refine(oneValueSource, { message: 'value and valueFrom are mutually exclusive' });

/** A container's files, each key once. */
export const fileVars = () => z.array(fileVar()).superRefine(uniqueKeys('file'));

/** OpenChoreo's rule for every `forEach` loop: the loop variable must be named. */
export const loopNeedsVar: [
  (v: { forEach?: string; var?: string }) => boolean,
  { message: string; path: PropertyKey[] },
] = [
  v => v.forEach === undefined || v.var !== undefined,
  { message: 'var is required when forEach is specified', path: ['var'] },
];

/** `{ openAPIV3Schema: {...} }`, the schema section of ComponentTypes, Traits and ResourceTypes. */
export const schemaSection = () =>
  z.strictObject({
    openAPIV3Schema: z.looseObject({ type: z.literal('object').optional() }).optional(),
  });

export const validationRule = () =>
  z.strictObject({ rule: celExpression(), message: nonEmptyString() });

export const targetPlane = () => z.enum(['dataplane', 'observabilityplane']);

export const postRenderValidation = () =>
  z
    .strictObject({
      when: celExpression().optional(),
      forEach: celExpression().optional(),
      var: identifier().optional(),
      target: z.strictObject({
        group: z.string(),
        version: nonEmptyString(),
        kind: nonEmptyString(),
        where: celExpression().optional(),
        mustMatch: z.boolean().optional(),
      }),
      rule: celExpression(),
      message: nonEmptyString(),
    })
    .refine(...loopNeedsVar);

/** A reference `{kind, name}` whose kind is one of `kinds` (the first is the default). */
export const kindRef = <K extends readonly [string, ...string[]]>(
  kinds: K,
  name: z.ZodType<string> = nonEmptyString(),
) => z.strictObject({ kind: z.enum(kinds).optional(), name });

/** Older OpenChoreo samples write some references as a plain name; both forms are accepted. */
export const nameOrRef = <K extends readonly [string, ...string[]]>(kinds: K) =>
  z.union([kubernetesName(), kindRef(kinds, kubernetesName())]);

export const gatewayListener = () =>
  z.strictObject({
    listenerName: z.string().optional(),
    port: port().optional(),
    host: z.string().optional(),
  });

export const gatewayEndpoint = () =>
  z.strictObject({
    name: z.string().optional(),
    namespace: z.string().optional(),
    http: gatewayListener().optional(),
    https: gatewayListener().optional(),
    tls: gatewayListener().optional(),
  });

export const gatewayNetwork = () =>
  z.strictObject({
    external: gatewayEndpoint().optional(),
    internal: gatewayEndpoint().optional(),
  });

export const gateway = () =>
  z.strictObject({
    ingress: gatewayNetwork().optional(),
    egress: gatewayNetwork().optional(),
  });

export const resourceOf = <K extends string, S extends z.ZodType>(
  kind: K,
  spec: S,
  nameRule: NameRule = 'dns-label',
) =>
  z.looseObject({
    apiVersion: z.literal('openchoreo.dev/v1alpha1'),
    kind: z.literal(kind),
    metadata: metadata(nameRule),
    spec,
    status: z.unknown().optional(),
  });
