import { jsonClone, jsonEqual } from './json';
import { KubeObject } from './ObjectStore';
import { apiVersionOf, ResourceType } from './resourceTypes';
import { ApiError } from './status';

/*
 * Field ownership for server-side apply, simplified ("managedFields-lite"):
 * - A field is a leaf of the object: a scalar, a list, or an empty map. Lists
 *   are atomic (the real server merges associative lists such as
 *   `containers` by key; here applying a list owns the whole list).
 * - Ownership is recorded per manager, operation (Apply/Update) and
 *   subresource in `metadata.managedFields`, in the real FieldsV1 encoding.
 * - Apply conflicts when another manager owns a field the configuration sets
 *   to a different value; `force` takes the field over. Fields a manager
 *   applied before and omits now are removed unless someone else owns them.
 * - Updates (PUT/PATCH/POST) take ownership of every field they change,
 *   without conflicts, as on the real server.
 */

type Path = string[];

interface Ownership {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource?: string;
  apiVersion: string;
  time: string;
  paths: Set<string>;
}

// Server-owned metadata is never anyone's field.
const untrackedMetadata = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function leafPaths(value: unknown, prefix: Path, out: Path[]) {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      leafPaths(child, [...prefix, key], out);
    }
  } else {
    out.push(prefix);
  }
}

/** The fields of an object within the scope of a subresource (status) or the main resource. */
function fieldsOf(
  object: any,
  statusScope: boolean,
  type: ResourceType,
): Path[] {
  const out: Path[] = [];
  if (!isObject(object)) return out;
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (statusScope !== (key === 'status')) {
      // Without a status subresource, status is an ordinary field of the main resource.
      if (!(key === 'status' && !statusScope && !type.statusSubresource))
        continue;
    }
    if (key === 'metadata' && isObject(value)) {
      for (const [metaKey, metaValue] of Object.entries(value)) {
        if (untrackedMetadata.has(metaKey)) continue;
        leafPaths(metaValue, ['metadata', metaKey], out);
      }
      continue;
    }
    leafPaths(value, [key], out);
  }
  return out;
}

function getAt(object: any, path: Path): unknown {
  let current = object;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function setAt(object: any, path: Path, value: unknown) {
  let current = object;
  for (const key of path.slice(0, -1)) {
    if (!isObject(current[key])) current[key] = {};
    current = current[key];
  }
  current[path[path.length - 1]] = jsonClone(value);
}

function deleteAt(object: any, path: Path) {
  const parents: any[] = [];
  let current = object;
  for (const key of path.slice(0, -1)) {
    if (!isObject(current[key])) return;
    parents.push(current);
    current = current[key];
  }
  delete current[path[path.length - 1]];
  // Drop maps left empty, except the top-level sections.
  for (let i = path.length - 2; i >= 1; i--) {
    const parent = parents[i];
    if (
      isObject(parent[path[i]]) &&
      Object.keys(parent[path[i]]).length === 0
    ) {
      delete parent[path[i]];
    } else break;
  }
}

function encode(paths: Set<string>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const key of paths) {
    let node = root;
    for (const part of JSON.parse(key) as Path) {
      node[`f:${part}`] ??= {};
      node = node[`f:${part}`];
    }
  }
  return root;
}

function decode(fields: unknown, prefix: Path, out: Set<string>) {
  if (!isObject(fields)) return;
  const children = Object.keys(fields).filter(k => k.startsWith('f:'));
  if (children.length === 0) {
    if (prefix.length) out.add(JSON.stringify(prefix));
    return;
  }
  for (const child of children) {
    decode(fields[child], [...prefix, child.slice(2)], out);
  }
}

function parse(object: KubeObject | undefined): Ownership[] {
  const entries = object?.metadata.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(isObject).map(entry => {
    const paths = new Set<string>();
    decode(entry.fieldsV1, [], paths);
    return {
      manager: String(entry.manager ?? ''),
      operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
      subresource: entry.subresource,
      apiVersion: String(entry.apiVersion ?? ''),
      time: String(entry.time ?? ''),
      paths,
    };
  });
}

function serialize(ownerships: Ownership[]) {
  return ownerships
    .filter(o => o.paths.size > 0)
    .map(o => ({
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      time: o.time,
      fieldsType: 'FieldsV1',
      fieldsV1: encode(o.paths),
      ...(o.subresource ? { subresource: o.subresource } : {}),
    }));
}

/** Whether two field paths overlap (one is the other or contains it). */
function overlaps(a: string, b: string) {
  if (a === b) return true;
  const x = a.slice(0, -1);
  const y = b.slice(0, -1);
  return x.startsWith(`${y},`) || y.startsWith(`${x},`);
}

