import { PlatformSchemaField } from '@cellplane/backstage-plugin-common';

/** Fields listed per schema; a type's schema is written by people, but pushed by anyone. */
const MAX_FIELDS = 200;
/** Nesting followed; deeper objects are listed as `object`. */
const MAX_DEPTH = 6;
/** Longest default or enum value shown, so one huge default cannot bloat the page. */
const MAX_VALUE_LENGTH = 200;

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => !!value && typeof value === 'object' && !Array.isArray(value);

const shownValue = (value: unknown): string => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_VALUE_LENGTH ? `${json.slice(0, MAX_VALUE_LENGTH - 3)}...` : json;
};

/** `#/$defs/Name` (or `#/definitions/Name`) of the root schema; anything else is left unresolved. */
function resolveRef(root: Schema, schema: Schema, seen: Set<string>): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || seen.has(ref)) return schema;
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const target = match && isSchema(root[match[1]]) ? (root[match[1]] as Schema)[match[2]] : undefined;
  if (!isSchema(target)) return schema;
  seen.add(ref);
  const { $ref: _ref, ...rest } = schema;
  return { ...resolveRef(root, target, seen), ...rest };
}

function typeOf(schema: Schema, root: Schema, seen: Set<string>): string {
  if (typeof schema.type === 'string') {
    if (schema.type === 'array' && isSchema(schema.items)) return `array of ${typeOf(resolveRef(root, schema.items, new Set(seen)), root, seen)}`;
    if (schema.type === 'object' && isSchema(schema.additionalProperties)) {
      return `map of ${typeOf(resolveRef(root, schema.additionalProperties, new Set(seen)), root, seen)}`;
    }
    return schema.type;
  }
  if (isSchema(schema.properties)) return 'object';
  if (schema['x-kubernetes-int-or-string']) return 'integer or string';
  return 'any';
}

/**
 * An openAPIV3Schema (a ComponentType's or Trait's `parameters` or `environmentConfigs`) as a
 * flat list of fields a person reads: path, type, required, default, description, allowed
 * values. Objects with properties are listed, then their fields; `$ref`s into `$defs` are
 * followed once per path (a recursive definition stops there). Never throws, whatever the schema.
 */
export function schemaFields(schema: unknown): PlatformSchemaField[] {
  if (!isSchema(schema)) return [];
  const fields: PlatformSchemaField[] = [];
  const visit = (node: Schema, prefix: string, depth: number, seen: Set<string>) => {
    const properties = isSchema(node.properties) ? node.properties : {};
    const required = new Set(Array.isArray(node.required) ? node.required.filter(r => typeof r === 'string') : []);
    for (const [name, raw] of Object.entries(properties)) {
      if (fields.length >= MAX_FIELDS || !isSchema(raw)) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      const childSeen = new Set(seen);
      const child = resolveRef(schema, raw, childSeen);
      let description = typeof child.title === 'string' ? child.title : undefined;
      if (typeof child.description === 'string') description = child.description.trim();
      fields.push({
        path,
        type: typeOf(child, schema, childSeen),
        required: required.has(name),
        ...(child.default !== undefined ? { default: shownValue(child.default) } : {}),
        ...(description ? { description } : {}),
        ...(Array.isArray(child.enum) ? { enum: child.enum.map(shownValue) } : {}),
      });
      if (depth < MAX_DEPTH) {
        visit(child, path, depth + 1, childSeen);
        if (isSchema(child.items)) visit(resolveRef(schema, child.items, childSeen), `${path}[]`, depth + 1, childSeen);
      }
    }
  };
  visit(schema, '', 0, new Set());
  return fields;
}
