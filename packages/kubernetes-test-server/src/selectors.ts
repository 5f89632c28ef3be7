import { errors } from './status';

/**
 * One requirement of a label selector, in the set-based grammar the API
 * server accepts (`a=b`, `a==b`, `a!=b`, `a in (b,c)`, `a notin (b)`, `a`, `!a`).
 */
export type LabelRequirement =
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

/** A compiled selector: `matches(labels)`. */
export interface LabelSelector {
  requirements: LabelRequirement[];
  matches(labels: Record<string, string> | undefined): boolean;
}

// Qualified name: optional DNS-subdomain prefix, then a name of up to 63 chars.
const labelKey =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function checkKey(key: string, selector: string) {
  if (!labelKey.test(key)) {
    throw errors.badRequest(
      `unable to parse requirement: key: Invalid value: "${key}": a valid label key must consist of alphanumeric characters, '-', '_' or '.' (in labelSelector "${selector}")`,
    );
  }
}

function checkValue(value: string, selector: string) {
  if (!labelValue.test(value)) {
    throw errors.badRequest(
      `unable to parse requirement: values[0]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.' (in labelSelector "${selector}")`,
    );
  }
}

/** Split on commas that are not inside `( … )`. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function parseRequirement(part: string, selector: string): LabelRequirement {
  const set = part.match(/^(\S+?)\s+(in|notin)\s*\((.*)\)$/);
  if (set) {
    const [, key, op, list] = set;
    checkKey(key, selector);
    const values = list.split(',').map(v => v.trim());
    values.forEach(v => checkValue(v, selector));
    return { key, operator: op === 'in' ? 'In' : 'NotIn', values };
  }
  const equality = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/);
  if (equality) {
    const [, key, op, value] = equality;
    checkKey(key, selector);
    checkValue(value, selector);
    return { key, operator: op === '!=' ? 'NotIn' : 'In', values: [value] };
  }
  const absent = part.match(/^!\s*(\S+)$/);
  if (absent) {
    checkKey(absent[1], selector);
    return { key: absent[1], operator: 'DoesNotExist' };
  }
  if (part && !/[\s=!()]/.test(part)) {
    checkKey(part, selector);
    return { key: part, operator: 'Exists' };
  }
  throw errors.badRequest(
    `unable to parse requirement: "${part}" in labelSelector "${selector}": expected key, !key, key=value, key==value, key!=value, key in (v1,v2) or key notin (v1,v2)`,
  );
}

/** Parse a `labelSelector` query parameter; throws a 400 Status naming the bad part. */
export function parseLabelSelector(selector: string): LabelSelector {
  const requirements: LabelRequirement[] = [];
  const trimmed = selector.trim();
  if (trimmed) {
    for (const raw of splitTopLevel(trimmed)) {
      requirements.push(parseRequirement(raw.trim(), selector));
    }
  }
  return {
    requirements,
    matches(labels) {
      for (const r of requirements) {
        const has = labels !== undefined && Object.hasOwn(labels, r.key);
        switch (r.operator) {
          case 'Exists':
            if (!has) return false;
            break;
          case 'DoesNotExist':
            if (has) return false;
            break;
          case 'In':
            if (!has || !r.values.includes(labels![r.key])) return false;
            break;
          case 'NotIn':
            // As the API server: objects without the label match `!=` and `notin`.
            if (has && r.values.includes(labels![r.key])) return false;
            break;
          default:
        }
      }
      return true;
    },
  };
}

/** A compiled `fieldSelector`. */
export interface FieldSelector {
  requirements: Array<{ field: string; value: string; equal: boolean }>;
  matches(object: any): boolean;
}

function fieldValue(object: any, field: string): string {
  let current = object;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = current[part];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}

/**
 * Parse a `fieldSelector`. As the API server, only `metadata.name`,
 * `metadata.namespace` and the type's own selectable fields are allowed.
 */
export function parseFieldSelector(
  selector: string,
  selectableFields: string[] = [],
): FieldSelector {
  const requirements: FieldSelector['requirements'] = [];
  const trimmed = selector.trim();
  if (trimmed) {
    for (const raw of trimmed.split(',')) {
      const m = raw.trim().match(/^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/);
      if (!m) {
        throw errors.badRequest(
          `invalid selector: '${selector}'; can't understand '${raw.trim()}'`,
        );
      }
      const [, field, op, value] = m;
      if (
        field !== 'metadata.name' &&
        field !== 'metadata.namespace' &&
        !selectableFields.includes(field)
      ) {
        throw errors.badRequest(
          `field label not supported: ${field} (in fieldSelector "${selector}")`,
        );
      }
      requirements.push({ field, value: value.trim(), equal: op !== '!=' });
    }
  }
  return {
    requirements,
    matches(object) {
      return requirements.every(
        r => (fieldValue(object, r.field) === r.value) === r.equal,
      );
    },
  };
}
