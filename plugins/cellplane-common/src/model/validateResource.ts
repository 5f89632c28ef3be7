import { z } from 'zod';
import { ModelProblem } from '../problems';
import { OPENCHOREO_API_VERSION } from './constants';
import {
  isClusterScoped,
  isResourceKind,
  KIND_DEFINITIONS,
  OpenChoreoResource,
  RESOURCE_KINDS,
} from './kinds';

/**
 * Problems described per document. A document may hold thousands of broken values (the loader
 * allows 5,000); turning each of zod's issues into a message is most of the cost of validating
 * it, and nobody reads past the first few dozen, so only these are described and the rest are
 * counted.
 *
 * @public
 */
export const MAX_DESCRIBED_ISSUES = 50;

/** A problem found in one document; the loader adds the file and line. @public */
export type DocumentProblem = Omit<ModelProblem, 'file' | 'line'>;

/** @public */
export interface ResourceValidationResult {
  /** The document, unchanged, when it has no error (warnings allowed). */
  resource?: OpenChoreoResource;
  problems: DocumentProblem[];
  /**
   * Problems beyond the first {@link MAX_DESCRIBED_ISSUES}, counted but not described (a hostile
   * document may hold thousands), and whether one of them is an error.
   */
  undescribed?: { count: number; errors: boolean };
}

/** One problem saying how many more a document has, for callers that list problems. @public */
export function undescribedProblem(result: ResourceValidationResult): DocumentProblem[] {
  if (!result.undescribed) return [];
  return [
    {
      severity: result.undescribed.errors ? 'error' : 'warning',
      message: `… and ${result.undescribed.count} more problems in this document (only the first ${MAX_DESCRIBED_ISSUES} are described)`,
    },
  ];
}

/**
 * Checks one parsed YAML document against the OpenChoreo kind it declares. Errors name the
 * field path and the rule (`spec.endpoints.http.port: must be 1-65535`); unknown fields are
 * warnings, as the Kubernetes API server would prune them; unknown kinds are reported, never
 * silently dropped.
 *
 * @public
 */
export function validateResource(document: unknown): ResourceValidationResult {
  if (!isPlainObject(document)) {
    return {
      problems: [
        {
          severity: 'error',
          message: `a resource must be a YAML mapping with apiVersion, kind, metadata and spec, got ${describe(
            document,
          )}`,
        },
      ],
    };
  }
  const { apiVersion, kind } = document;
  const metadata = isPlainObject(document.metadata) ? document.metadata : {};
  const resourceRef = {
    kind: typeof kind === 'string' ? kind : '(no kind)',
    name: typeof metadata.name === 'string' ? metadata.name : '(no name)',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
  };

  if (typeof kind !== 'string' || kind.length === 0) {
    return {
      problems: [{ severity: 'error', resource: resourceRef, field: 'kind', message: 'is required' }],
    };
  }
  const knownKind = isResourceKind(kind);
  const expectedApiVersion = kind === 'Namespace' ? 'v1' : OPENCHOREO_API_VERSION;
  if (!knownKind || apiVersion !== expectedApiVersion) {
    return {
      problems: [
        {
          severity: 'warning',
          resource: resourceRef,
          message: `unknown kind ${kind} (apiVersion ${String(
            apiVersion,
          )}); it is not part of the model. Cellplane reads ${OPENCHOREO_API_VERSION} kinds: ${RESOURCE_KINDS.filter(
            k => k !== 'Namespace',
          ).join(', ')}, and v1 Namespace`,
        },
      ],
    };
  }

  const issues = schemaIssues(KIND_DEFINITIONS[kind].schema, document);
  const described = issues.slice(0, MAX_DESCRIBED_ISSUES);
  const problems: DocumentProblem[] = described
    .flatMap(issue => describeIssue(issue, [], kind))
    .map(p => ({ ...p, resource: resourceRef }));
  const rest = issues.slice(MAX_DESCRIBED_ISSUES);
  const undescribed = { count: rest.length, errors: rest.some(issue => issue.code !== 'unrecognized_keys') };

  if (isClusterScoped(kind) && metadata.namespace !== undefined) {
    problems.push({
      severity: 'error',
      resource: resourceRef,
      field: 'metadata.namespace',
      message: `${kind} is cluster-scoped and must not have a namespace`,
    });
  }

  const hasError = undescribed.errors || problems.some(p => p.severity === 'error');
  return {
    resource: hasError ? undefined : (document as OpenChoreoResource),
    problems,
    ...(undescribed.count > 0 ? { undescribed } : {}),
  };
}

type Issue = z.core.$ZodIssue;

/**
 * Fields OpenChoreo's API had and has removed, and what replaced them. In a repository they are
 * errors rather than unknown-field warnings: the API server would drop them and the resource
 * would silently lose what they said (for a schema section, the whole schema).
 */
