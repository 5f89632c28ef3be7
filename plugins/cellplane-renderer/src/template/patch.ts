/**
 * OpenChoreo's trait patch engine (`internal/patch`): RFC 6902 `add`/`replace`/`remove` (plus
 * `mergeShallow`) on an extended JSON pointer with array filters `[?(@.a.b=='v')]`, `/-`
 * appends and `[n]` indexes. A filter that matches nothing is an error (newest OpenChoreo).
 */

export interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

type Segment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'append' } | { kind: 'filter'; field: string[]; value: string };

const FILTER = /^\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*['"](.*)['"]\)$/;

/** Splits a path into segments; `containers[?(@.name=='app')]` and `containers/[?(...)]` both work. */
export function parsePatchPath(path: string): Segment[] {
  const segments: Segment[] = [];
  const text = path.startsWith('/') ? path.slice(1) : path;
  if (text === '') return segments;
  // Split on '/' outside brackets (filters may contain '/').
  const raw: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '/' && depth === 0) {
      raw.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  raw.push(current);
  for (const part of raw) {
    // A part is `name`, `name[...]...`, or `[...]...`.
    let rest = part;
    const bracket = rest.indexOf('[');
    const head = bracket < 0 ? rest : rest.slice(0, bracket);
    rest = bracket < 0 ? '' : rest.slice(bracket);
    if (head !== '' || bracket < 0) {
      const key = head.replace(/~1/g, '/').replace(/~0/g, '~');
      if (key === '-') segments.push({ kind: 'append' });
      else if (/^\d+$/.test(key)) segments.push({ kind: 'index', index: Number(key) });
      else segments.push({ kind: 'key', key });
    }
    while (rest.startsWith('[')) {
      let end = 1;
      let q: string | undefined;
      for (; end < rest.length; end++) {
        const c = rest[end];
        if (q) {
          if (c === q) q = undefined;
        } else if (c === "'" || c === '"') q = c;
        else if (c === ']') break;
      }
      const inner = rest.slice(1, end);
      rest = rest.slice(end + 1);
      if (inner === '-') segments.push({ kind: 'append' });
      else if (/^\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else {
        const match = FILTER.exec(inner.trim());
        if (!match) throw new Error(`unsupported filter expression '[${inner}]' (only [?(@.field=='value')] is supported)`);
        segments.push({ kind: 'filter', field: match[1].split('.'), value: match[2] });
      }
    }
    if (rest !== '') throw new Error(`invalid path segment '${part}'`);
  }
  return segments;
}

function fieldText(item: unknown, field: string[]): string | undefined {
  let value: unknown = item;
  for (const key of field) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined) return undefined;
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Expands filters into concrete pointers (one per matching element). */
function expand(document: unknown, segments: Segment[], path: string): Segment[][] {
  let results: { node: unknown; segments: Segment[] }[] = [{ node: document, segments: [] }];
  for (const segment of segments) {
    const next: typeof results = [];
    for (const { node, segments: prefix } of results) {
      if (segment.kind === 'filter') {
        if (!Array.isArray(node)) continue;
        node.forEach((item, index) => {
          if (fieldText(item, segment.field) === segment.value) {
            next.push({ node: item, segments: [...prefix, { kind: 'index', index }] });
          }
        });
      } else {
        let child: unknown;
        if (segment.kind === 'key' && node && typeof node === 'object' && !Array.isArray(node)) {
          child = (node as Record<string, unknown>)[segment.key];
        } else if (segment.kind === 'index' && Array.isArray(node)) child = node[segment.index];
        next.push({ node: child, segments: [...prefix, segment] });
      }
    }
    if (segment.kind === 'filter' && next.length === 0) {
      throw new Error(`path "${path}" contains a filter but matched 0 elements`);
    }
    results = next;
  }
  return results.map(r => r.segments);
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

function applyOne(document: Record<string, unknown>, op: string, segments: Segment[], value: unknown, path: string) {
  if (segments.length === 0) throw new Error(`path "${path}" must not be the whole object`);
  let parent: unknown = document;
  // Walk to the parent; `add` creates missing containers.
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i];
    const nextSegment = segments[i + 1];
    let child: unknown;
    if (segment.kind === 'key') {
      if (!parent || typeof parent !== 'object' || Array.isArray(parent)) throw new Error(`path "${path}": '${segment.key}' is not inside an object`);
      child = (parent as Record<string, unknown>)[segment.key];
      if ((child === undefined || child === null) && op === 'add') {
        if (nextSegment.kind === 'index') throw new Error(`path "${path}": array index ${nextSegment.index} out of bounds`);
        child = nextSegment.kind === 'append' ? [] : {};
        (parent as Record<string, unknown>)[segment.key] = child;
      }
    } else if (segment.kind === 'index') {
      if (!Array.isArray(parent) || segment.index >= parent.length) throw new Error(`path "${path}": array index ${segment.index} out of bounds`);
      child = parent[segment.index];
    } else {
      throw new Error(`path "${path}": '-' may only be the last segment`);
    }
    if (child === undefined || child === null) {
      if (op === 'remove') return; // nothing to remove
      throw new Error(`path "${path}" does not exist`);
    }
    parent = child;
  }
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) {
    if (last.kind === 'append') {
      if (op !== 'add') throw new Error(`path "${path}": '-' can only be used with add`);
      parent.push(clone(value));
      return;
    }
    if (last.kind !== 'index') throw new Error(`path "${path}": expected an array index`);
    if (op === 'add') {
      if (last.index > parent.length) throw new Error(`path "${path}": array index ${last.index} out of bounds`);
      parent.splice(last.index, 0, clone(value));
    } else if (last.index >= parent.length) {
      if (op === 'remove') return;
      throw new Error(`path "${path}": array index ${last.index} out of bounds`);
    } else if (op === 'replace') parent[last.index] = clone(value);
    else if (op === 'remove') parent.splice(last.index, 1);
    else if (op === 'mergeshallow') parent[last.index] = mergeShallow(parent[last.index], value, path);
    return;
  }
  if (!parent || typeof parent !== 'object' || last.kind !== 'key') {
    throw new Error(`path "${path}" does not point into an object`);
  }
  const object = parent as Record<string, unknown>;
  switch (op) {
    case 'add':
      object[last.key] = clone(value);
      return;
    case 'replace':
      if (!Object.hasOwn(object, last.key)) throw new Error(`path "${path}" does not exist (replace needs an existing value)`);
      object[last.key] = clone(value);
      return;
    case 'remove':
      delete object[last.key];
      return;
    case 'mergeshallow':
      object[last.key] = mergeShallow(object[last.key], value, path);
      return;
    default:
  }
}

function mergeShallow(target: unknown, value: unknown, path: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`path "${path}": mergeShallow value must be an object`);
  if (!target || typeof target !== 'object' || Array.isArray(target)) return clone(value);
  return { ...(target as object), ...clone(value as object) };
}

/** Applies operations to `document` in place. */
export function applyPatch(document: Record<string, unknown>, operations: PatchOperation[]) {
  for (const operation of operations) {
    const op = operation.op.toLowerCase();
    if (!['add', 'replace', 'remove', 'mergeshallow'].includes(op)) {
      throw new Error(`unsupported patch operation "${operation.op}" (supported: add, replace, remove, mergeShallow)`);
    }
    const segments = parsePatchPath(operation.path);
    // Resolve filters first, then apply each pointer; with removes, go from the last index back.
    const pointers = expand(document, segments, operation.path);
    if (op === 'remove') pointers.reverse();
    for (const pointer of pointers) applyOne(document, op, pointer, operation.value, operation.path);
  }
}
