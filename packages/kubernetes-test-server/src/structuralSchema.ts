import { jsonClone, jsonEqual } from './json';

/** The part of an OpenAPI v3 structural schema (a CRD version's `schema.openAPIV3Schema`) the server applies. */
export interface StructuralSchema {
  type?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** A field the schema refuses, as the API server lists it in a 422's `details.causes`. */
export interface SchemaCause {
  field: string;
  message: string;
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported';
}

// The API server checks these itself (ObjectMeta); a CRD's schema never prunes or validates them.
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * What the API server does to a custom resource on every write, in its order: prune the fields
 * the schema does not declare (unless `x-kubernetes-preserve-unknown-fields`), apply `default`s,
 * then validate `type`, `required`, `enum`, lengths, `pattern`, bounds and item counts. Mutates
 * `object`; returns the causes of a 422 Invalid (none: the write is admitted).
 *
 * Not applied: `x-kubernetes-validations` (CEL rules), `format`, and the ratcheting of
 * unchanged invalid values. An object schema without `properties` keeps its fields (a real
 * server prunes them unless preserve-unknown-fields is set): lenient for test fixtures.
 */
export function applyStructuralSchema(schema: unknown, object: Record<string, any>): SchemaCause[] {
  if (!isObject(schema)) return [];
  const causes: SchemaCause[] = [];
  visit(schema as StructuralSchema, object, '', causes, true);
  return causes;
}

function visit(schema: StructuralSchema, value: unknown, path: string, causes: SchemaCause[], root = false) {
  const invalid = (message: string) => causes.push({ field: path, message, reason: 'FieldValueInvalid' });
  if (value === null) {
    if (!schema.nullable && schema.type) invalid(`Invalid value: "null": ${path} in body must be of type ${schema.type}: "null"`);
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) {
      invalid(`Invalid value: "${typeName(value)}": ${path} in body must be of type integer or string: "${typeName(value)}"`);
    }
    return;
  }
  if (schema.type && !hasType(value, schema.type)) {
    invalid(`Invalid value: "${typeName(value)}": ${path} in body must be of type ${schema.type}: "${typeName(value)}"`);
    return;
  }
  if (schema.enum && !schema.enum.some(allowed => jsonEqual(allowed, value))) {
    causes.push({
      field: path,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map(e => JSON.stringify(e)).join(', ')}`,
      reason: 'FieldValueNotSupported',
    });
  }
  if (typeof value === 'string') checkString(schema, value, path, invalid);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      invalid(`Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      invalid(`Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}`);
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      invalid(`Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      causes.push({ field: path, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`, reason: 'FieldValueInvalid' });
    }
    if (schema.items) value.forEach((item, i) => visit(schema.items!, item, `${path}[${i}]`, causes));
  }
  if (isObject(value)) visitObject(schema, value, path, causes, root);
}

function visitObject(schema: StructuralSchema, value: Record<string, any>, path: string, causes: SchemaCause[], root: boolean) {
  const { properties, additionalProperties } = schema;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    if (root && ROOT_FIELDS.has(key)) continue;
    const field = path ? `${path}.${key}` : key;
    const declared = properties?.[key];
    if (declared) visit(declared, value[key], field, causes);
    else if (isObject(additionalProperties)) visit(additionalProperties as StructuralSchema, value[key], field, causes);
    else if (properties && !preserve && additionalProperties !== true) delete value[key];
  }
  for (const [key, declared] of Object.entries(properties ?? {})) {
    if (value[key] === undefined && declared.default !== undefined) value[key] = jsonClone(declared.default);
  }
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) causes.push({ field: path ? `${path}.${key}` : key, message: 'Required value', reason: 'FieldValueRequired' });
  }
}

function checkString(schema: StructuralSchema, value: string, path: string, invalid: (message: string) => void) {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    invalid(`Invalid value: ${JSON.stringify(value)}: ${path} in body should be at least ${schema.minLength} chars long`);
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    invalid(`Too long: may not be longer than ${schema.maxLength}`);
  }
  if (schema.pattern !== undefined) {
    let matches = true;
    try {
      matches = new RegExp(schema.pattern, 'u').test(value);
    } catch {
      // A pattern JavaScript cannot compile (RE2 syntax it lacks) is not held against the object.
    }
    if (!matches) invalid(`Invalid value: ${JSON.stringify(value)}: ${path} in body should match '${schema.pattern}'`);
  }
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return true;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
