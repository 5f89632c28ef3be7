import { jsonClone, jsonEqual } from './json';
import { KubeObject } from './ObjectStore';
import { apiVersionOf, ResourceType } from './resourceTypes';
import { ApiError } from './status';

/*
 * Field ownership for server-side apply, simplified ("managedFields-lite"):
 * - A field is a leaf of the object: a scalar, an atomic list, or an empty
 *   map. The lists the built-in types declare associative (`containers`,
 *   `env`, `volumes`, `ports`, `conditions`, … see `listKeys`) are merged
 *   item by item on their keys, as on the real server, so two managers can
 *   own different containers; every other list is atomic.
 * - Ownership is recorded per manager, operation (Apply/Update) and
 *   subresource in `metadata.managedFields`, in the real FieldsV1 encoding
 *   (`f:<field>`, `k:{<keys>}`, `.` for an item itself).
 * - Apply conflicts when another manager owns a field the configuration sets
 *   to a different value; `force` takes the field over. Fields a manager
 *   applied before and omits now are removed unless someone else owns them.
 * - Updates (PUT/PATCH/POST) take ownership of every field they change,
 *   without conflicts, as on the real server.
 * - No schemas: which lists are associative is decided by field name, not by
 *   the type's OpenAPI schema; no defaulting of list keys (e.g. `protocol`).
 */

/** A path in FieldsV1 form: `f:spec`, `k:{"name":"app"}`, `.`. */
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

/**
 * Associative lists of the built-in types (`x-kubernetes-list-map-keys`),
 * by field name; the first key set every item has wins (container ports
 * vs service ports).
 */
const listKeys: Record<string, string[][]> = {
  containers: [['name']],
  initContainers: [['name']],
  ephemeralContainers: [['name']],
  volumes: [['name']],
  env: [['name']],
  imagePullSecrets: [['name']],
  volumeMounts: [['mountPath']],
  conditions: [['type']],
  ownerReferences: [['uid']],
  ports: [['containerPort'], ['port']],
};

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key fields of a list's items, when the list is associative. */
function keysOf(
  field: string | undefined,
  list: unknown[],
): string[] | undefined {
  const candidates = field ? listKeys[field] : undefined;
  if (!candidates) return undefined;
  return candidates.find(keys =>
    list.every(
      item => isObject(item) && keys.every(k => item[k] !== undefined),
    ),
  );
}

function itemElement(item: Record<string, any>, keys: string[]) {
  const key: Record<string, unknown> = {};
  for (const k of keys) key[k] = item[k];
  return `k:${JSON.stringify(key)}`;
}

function leafPaths(
  value: unknown,
  prefix: Path,
  field: string | undefined,
  out: Path[],
) {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      leafPaths(child, [...prefix, `f:${key}`], key, out);
    }
    return;
  }
  // An empty associative list owns no items (and removes nobody else's).
  if (Array.isArray(value) && value.length === 0 && field && listKeys[field]) {
    return;
  }
  const keys =
    Array.isArray(value) && value.length > 0 ? keysOf(field, value) : undefined;
  if (keys) {
    for (const item of value as Array<Record<string, any>>) {
      const itemPath = [...prefix, itemElement(item, keys)];
      out.push([...itemPath, '.']);
      for (const [key, child] of Object.entries(item)) {
        leafPaths(child, [...itemPath, `f:${key}`], key, out);
      }
    }
    return;
  }
  out.push(prefix);
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
        leafPaths(metaValue, ['f:metadata', `f:${metaKey}`], metaKey, out);
      }
      continue;
    }
    leafPaths(value, [`f:${key}`], key, out);
  }
  return out;
}

function findItem(
  list: unknown,
  element: string,
): Record<string, any> | undefined {
  if (!Array.isArray(list)) return undefined;
  const key = JSON.parse(element.slice(2));
  return list.find(
    item =>
      isObject(item) &&
      Object.entries(key).every(([k, v]) => jsonEqual(item[k], v)),
  );
}

