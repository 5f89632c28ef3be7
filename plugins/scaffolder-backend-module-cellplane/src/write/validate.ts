import { InputError } from '@backstage/errors';
import {
  explainInvalidName,
  formatProblem,
  NameRule,
  OpenChoreoResource,
  validateResource,
} from '@cellplane/backstage-plugin-common';
import Ajv, { ErrorObject } from 'ajv';

/** Checks a name that becomes a path, a Git ref or a Kubernetes name; the error names the input field. */
export function requireName(field: string, value: unknown, rule: NameRule = 'dns-label'): string {
  const problem = explainInvalidName(value, rule);
  if (problem) {
    throw new InputError(`${field} ${problem}`);
  }
  return value as string;
}

/**
 * Checks a resource the action is about to write against the OpenChoreo model, so nothing
 * Cellplane writes is something its own loader would reject.
 */
export function requireValidResource<R extends OpenChoreoResource>(field: string, resource: R): R {
  const errors = validateResource(resource).problems.filter(p => p.severity === 'error');
  if (errors.length > 0) {
    throw new InputError(
      `${field} would make an invalid ${resource.kind}: ${errors.map(p => formatProblem(p)).join('; ')}`,
    );
  }
  return resource;
}

// One compiler for every schema: OpenAPI v3 schemas carry keywords JSON Schema does not know
// (x-kubernetes-*, nullable), which strict mode would reject.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

/**
 * Checks values against a ComponentType's (or Trait's, or ResourceType's) `openAPIV3Schema`,
 * as OpenChoreo does before it renders. The error names each failing field under `field`.
 */
export function requireMatchesSchema(
  field: string,
  schema: Record<string, unknown> | undefined,
  value: unknown,
  what: string,
): void {
  if (!schema) {
    if (value && typeof value === 'object' && Object.keys(value).length > 0) {
      throw new InputError(`${field}: ${what} declares no parameters, so none may be given`);
    }
    return;
  }
  let validate = compiled.get(schema);
  if (!validate) {
    try {
      validate = ajv.compile(closed(schema));
    } catch (error) {
      throw new InputError(`${what} has a parameter schema ajv cannot compile: ${(error as Error).message}`);
    }
    compiled.set(schema, validate);
  }
  if (!validate(value ?? {})) {
    throw new InputError(
      `${field} does not match the schema of ${what}: ${(validate.errors ?? []).map(e => describe(field, e)).join('; ')}`,
    );
  }
}

/**
 * A typo in a parameter name would otherwise be pruned silently, as the Kubernetes API server
 * prunes unknown fields of a structural schema; refuse it instead, unless the schema keeps
 * unknown fields (`additionalProperties` or `x-kubernetes-preserve-unknown-fields`).
 */
function closed(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === 'default' || key === 'example' || key === 'enum' ? value : closed(value);
  }
  if (copy.properties && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
    copy.additionalProperties = false;
  }
  return copy;
}

function describe(field: string, error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const where = path ? `${field}.${path}` : field;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown field ${JSON.stringify((error.params as any).additionalProperty)}`;
  }
  return `${where}: ${error.message}`;
}
