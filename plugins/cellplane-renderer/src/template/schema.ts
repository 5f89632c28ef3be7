import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/**
 * `parameters` / `environmentConfigs` schema handling: `$ref`s into `$defs` are inlined first (as
 * OpenChoreo does), so that an object's own `default: {}` applies when the object is absent;
 * then unknown fields are pruned (structural-schema pruning), defaults applied and the values
 * validated by ajv. Validators are compiled once per schema object.
 */

type Schema = Record<string, unknown>;

const ajv = new Ajv({ useDefaults: true, strict: false, allErrors: true, validateFormats: false });

function resolveRefs(schema: unknown, root: Schema, depth = 0): unknown {
  if (depth > 50) throw new Error('schema $ref nesting is too deep (a cycle?)');
  if (Array.isArray(schema)) return schema.map(item => resolveRefs(item, root, depth));
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as Schema;
  let out: Schema = {};
  if (typeof node.$ref === 'string') {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(node.$ref);
    const defs = match ? (root[match[1]] as Schema | undefined) : undefined;
    const target = match && defs ? defs[match[2].replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (!target) throw new Error(`schema $ref '${node.$ref}' does not resolve (only #/$defs/<name> is supported)`);
    out = { ...(resolveRefs(target, root, depth + 1) as Schema) };
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' || key === '$defs' || key === 'definitions' || key.startsWith('x-')) continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([name, prop]) => [name, resolveRefs(prop, root, depth)]),
      );
    } else if (key === 'default' || key === 'enum' || key === 'example' || key === 'const') {
      out[key] = value;
    } else {
      out[key] = resolveRefs(value, root, depth);
    }
  }
  return out;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out;
}

function prune(value: unknown, schema: Schema | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!schema) return copy(value);
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return value.map(item => prune(item, items));
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return copy(value);
  const properties = schema.properties as Record<string, Schema> | undefined;
  const additional = schema.additionalProperties;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (properties && Object.hasOwn(properties, key)) out[key] = prune(obj[key], properties[key]);
    else if (additional && typeof additional === 'object') out[key] = prune(obj[key], additional as Schema);
    else if (additional === true || !properties) {
      // A free-form map: `type: object` without properties (as in many CRDs).
      out[key] = copy(obj[key]);
    }
    // Otherwise: an unknown field, pruned.
  }
  return out;
}

/** A compiled schema section. */
export interface CompiledSchema {
  /** Prunes unknown fields, applies defaults and validates; returns new values or errors. */
  apply(values: unknown): { values: Record<string, unknown>; errors: string[] };
}

const compiledSchemas = new WeakMap<object, CompiledSchema>();
const compiledByText = new Map<string, CompiledSchema>();

const NO_SCHEMA: CompiledSchema = {
  // OpenChoreo: without a schema section the values are replaced by {}.
  apply: () => ({ values: {}, errors: [] }),
};

function formatError(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '';
  if (error.keyword === 'required') {
    const field = (error.params as { missingProperty: string }).missingProperty;
    return `${where ? `${where}.` : ''}${field}: is required`;
  }
  if (error.keyword === 'enum') {
    return `${where || '(root)'}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues
      .map(v => JSON.stringify(v))
      .join(', ')}`;
  }
  return `${where || '(root)'}: ${error.message}`;
}

/**
 * Compiles `section.openAPIV3Schema` (cached by the section object's identity). A schema that
 * cannot be compiled throws, naming the problem.
 */
export function compileSchemaSection(section: { openAPIV3Schema?: Record<string, unknown> } | undefined): CompiledSchema {
  const schema = section?.openAPIV3Schema;
  if (!schema) return NO_SCHEMA;
  let hit = compiledSchemas.get(schema);
  if (!hit) {
    // Each model (revision) has its own schema objects; the same text compiles once per process
    // (ajv keeps what it compiles: compiling per model would also grow its cache).
    const text = JSON.stringify(schema);
    hit = compiledByText.get(text);
    if (hit) {
      compiledSchemas.set(schema, hit);
      return hit;
    }
    const resolved = resolveRefs(schema, schema) as Schema;
    if (resolved.type === undefined) resolved.type = 'object';
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(resolved);
    } catch (error) {
      throw new Error(`invalid openAPIV3Schema: ${error instanceof Error ? error.message : String(error)}`);
    }
    hit = {
      apply(raw: unknown) {
        const input = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
        // prune() copies everything it keeps, so ajv's defaulting never touches the model.
        const values = prune(input, resolved) as Record<string, unknown>;
        const valid = validate(values);
        return { values, errors: valid ? [] : (validate.errors ?? []).map(formatError) };
      },
    };
    compiledSchemas.set(schema, hit);
    if (compiledByText.size >= 1000) compiledByText.clear();
    compiledByText.set(text, hit);
  }
  return hit;
}
