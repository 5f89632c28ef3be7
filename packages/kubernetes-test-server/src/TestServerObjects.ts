import { ObjectApi } from './ObjectApi';
import { KubeObject, ObjectStore } from './ObjectStore';
import { ResourceType } from './resourceTypes';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';
import { jsonClone } from './json';

/**
 * The server's objects without HTTP, auth or faults: seed state, read it
 * back, and play controllers (set status) in tests and the sandbox.
 *
 * @public
 */
export class TestServerObjects {
  /** @internal */
  constructor(
    private readonly api: ObjectApi,
    private readonly store: ObjectStore,
    private readonly registry: ResourceTypeRegistry,
  ) {}

  private type(apiVersion: string, kind: string): ResourceType {
    const type = this.registry.findByKind(apiVersion, kind);
    if (!type) {
      throw new Error(
        `no served resource type has apiVersion "${apiVersion}" and kind "${kind}"`,
      );
    }
    return type;
  }

  /**
   * Create or replace an object as given, status included (creating its
   * namespace if missing). Watchers see ADDED or MODIFIED.
   */
  put<T extends Record<string, any>>(object: T): T {
    return this.api.put(object as any).object as unknown as T;
  }

  /** Store many objects (a benchmark's seed). */
  putAll(objects: Array<Record<string, any>>) {
    for (const object of objects) this.api.put(object as any);
  }

  get<T = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): T | undefined {
    const type = this.type(apiVersion, kind);
    const stored = this.store.get(type, type.namespaced ? namespace : '', name);
    return stored ? (jsonClone(stored.object) as T) : undefined;
  }

  list<T = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): T[] {
    const type = this.type(apiVersion, kind);
    return this.store.list(type, namespace).map(s => jsonClone(s.object) as T);
  }

  /** Delete as the API would (finalizers respected); false when it did not exist. */
  delete(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): boolean {
    const type = this.type(apiVersion, kind);
    if (!this.store.get(type, type.namespaced ? namespace : '', name))
      return false;
    this.api.delete({
      type,
      namespace: type.namespaced ? namespace : '',
      name,
    });
    return true;
  }

  /** The current resourceVersion (the global revision), as a list would report it. */
  resourceVersion(): string {
    return String(this.store.currentRevision());
  }
}
