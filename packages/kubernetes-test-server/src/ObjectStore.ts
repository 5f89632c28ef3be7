import { ResourceType, resourceTypeKey } from './resourceTypes';
import { errors } from './status';

/** Any Kubernetes object as JSON. @public */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: unknown[];
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * An object as stored: never mutated after it is written, and serialized
 * once, so lists and watches concatenate strings instead of re-encoding.
 */
export interface StoredObject {
  readonly object: KubeObject;
  readonly json: string;
  readonly resourceVersion: number;
}

/** @public */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resourceVersion: number;
  object: StoredObject;
  /** The state before the change (for MODIFIED), so selectors can tell "stopped matching". */
  previous?: StoredObject;
}

type Listener = (event: StoreEvent) => void;

/** Storage of one resource (all versions of `plural.group` share it, as in etcd). */
class ResourceStorage {
  readonly byNamespace = new Map<string, Map<string, StoredObject>>();
  /** Retained events are `history[historyStart..]`; the dead prefix is sliced off in batches. */
  history: StoreEvent[] = [];
  historyStart = 0;
  /** Every event with a resourceVersion above this is in `history`. */
  floor: number;
  readonly listeners = new Set<Listener>();
  size = 0;
  /** `label=value` → objects carrying it, by `namespace/name`: equality selectors skip the scan. */
  readonly labelIndex = new Map<string, Map<string, StoredObject>>();
  // Key order caches for lists; only creations and deletions invalidate them.
  private sortedNamespaces?: string[];
  private readonly sortedNames = new Map<string, string[]>();

  constructor(floor: number) {
    this.floor = floor;
  }

  index(stored: StoredObject, add: boolean) {
    const { namespace = '', name, labels } = stored.object.metadata;
    const key = `${namespace}/${name}`;
    for (const [label, value] of Object.entries(labels ?? {})) {
      const entry = `${label}=${value}`;
      let objects = this.labelIndex.get(entry);
      if (add) {
        if (!objects) {
          objects = new Map();
          this.labelIndex.set(entry, objects);
        }
        objects.set(key, stored);
      } else if (objects) {
        objects.delete(key);
        if (objects.size === 0) this.labelIndex.delete(entry);
      }
    }
  }

  keysChanged(namespace: string) {
    this.sortedNamespaces = undefined;
    this.sortedNames.delete(namespace);
  }

  namespaces(): string[] {
    this.sortedNamespaces ??= [...this.byNamespace.keys()].sort();
    return this.sortedNamespaces;
  }

  /** Objects of one namespace in name order. */
  inNamespace(namespace: string): StoredObject[] {
    const objects = this.byNamespace.get(namespace);
    if (!objects) return [];
    let names = this.sortedNames.get(namespace);
    if (!names) {
      names = [...objects.keys()].sort();
      this.sortedNames.set(namespace, names);
    }
    return names.map(name => objects.get(name)!);
  }
}

/**
 * The server's etcd: objects per resource and namespace, one global
 * resourceVersion counter, a bounded event history per resource for watches,
 * and compaction.
 */
export class ObjectStore {
  private revision = 1;
  private readonly storages = new Map<string, ResourceStorage>();

  constructor(private readonly historyLimit: number) {}

  currentRevision(): number {
    return this.revision;
  }

  private storage(type: { group: string; plural: string }): ResourceStorage {
    const key = resourceTypeKey(type);
    let storage = this.storages.get(key);
    if (!storage) {
      storage = new ResourceStorage(0);
      this.storages.set(key, storage);
    }
    return storage;
  }

  /** Forget every object of a resource (its CRD was deleted), telling watchers. */
  drop(type: ResourceType) {
    const storage = this.storages.get(resourceTypeKey(type));
    if (!storage) return;
    for (const [namespace, objects] of [...storage.byNamespace]) {
      for (const name of [...objects.keys()]) {
        this.remove(type, namespace, name);
      }
    }
  }

  get(
    type: ResourceType,
    namespace: string,
    name: string,
  ): StoredObject | undefined {
    return this.storage(type).byNamespace.get(namespace)?.get(name);
  }

  /** Objects of a type, in one namespace or all, in etcd key order (namespace, then name). */
  list(type: ResourceType, namespace?: string): StoredObject[] {
    const storage = this.storage(type);
    if (namespace !== undefined) return storage.inNamespace(namespace);
    return storage.namespaces().flatMap(ns => storage.inNamespace(ns));
  }

  /**
   * Objects carrying every `label=value` given (from a selector's equality
   * requirements), in key order, through the label index; the caller still
   * applies the whole selector.
   */
  withLabels(
    type: ResourceType,
    namespace: string | undefined,
    labels: Array<[string, string]>,
  ): StoredObject[] {
    if (labels.length === 0) return this.list(type, namespace);
    const storage = this.storage(type);
    let smallest: Map<string, StoredObject> | undefined;
    for (const [label, value] of labels) {
      const objects = storage.labelIndex.get(`${label}=${value}`);
      if (!objects) return [];
      if (!smallest || objects.size < smallest.size) smallest = objects;
    }
    const result: StoredObject[] = [];
    for (const [key, stored] of smallest!) {
      if (namespace === undefined || key.startsWith(`${namespace}/`)) {
        result.push(stored);
      }
    }
    return result.sort(compareKeys);
  }