function ownershipFor(
  ownerships: Ownership[],
  manager: string,
  operation: Ownership['operation'],
  subresource: string | undefined,
  apiVersion: string,
  time: string,
): Ownership {
  let own = ownerships.find(
    o =>
      o.manager === manager &&
      o.operation === operation &&
      o.subresource === subresource,
  );
  if (!own) {
    own = {
      manager,
      operation,
      subresource,
      apiVersion,
      time,
      paths: new Set(),
    };
    ownerships.push(own);
  }
  own.time = time;
  own.apiVersion = apiVersion;
  return own;
}

/**
 * Record that `manager` changed `next` from `old` with a non-apply write: it
 * takes every changed field from whoever owned it.
 */
export function recordUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string | undefined,
  operation: 'Update',
  subresource: string | undefined,
  time: string,
  type?: ResourceType,
) {
  const ownerships = parse(old);
  const scopeType = type ?? ({ statusSubresource: true } as ResourceType);
  const statusScope = subresource === 'status';
  const before = fieldsOf(old, statusScope, scopeType).map(p =>
    JSON.stringify(p),
  );
  const after = fieldsOf(next, statusScope, scopeType).map(p =>
    JSON.stringify(p),
  );
  const changed = new Set<string>();
  for (const key of new Set([...before, ...after])) {
    const path = JSON.parse(key);
    if (!jsonEqual(getAt(old, path), getAt(next, path))) changed.add(key);
  }
  if (changed.size > 0) {
    for (const o of ownerships) {
      for (const owned of [...o.paths]) {
        if ([...changed].some(c => overlaps(c, owned))) o.paths.delete(owned);
      }
    }
    const own = ownershipFor(
      ownerships,
      manager || 'unknown',
      operation,
      subresource,
      next.apiVersion,
      time,
    );
    const present = new Set(after);
    for (const key of changed) if (present.has(key)) own.paths.add(key);
  }
  next.metadata.managedFields = serialize(ownerships);
}

/**
 * Apply `config` for `manager` onto `base` (a copy of the current object, or
 * the object about to be created) and return it with managedFields set.
 * Throws a 409 Conflict Status naming each conflicting field unless `force`.
 */
export function applyConfiguration(
  type: ResourceType,
  current: KubeObject | undefined,
  base: KubeObject,
  config: any,
  manager: string,
  force: boolean,
  subresource: string | undefined,
  time: string,
): KubeObject {
  const ownerships = parse(current);
  const statusScope = subresource === 'status';
  const applied = fieldsOf(config, statusScope, type);
  const appliedKeys = new Set(applied.map(p => JSON.stringify(p)));
  const own = ownershipFor(
    ownerships,
    manager,
    'Apply',
    subresource,
    apiVersionOf(type),
    time,
  );
  const conflicts: Array<{ owner: Ownership; path: Path }> = [];
  for (const path of applied) {
    const key = JSON.stringify(path);
    for (const other of ownerships) {
      if (other === own) continue;
      const owned = [...other.paths].filter(p => overlaps(p, key));
      if (owned.length === 0) continue;
      if (current && jsonEqual(getAt(current, path), getAt(config, path))) {
        continue; // Same value: the field becomes shared.
      }
      if (force) owned.forEach(p => other.paths.delete(p));
      else conflicts.push({ owner: other, path });
    }
  }
  if (conflicts.length > 0) throw conflictError(type, base, conflicts);
  for (const key of own.paths) {
    if (appliedKeys.has(key)) continue;
    const ownedByOthers = ownerships.some(
      o => o !== own && [...o.paths].some(p => overlaps(p, key)),
    );
    if (!ownedByOthers) deleteAt(base, JSON.parse(key));
  }
  for (const path of applied) setAt(base, path, getAt(config, path));
  own.paths = appliedKeys;
  base.metadata.managedFields = serialize(ownerships);
  return base;
}

function conflictError(
  type: ResourceType,
  object: KubeObject,
  conflicts: Array<{ owner: Ownership; path: Path }>,
) {
  const field = (path: Path) => `.${path.join('.')}`;
  const byOwner = new Map<string, string[]>();
  for (const { owner, path } of conflicts) {
    const who = `"${owner.manager}"${
      owner.operation === 'Apply' ? '' : ''
    } using ${owner.apiVersion}`;
    byOwner.set(who, [...(byOwner.get(who) ?? []), field(path)]);
  }
  const n = conflicts.length;
  const parts = [...byOwner].map(([who, fields]) =>
    fields.length === 1
      ? `conflict with ${who}: ${fields[0]}`
      : `conflicts with ${who}:\n${fields.map(f => `- ${f}`).join('\n')}`,
  );
  return new ApiError(
    409,
    'Conflict',
    `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`,
    {
      name: object.metadata.name,
      group: type.group || undefined,
      kind: type.plural,
      causes: conflicts.map(({ owner, path }) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${owner.manager}" using ${owner.apiVersion}`,
        field: field(path),
      })),
    },
  );
}
