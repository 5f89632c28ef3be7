import { InputError } from '@backstage/errors';
import {
  explainInvalidName,
  formatProblem,
  MAX_REPLICAS,
  NameRule,
  OpenChoreoResource,
  REPLICA_FIELDS,
  undescribedProblem,
  validateResource,
} from '@cellplane/backstage-plugin-common';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

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
  const result = validateResource(resource);
  const errors = [...result.problems, ...undescribedProblem(result)].filter(p => p.severity === 'error');
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

/** Refuses a value that `explain` has a reason against, naming the input field. */
export function requireThat<T = string>(field: string, value: unknown, explain: (value: unknown) => string | undefined): T {
  const problem = explain(value);
  if (problem) {
    throw new InputError(`${field} ${problem}`);
  }
  return value as T;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * Free text a user types (a display name, a description): bounded, and without control
 * characters; `multiline` allows newlines and tabs.
 */
export function requireText(field: string, value: unknown, maxLength: number, multiline = false): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`${field} must be a string`);
  }
  if (value.length > maxLength) {
    throw new InputError(`${field} must be at most ${maxLength} characters, got ${value.length}`);
  }
  if (CONTROL_CHARACTERS.test(value) || (!multiline && /[\n\t]/.test(value))) {
    throw new InputError(`${field} must be ${multiline ? 'text' : 'one line of text'} without control characters`);
  }
  return value;
}

/**
 * Whatever a ComponentType's or Trait's schema allows, `replicas` (and an autoscaler's
 * `minReplicas` and `maxReplicas`) become a replica count; Cellplane refuses more than
 * {@link MAX_REPLICAS} (the model refuses it in a pushed file too).
 */
export function requireBoundedReplicas(field: string, values: Record<string, unknown> | undefined): void {
  for (const name of REPLICA_FIELDS) {
    const replicas = values?.[name];
    if (typeof replicas === 'number' && (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS)) {
      throw new InputError(`${field}.${name} must be a whole number 0-${MAX_REPLICAS}, got ${replicas}`);
    }
  }
}

// The action's own input schema (JSON Schema, as createTemplateAction derived it from zod):
// defaults applied, every error reported with its field.
const inputAjv = new Ajv({ strict: false, allErrors: true, useDefaults: true, verbose: true });
const compiledInputs = new WeakMap<object, ValidateFunction>();

interface CheckableAction {
  id: string;
  schema?: { input?: unknown };
  handler: (ctx: any) => Promise<void>;
}

/**
 * Wraps an action so that its handler sees only input matching the action's own schema.
 *
 * The scaffolder checks input with jsonschema before it runs an action, but that check skips
 * values a template expression rendered to nothing (an array's `['${{ parameters.x }}']` with no
 * `x` arrives as a hole), and actions are also called directly. So every handler checks again:
 * holes are dropped (a form's empty field is no value, so the action's default applies), the
 * schema's defaults are applied, and anything else wrong is an InputError naming each field,
 * before anything is read or written.
 */
export function withCheckedInput<A extends CheckableAction>(action: A): A {
  const schema = action.schema?.input;
  if (!schema || typeof schema !== 'object') return action;
  // Compiled now, while the backend starts: compiling takes tens of milliseconds of the event
  // loop, which a task's first run should not pay while the backend is serving.
  compiledInput(schema);
  return {
    ...action,
    handler: async (ctx: any) => {
      ctx.input = requireActionInput(action.id, schema, ctx.input);
      return action.handler(ctx);
    },
  };
}

function compiledInput(schema: object): ValidateFunction {
  let validate = compiledInputs.get(schema);
  if (!validate) {
    validate = inputAjv.compile(schema);
    compiledInputs.set(schema, validate);
  }
  return validate;
}

export function requireActionInput(actionId: string, schema: object, given: unknown): any {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new InputError(`input: ${actionId} takes a mapping of inputs, got ${describeValue(given)}`);
  }
  const validate = compiledInput(schema);
  const input = withoutHoles(given);
  if (!validate(input)) {
    const errors = (validate.errors ?? []).filter(e => e.keyword !== 'if');
    const messages = [...new Set(errors.map(describeInputError))];
    throw new InputError(
      `${messages.slice(0, 5).join('; ')}${messages.length > 5 ? `; and ${messages.length - 5} more` : ''}`,
    );
  }
  return input;
}

/** A copy without array holes and undefined items: what a template rendered to nothing. */
function withoutHoles(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter(item => item !== undefined).map(withoutHoles);
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutHoles(item)]));
  }
  return value;
}

function inputField(instancePath: string, child?: string): string {
  const segments = instancePath.split('/').filter(Boolean).map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  let out = '';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || 'input';
}

function describeInputError(error: ErrorObject): string {
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return `${inputField(error.instancePath, params.missingProperty)} is required`;
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as any)?.properties ?? {});
      return `${inputField(error.instancePath)}: unknown field ${JSON.stringify(params.additionalProperty)}${
        known.length ? ` (it takes ${known.join(', ')})` : ''
      }`;
    }
    case 'type':
      return `${inputField(error.instancePath)} must be ${withArticle(String(params.type))}, got ${describeValue(error.data)}`;
    case 'enum':
      return `${inputField(error.instancePath)} must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}, got ${describeValue(error.data)}`;
    default:
      return `${inputField(error.instancePath)} ${error.message}`;
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}