const RETIRED_FIELDS: ReadonlyArray<{ field: RegExp; kinds?: readonly string[]; message: string }> = [
  {
    field: /^spec\.(parameters|environmentConfigs)\.ocSchema$/,
    message:
      'the compact ocSchema form is no longer supported by OpenChoreo: its CRDs keep only openAPIV3Schema (openchoreo/openchoreo#2679), and the API server would drop ocSchema, leaving the type without a schema. Write the schema as openAPIV3Schema: `replicas: "integer | default=1"` becomes `replicas: {type: integer, default: 1}`, fields without a default go under `required`, `$types` become `$defs`',
  },
  {
    field: /^spec\.schema$/,
    kinds: ['ComponentType', 'ClusterComponentType', 'Trait', 'ClusterTrait'],
    message:
      'the schema: {types, parameters, envOverrides} shorthand is no longer supported by OpenChoreo, and the API server would drop it, leaving the type without a schema. Declare spec.parameters.openAPIV3Schema and spec.environmentConfigs.openAPIV3Schema (envOverrides became environmentConfigs, types become $defs)',
  },
];

function retiredField(kind: string, field: string): string | undefined {
  return RETIRED_FIELDS.find(retired => retired.field.test(field) && (!retired.kinds || retired.kinds.includes(kind)))?.message;
}

const PARSE_CONTEXT = { async: false, reportInput: true } as const;

/**
 * The schema's issues for a document, each finalized (message, input) only when described.
 * `safeParse` finalizes every issue as soon as its error is read, which for a hostile document
 * blocked the event loop for over 100 ms; zod's core run returns them raw.
 */
function schemaIssues(schema: z.ZodType, document: unknown): Issue[] {
  const payload = schema._zod.run({ value: document, issues: [] }, PARSE_CONTEXT);
  if (payload instanceof Promise) {
    // Only an async refinement returns a promise; the kinds have none, but stay correct if one appears.
    const result = schema.safeParse(document, { reportInput: true });
    return result.success ? [] : result.error.issues;
  }
  const config = z.core.config();
  return payload.issues.map((raw, index) =>
    index < MAX_DESCRIBED_ISSUES ? (z.core.util.finalizeIssue(raw, PARSE_CONTEXT, config) as Issue) : (raw as unknown as Issue),
  );
}

function describeIssue(
  issue: Issue,
  parentPath: PropertyKey[],
  kind: string,
): Array<Omit<DocumentProblem, 'resource'>> {
  const path = [...parentPath, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map(key => {
        const field = formatFieldPath([...path, key]);
        const retired = retiredField(kind, field);
        return retired
          ? { severity: 'error' as const, field, message: retired }
          : {
              severity: 'warning' as const,
              field,
              message: 'unknown field; it is ignored (check its spelling against the OpenChoreo API)',
            };
      });
    case 'invalid_union':
      return describeUnion(issue, path, kind);
    case 'invalid_type':
      return [
        {
          severity: 'error',
          field: formatFieldPath(path),
          message:
            issue.input === undefined
              ? 'is required'
              : `must be ${withArticle(issue.expected)}, got ${describe(issue.input)}`,
        },
      ];
    case 'invalid_value':
      return [
        {
          severity: 'error',
          field: formatFieldPath(path),
          message:
            issue.values.length === 1
              ? `must be ${JSON.stringify(issue.values[0])}, got ${describe(issue.input)}`
              : `must be one of ${issue.values
                  .map(v => JSON.stringify(v))
                  .join(', ')}, got ${describe(issue.input)}`,
        },
      ];
    case 'invalid_key':
      return issue.issues.flatMap(inner =>
        describeIssue(inner as Issue, path, kind).map(p => ({
          ...p,
          message: `key ${JSON.stringify(String(issue.input ?? path.at(-1)))} ${p.message}`,
        })),
      );
    case 'invalid_element':
      return issue.issues.flatMap(inner => describeIssue(inner as Issue, path, kind));
    default:
      return [{ severity: 'error', field: formatFieldPath(path), message: issue.message }];
  }
}

/**
 * Unions here are "legacy form or current form" (a plain name or a `{kind, name}` ref). Report
 * the branch that matches the document's shape rather than every branch's complaint.
 */
function describeUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: PropertyKey[],
  kind: string,
): Array<Omit<DocumentProblem, 'resource'>> {
  const branches = issue.errors.filter(
    branch => !(branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0),
  );
  if (branches.length === 0) {
    const expected = issue.errors
      .map(branch => branch[0])
      .filter((i): i is Extract<Issue, { code: 'invalid_type' }> => i?.code === 'invalid_type')
      .map(i => withArticle(i.expected));
    return [
      {
        severity: 'error',
        field: formatFieldPath(path),
        message: `must be ${[...new Set(expected)].join(' or ')}, got ${describe(issue.input)}`,
      },
    ];
  }
  return branches[0].flatMap(inner => describeIssue(inner as Issue, path, kind));
}

/**
 * `['spec', 'endpoints', 'http', 'port']` → `spec.endpoints.http.port`; list items as `[2]`,
 * keys that are not plain words as `["a.b"]`.
 *
 * @public
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment))) {
      out += out ? `.${String(segment)}` : String(segment);
    } else {
      out += `[${JSON.stringify(String(segment))}]`;
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    return `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  }
  return `${typeof value} ${String(value)}`;
}