  count(type: ResourceType, namespace?: string): number {
    const storage = this.storage(type);
    if (namespace === undefined) return storage.size;
    return storage.byNamespace.get(namespace)?.size ?? 0;
  }

  /** Store a new state of an object at the next resourceVersion, and tell watchers. */
  write(type: ResourceType, object: KubeObject): StoredObject {
    const storage = this.storage(type);
    const namespace = object.metadata.namespace ?? '';
    const name = object.metadata.name!;
    const resourceVersion = ++this.revision;
    const stored = freeze({
      ...object,
      metadata: {
        ...object.metadata,
        resourceVersion: String(resourceVersion),
      },
    });
    let objects = storage.byNamespace.get(namespace);
    if (!objects) {
      objects = new Map();
      storage.byNamespace.set(namespace, objects);
    }
    const previous = objects.get(name);
    objects.set(name, stored);
    if (previous) storage.index(previous, false);
    storage.index(stored, true);
    if (!previous) {
      storage.size++;
      storage.keysChanged(namespace);
    }
    this.emit(storage, {
      type: previous ? 'MODIFIED' : 'ADDED',
      resourceVersion,
      object: stored,
      previous,
    });
    return stored;
  }

  /** Remove an object; the DELETED event carries its last state at a new resourceVersion. */
  remove(
    type: ResourceType,
    namespace: string,
    name: string,
  ): StoredObject | undefined {
    const storage = this.storage(type);
    const objects = storage.byNamespace.get(namespace);
    const previous = objects?.get(name);
    if (!objects || !previous) return undefined;
    objects.delete(name);
    storage.index(previous, false);
    storage.size--;
    storage.keysChanged(namespace);
    if (objects.size === 0) storage.byNamespace.delete(namespace);
    const resourceVersion = ++this.revision;
    const last = freeze({
      ...previous.object,
      metadata: {
        ...previous.object.metadata,
        resourceVersion: String(resourceVersion),
      },
    });
    this.emit(storage, { type: 'DELETED', resourceVersion, object: last });
    return last;
  }

  private emit(storage: ResourceStorage, event: StoreEvent) {
    storage.history.push(event);
    if (storage.history.length - storage.historyStart > this.historyLimit) {
      storage.floor = storage.history[storage.historyStart].resourceVersion;
      storage.historyStart++;
      // Reclaim the dead prefix now and then rather than shifting on every write.
      if (
        storage.historyStart > 1024 &&
        storage.historyStart > this.historyLimit
      ) {
        storage.history = storage.history.slice(storage.historyStart);
        storage.historyStart = 0;
      }
    }
    for (const listener of [...storage.listeners]) listener(event);
  }

  /**
   * Events of a type after `resourceVersion`, or a 410 Expired Status when
   * they are no longer retained (compacted), as etcd answers.
   */
  eventsSince(type: ResourceType, resourceVersion: number): StoreEvent[] {
    const storage = this.storage(type);
    if (resourceVersion < storage.floor) {
      throw errors.expired(
        `too old resource version: ${resourceVersion} (${storage.floor})`,
      );
    }
    const history = storage.history;
    let lo = storage.historyStart;
    let hi = history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (history[mid].resourceVersion <= resourceVersion) lo = mid + 1;
      else hi = mid;
    }
    return history.slice(lo);
  }

  /** The oldest resourceVersion a watch of this type may still start from. */
  oldestWatchableRevision(type: ResourceType): number {
    return this.storage(type).floor;
  }

  subscribe(type: ResourceType, listener: Listener): () => void {
    const storage = this.storage(type);
    storage.listeners.add(listener);
    return () => storage.listeners.delete(listener);
  }

  /** Forget all history: every resourceVersion before now becomes too old to watch from. */
  compact() {
    for (const storage of this.storages.values()) {
      storage.history = [];
      storage.historyStart = 0;
      storage.floor = this.revision;
    }
  }
}

function freeze(object: KubeObject): StoredObject {
  const json = JSON.stringify(object);
  return {
    // Stored state is parsed back from its own JSON: no caller keeps a reference into it.
    object: JSON.parse(json),
    json,
    resourceVersion: Number(object.metadata.resourceVersion),
  };
}

/** etcd key order: namespace, then name (as lists return objects and continue tokens resume). */
export function compareKeys(a: StoredObject, b: StoredObject): number {
  return compareKey(
    a,
    b.object.metadata.namespace ?? '',
    b.object.metadata.name!,
  );
}

/** Order of an object relative to the key (`namespace`, `name`). */
export function compareKey(
  stored: StoredObject,
  namespace: string,
  name: string,
): number {
  const ns = stored.object.metadata.namespace ?? '';
  if (ns !== namespace) return ns < namespace ? -1 : 1;
  const own = stored.object.metadata.name!;
  if (own === name) return 0;
  return own < name ? -1 : 1;
}