function getAt(object: any, path: Path): unknown {
  let current = object;
  for (const element of path) {
    if (element === '.') return current;
    if (element.startsWith('k:')) current = findItem(current, element);
    else if (isObject(current)) current = current[element.slice(2)];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function setAt(object: any, path: Path, value: unknown) {
  let current = object;
  for (let i = 0; i < path.length; i++) {
    const element = path[i];
    const last = i === path.length - 1;
    if (element === '.') return;
    if (element.startsWith('k:')) {
      let item = findItem(current, element);
      if (!item) {
        item = JSON.parse(element.slice(2));
        (current as unknown[]).push(item);
      }
      current = item;
      continue;
    }
    const field = element.slice(2);
    if (last) {
      current[field] = jsonClone(value);
      return;
    }
    const next = path[i + 1];
    if (next.startsWith('k:')) {
      if (!Array.isArray(current[field])) current[field] = [];
    } else if (next !== '.' && !isObject(current[field])) {
      current[field] = {};
    }
    current = current[field];
  }
}

function step(current: unknown, element: string): any {
  if (element.startsWith('k:')) return findItem(current, element);
  return isObject(current) ? current[element.slice(2)] : undefined;
}

/** Remove a field; `.` removes the list item itself. Key fields of an item stay while it does. */
function deleteAt(object: any, path: Path) {
  const containers: any[] = [];
  let current = object;
  for (const element of path.slice(0, -1)) {
    containers.push(current);
    current = step(current, element);
    if (current === undefined) return;
  }
  const last = path[path.length - 1];
  if (last === '.') {
    const list = containers[containers.length - 1];
    if (!Array.isArray(list)) return;
    list.splice(list.indexOf(current), 1);
    // An emptied list goes with its last item, as an emptied map does.
    const holder = containers[containers.length - 2];
    const listField = path[path.length - 3];
    if (list.length === 0 && isObject(holder) && listField?.startsWith('f:')) {
      delete holder[listField.slice(2)];
    }
    return;
  }
  const parentElement = path[path.length - 2];
  const field = last.slice(2);
  if (
    parentElement?.startsWith('k:') &&
    field in JSON.parse(parentElement.slice(2))
  )
    return;
  if (isObject(current)) delete current[field];
  // Drop maps and lists left empty, except the top-level sections.
  for (let i = path.length - 2; i >= 1; i--) {
    const element = path[i];
    if (element.startsWith('k:')) break;
    const parent = containers[i];
    const child = isObject(parent) ? parent[element.slice(2)] : undefined;
    const empty =
      (isObject(child) && Object.keys(child).length === 0) ||
      (Array.isArray(child) && child.length === 0);
    if (!empty) break;
    delete parent[element.slice(2)];
  }
}

function encode(paths: Set<string>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const key of paths) {
    let node = root;
    for (const element of JSON.parse(key) as Path) {
      node[element] ??= {};
      node = node[element];
    }
  }
  return root;
}

function decode(fields: unknown, prefix: Path, out: Set<string>) {
  if (!isObject(fields)) return;
  const children = Object.keys(fields).filter(
    k => k === '.' || /^[fkvi]:/.test(k),
  );
  if (children.length === 0) {
    if (prefix.length) out.add(JSON.stringify(prefix));
    return;
  }
  for (const child of children) decode(fields[child], [...prefix, child], out);
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

/** Whether one path is the other or contains it (serialized paths). */
function nested(a: string, b: string) {
  if (a === b) return true;
  const x = a.slice(0, -1);
  const y = b.slice(0, -1);
  return x.startsWith(`${y},`) || y.startsWith(`${x},`);
}

/** As `nested`, with an item's `.` standing for the whole item: owning it keeps the item. */
function sharesItem(a: string, b: string) {
  const strip = (p: string) => p.replace(/,"\."\]$/, ']');
  return nested(strip(a), strip(b));
}

function isItemPath(key: string) {
  return key.endsWith(',"."]');
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
    const was = getAt(old, path);
    const is = getAt(next, path);
    // An item "changes" only by appearing or going; its fields carry the rest.
    const differs = isItemPath(key)
      ? (was === undefined) !== (is === undefined)
      : !jsonEqual(was, is);
    if (differs) changed.add(key);
  }
  if (changed.size > 0) {
    for (const o of ownerships) {
      for (const owned of [...o.paths]) {
        if ([...changed].some(c => nested(c, owned))) o.paths.delete(owned);
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
    if (isItemPath(key)) continue; // Items are shared; their fields conflict.
    for (const other of ownerships) {
      if (other === own) continue;
      const owned = [...other.paths].filter(
        p => !isItemPath(p) && nested(p, key),
      );
      if (owned.length === 0) continue;
      if (current && jsonEqual(getAt(current, path), getAt(config, path))) {
        continue; // Same value: the field becomes shared.
      }
      if (force) owned.forEach(p => other.paths.delete(p));
      else conflicts.push({ owner: other, path });
    }
  }
  if (conflicts.length > 0) throw conflictError(type, base, conflicts);
  const released = [...own.paths].filter(
    key =>
      !appliedKeys.has(key) &&
      !ownerships.some(
        o => o !== own && [...o.paths].some(p => sharesItem(p, key)),
      ),
  );
  // Fields first, then the items they were in.
  for (const key of released.filter(k => !isItemPath(k)))
    deleteAt(base, JSON.parse(key));
  for (const key of released.filter(isItemPath))
    deleteAt(base, JSON.parse(key));
  for (const path of applied) {
    if (path[path.length - 1] === '.') setAt(base, path, undefined);
    else setAt(base, path, getAt(config, path));
  }
  own.paths = appliedKeys;
  base.metadata.managedFields = serialize(ownerships);
  return base;
}

/** `.spec.template.spec.containers[name="app"].image`, as the API server prints field paths. */
function fieldPath(path: Path) {
  return path
    .filter(e => e !== '.')
    .map(e => {
      if (!e.startsWith('k:')) return `.${e.slice(2)}`;
      const key = JSON.parse(e.slice(2));
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

function conflictError(
  type: ResourceType,
  object: KubeObject,
  conflicts: Array<{ owner: Ownership; path: Path }>,
) {
  const byOwner = new Map<string, string[]>();
  for (const { owner, path } of conflicts) {
    const who = `"${owner.manager}" using ${owner.apiVersion}`;
    byOwner.set(who, [...(byOwner.get(who) ?? []), fieldPath(path)]);
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
        field: fieldPath(path),
      })),
    },
  );
}
