import { randomUUID } from 'node:crypto';
import { jsonClone, jsonEqual } from './json';
import { KubeObject, ObjectStore, StoredObject } from './ObjectStore';
import {
  apiVersionOf,
  customResourceDefinitionFor,
  ResourceType,
  resourceTypesFromCustomResourceDefinition,
} from './resourceTypes';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';
import { ApiError, errors } from './status';
import {
  jsonPatch,
  mergePatch,
  patchContentTypes,
  strategicMergePatch,
} from './patches';
import { applyConfiguration, recordUpdate } from './managedFields';
import { applyScale, toScale } from './scale';
import { checkTypeMeta, validateObject } from './validation';

/** Options of one write, from the query string. */
export interface WriteOptions {
  dryRun?: boolean;
  /** Programmatic writes (seeding) record no field manager. */
  skipManagedFields?: boolean;
  fieldManager?: string;
  force?: boolean;
  subresource?: string;
}

/** Where the object lives, from the path. */
export interface ObjectAddress {
  type: ResourceType;
  /** `''` for cluster-scoped types. */
  namespace: string;
  name: string;
}

function now() {
  // RFC 3339 with second precision, as metav1.Time serializes.
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function randomSuffix() {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += alphabet[Math.floor(Math.random() * alphabet.length)];
  }
  return suffix;
}

/** Everything but metadata and status: a change there bumps `metadata.generation`. */
function specOf(object: KubeObject) {
  const { metadata, status, apiVersion, kind, ...rest } = object;
  return rest;
}

/** Metadata the server owns; clients cannot change it with an update. */
const systemMetadata = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'resourceVersion',
] as const;

/**
 * The API server's object semantics, shared by the HTTP handlers and the
 * programmatic API: validation, defaulting, optimistic concurrency, the
 * status subresource, generation, finalizers, namespaces and CRDs.
 */
export class ObjectApi {
  /** Called when a resource stops being served (its CRD was deleted), after its objects went. */
  onResourceRemoved?: (group: string, plural: string) => void;

  constructor(
    readonly store: ObjectStore,
    readonly registry: ResourceTypeRegistry,
  ) {}

  /** Serve a type; custom ones get their CRD object stored, as installing it on a cluster would. */
  addResourceType(type: ResourceType) {
    if (type.builtin) {
      this.registry.add(type);
      return;
    }
    const crdType = this.crdType();
    const crd = customResourceDefinitionFor(type);
    const existing = this.store.get(crdType, '', crd.metadata.name);
    if (existing) {
      const versions = [
        ...(existing.object as any).spec.versions.filter(
          (v: any) => v.name !== type.version,
        ),
        ...crd.spec.versions,
      ];
      this.put({
        ...existing.object,
        spec: { ...(existing.object as any).spec, versions },
      });
    } else {
      this.put(crd);
    }
  }

  private crdType(): ResourceType {
    const type = this.registry.find(
      'apiextensions.k8s.io',
      'v1',
      'customresourcedefinitions',
    );
    if (!type) throw new Error('customresourcedefinitions must be served');
    return type;
  }

  namespaceType(): ResourceType {
    const type = this.registry.find('', 'v1', 'namespaces');
    if (!type) throw new Error('namespaces must be served');
    return type;
  }

  get(address: ObjectAddress): StoredObject {
    const stored = this.store.get(
      address.type,
      address.namespace,
      address.name,
    );
    if (!stored) throw errors.notFound(address.type, address.name);
    return stored;
  }

  private checkNamespaceWritable(type: ResourceType, namespace: string) {
    if (!type.namespaced) return;
    const ns = this.store.get(this.namespaceType(), '', namespace);
    if (!ns) throw errors.notFound(this.namespaceType(), namespace);
    if (ns.object.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${type.plural} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  create(
    type: ResourceType,
    namespace: string,
    body: any,
    options: WriteOptions = {},
  ): StoredObject {
    checkTypeMeta(type, body);
    const metadata = { ...(body.metadata ?? {}) };
    if (type.namespaced) {
      if (
        metadata.namespace !== undefined &&
        metadata.namespace !== namespace
      ) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = namespace;
    } else {
      delete metadata.namespace;
    }
    if (!metadata.name) {
      if (!metadata.generateName) {
        throw errors.invalid(type, '', [
          {
            field: 'metadata.name',
            message: 'Required value: name or generateName is required',
            reason: 'FieldValueRequired',
          },
        ]);
      }
      metadata.name = `${metadata.generateName}${randomSuffix()}`;
    }
    if (metadata.resourceVersion) {
      throw errors.badRequest(
        'resourceVersion should not be set on objects to be created',
      );
    }
    for (const key of systemMetadata) delete metadata[key];
    const object: KubeObject = {
      ...body,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: {
        ...metadata,
        uid: randomUUID(),
        creationTimestamp: now(),
        generation: 1,
      },
    };
    if (type.statusSubresource) delete object.status;
    this.defaultNew(type, object);
    validateObject(type, object);
    this.checkNamespaceWritable(type, namespace);
    if (this.store.get(type, namespace, metadata.name)) {
      throw errors.alreadyExists(type, metadata.name);
    }
    if (!options.skipManagedFields) {
      recordUpdate(
        undefined,
        object,
        options.fieldManager,
        'Update',
        undefined,
        now(),
        type,
      );
    }
    if (options.dryRun) return preview(object);
    return this.commit(type, object);
  }

  /** Server-side defaults that clients rely on. */
  private defaultNew(type: ResourceType, object: any) {
    if (type.group === '' && type.plural === 'namespaces') {
      object.spec = { finalizers: ['kubernetes'], ...(object.spec ?? {}) };
      object.status = { phase: 'Active' };
      object.metadata.labels = {
        ...(object.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': object.metadata.name,
      };
    }
    if (
      type.group === 'apiextensions.k8s.io' &&
      type.plural === 'customresourcedefinitions'
    ) {
      object.status = {
        acceptedNames: object.spec?.names ?? {},
        storedVersions: (object.spec?.versions ?? [])
          .filter((v: any) => v.storage)
          .map((v: any) => v.name),
        conditions: ['NamesAccepted', 'Established'].map(conditionType => ({
          type: conditionType,
          status: 'True',
          reason:
            conditionType === 'Established'
              ? 'InitialNamesAccepted'
              : 'NoConflicts',
          message:
            conditionType === 'Established'
              ? 'the initial names have been accepted'
              : 'no conflicts found',
          lastTransitionTime: object.metadata.creationTimestamp,
        })),
      };
    }
  }

  /**
   * PUT: replace the object. Server-owned metadata is kept, status is kept
   * when the type has a status subresource (or only status changes, on
   * `/status`), and a stale `metadata.resourceVersion` is a 409.
   */
  update(
    address: ObjectAddress,
    body: any,
    options: WriteOptions = {},
  ): StoredObject {
    const { type, namespace, name } = address;
    checkTypeMeta(type, body);
    const metadata = body.metadata ?? {};
    checkMatchesAddress(address, metadata);
    const current = this.store.get(type, namespace, name);
    if (!current) throw errors.notFound(type, name);
    if (
      metadata.resourceVersion !== undefined &&
      metadata.resourceVersion !== '' &&
      metadata.resourceVersion !== current.object.metadata.resourceVersion
    ) {
      throw errors.staleResourceVersion(type, name);
    }
    return this.replace(
      current,
      {
        ...body,
        metadata: {
          ...metadata,
          name,
          namespace: type.namespaced ? namespace : undefined,
        },
      },
      type,
      options,
    );
  }

  /** PATCH with a JSON, merge or strategic merge patch; the result is written like an update. */
  patch(
    address: ObjectAddress,
    contentType: string,
    patch: unknown,
    options: WriteOptions = {},
  ): StoredObject {
    const { type, namespace, name } = address;
    const current = this.store.get(type, namespace, name);
    if (!current) throw errors.notFound(type, name);
    let patched: any;
    if (contentType === patchContentTypes.json) {
      patched = jsonPatch(current.object, patch);
    } else {
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
        throw errors.badRequest(
          `a ${
            contentType === patchContentTypes.merge
              ? 'merge'
              : 'strategic merge'
          } patch must be a JSON object`,
        );
      }
      patched =
        contentType === patchContentTypes.merge
          ? mergePatch(current.object, patch)
          : strategicMergePatch(current.object, patch);
    }
    checkTypeMeta(type, patched);
    if ((patched.metadata?.name ?? name) !== name) {
      throw errors.badRequest(
        `metadata.name: the name of an object cannot be changed by a patch (${name})`,
      );
    }
    // A resourceVersion in the patch is a precondition, as on the real server.
    const rv = patched.metadata?.resourceVersion;
    if (rv !== undefined && rv !== current.object.metadata.resourceVersion) {
      throw errors.staleResourceVersion(type, name);
    }
    return this.replace(current, patched, type, options);
  }

  /**
   * Server-side apply: create, or merge the configuration into the object,
   * with field ownership in `metadata.managedFields` (see managedFields.ts
   * for what is simplified).
   */
  apply(
    address: ObjectAddress,
    configuration: any,
    options: WriteOptions,
  ): StoredObject {
    const { type, namespace, name } = address;
    if (!options.fieldManager) {
      throw errors.badRequest('fieldManager is required for apply requests');
    }
    checkTypeMeta(type, configuration);
    if (
      configuration.apiVersion === undefined ||
      configuration.kind === undefined
    ) {
      throw errors.badRequest(
        'apiVersion and kind are required in an apply configuration',
      );
    }
    const metadata = configuration.metadata ?? {};
    checkMatchesAddress(address, metadata);
    const current = this.store.get(type, namespace, name);
    if (
      current &&
      metadata.resourceVersion !== undefined &&
      metadata.resourceVersion !== current.object.metadata.resourceVersion
    ) {
      throw errors.staleResourceVersion(type, name);
    }
    const subresource = options.subresource;
    const config = jsonClone(configuration);
    config.metadata = { ...metadata, name };
    if (type.namespaced) config.metadata.namespace = namespace;
    for (const key of systemMetadata) delete config.metadata[key];
    delete config.metadata.managedFields;
    if (!current) {
      if (subresource) throw errors.notFound(type, name);
      const created = this.create(
        type,
        namespace,
        { ...config, metadata: { ...config.metadata } },
        {
          ...options,
          fieldManager: undefined,
          dryRun: true,
          skipManagedFields: true,
        },
      );
      const object = jsonClone(created.object);
      delete object.metadata.resourceVersion;
      object.metadata.managedFields = [];
      const applied = applyConfiguration(
        type,
        undefined,
        object,
        config,
        options.fieldManager,
        Boolean(options.force),
        undefined,
        now(),
      );
      if (options.dryRun) return preview(applied);
      return this.commit(type, applied);
    }
    const applied = applyConfiguration(
      type,
      current.object,
      jsonClone(current.object),
      config,
      options.fieldManager,
      Boolean(options.force),
      subresource,
      now(),
    );
    return this.replace(
      current,
      applied,
      type,
      { ...options, fieldManager: undefined },
      true,
    );
  }

  /** GET `/scale`: the object's replicas as an autoscaling/v1 Scale. */
  getScale(address: ObjectAddress) {
    return toScale(address.type, this.get(address).object);
  }

  /** PUT `/scale`: set the desired replicas (a stale Scale resourceVersion is a 409). */
  updateScale(address: ObjectAddress, scale: any, options: WriteOptions = {}) {
    const current = this.get(address);
    const rv = scale?.metadata?.resourceVersion;
    if (rv && rv !== current.object.metadata.resourceVersion) {
      throw errors.staleResourceVersion(address.type, address.name);
    }
    const next = applyScale(address.type, current.object, scale);
    const stored = this.replace(current, next, address.type, {
      ...options,
      subresource: undefined,
    });
    return toScale(address.type, stored.object);
  }

  /** PATCH `/scale`: the patch applies to the Scale, then as a PUT. */
  patchScale(
    address: ObjectAddress,
    contentType: string,
    patch: unknown,
    options: WriteOptions = {},
  ) {
    const scale = this.getScale(address);
    let patched: unknown;
    if (contentType === patchContentTypes.json)
      patched = jsonPatch(scale, patch);
    else if (
      patch === null ||
      typeof patch !== 'object' ||
      Array.isArray(patch)
    ) {
      throw errors.badRequest('a merge patch must be a JSON object');
    } else patched = mergePatch(scale, patch);
    return this.updateScale(address, patched, options);
  }

  /** Write a new state of an existing object, with the rules every update path shares. */
  private replace(
    current: StoredObject,
    body: any,
    type: ResourceType,
    options: WriteOptions,
    managedFieldsDone = false,
  ): StoredObject {
    const old = current.object;
    let next: KubeObject;
    if (options.subresource === 'status') {
      // Only status changes through /status.
      next = jsonClone(old);
      if (body.status === undefined) delete next.status;
      else next.status = body.status;
      if (managedFieldsDone)
        next.metadata.managedFields = body.metadata.managedFields;
      // A CRD's schema covers status too.
      if (type.schema) validateObject(type, next);
    } else {
      const metadata = { ...(body.metadata ?? {}) };
      for (const key of systemMetadata) {
        if (old.metadata[key] === undefined) delete metadata[key];
        else metadata[key] = old.metadata[key];
      }
      next = {
        ...body,
        apiVersion: apiVersionOf(type),
        kind: type.kind,
        metadata,
      };
      if (type.statusSubresource) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      if (type.group === '' && type.plural === 'namespaces')
        next.status = old.status;
      if (!jsonEqual(specOf(old), specOf(next))) {
        next.metadata.generation = (old.metadata.generation ?? 0) + 1;
      }
      validateObject(type, next);
    }
    if (!managedFieldsDone) {
      recordUpdate(
        old,
        next,
        options.fieldManager,
        'Update',
        options.subresource,
        now(),
        type,
      );
    }
    // A no-op write does not change the resourceVersion, as on the real server.
    if (jsonEqual(withoutVolatile(old), withoutVolatile(next))) {
      return current;
    }
    if (options.dryRun) return preview(next);
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      return (
        this.removeNow(
          type,
          next.metadata.namespace ?? '',
          next.metadata.name!,
        ) ?? current
      );
    }
    return this.commit(type, next);
  }

  /** Store a state and keep the served types in step with stored CRDs. */
  private commit(type: ResourceType, object: KubeObject): StoredObject {
    const stored = this.store.write(type, object);
    if (
      type.group === 'apiextensions.k8s.io' &&
      type.plural === 'customresourcedefinitions'
    ) {
      this.syncCustomResourceDefinition(stored.object);
    }
    return stored;
  }

  private syncCustomResourceDefinition(crd: any, deleted = false) {
    const group = crd.spec?.group;
    const plural = crd.spec?.names?.plural;
    const previous = this.registry.removeResource(group, plural);
    if (deleted) {
      for (const type of previous.slice(0, 1)) this.store.drop(type);
      this.onResourceRemoved?.(group, plural);
      return;
    }
    const types = resourceTypesFromCustomResourceDefinition(crd);
    if (typeof types === 'string') return;
    for (const type of types) this.registry.add(type);
  }

  /**
   * DELETE. Objects with finalizers get a deletionTimestamp and stay until
   * the finalizers are removed; a namespace terminates, then its content is
   * deleted (the namespace controller's job), then it goes.
   */
  delete(
    address: ObjectAddress,
    options: {
      dryRun?: boolean;
      preconditions?: { uid?: string; resourceVersion?: string };
    } = {},
  ): { deleted: boolean; object: KubeObject } {
    const { type, namespace, name } = address;
    const current = this.store.get(type, namespace, name);
    if (!current) throw errors.notFound(type, name);
    const { preconditions } = options;
    if (
      preconditions?.uid &&
      preconditions.uid !== current.object.metadata.uid
    ) {
      throw errors.conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.object.metadata.uid}`,
      );
    }
    if (
      preconditions?.resourceVersion &&
      preconditions.resourceVersion !== current.object.metadata.resourceVersion
    ) {
      throw errors.conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.object.metadata.resourceVersion}`,
      );
    }
    if (options.dryRun) return { deleted: true, object: current.object };
    const isNamespace = type.group === '' && type.plural === 'namespaces';
    if (current.object.metadata.finalizers?.length || isNamespace) {
      if (current.object.metadata.deletionTimestamp) {
        return { deleted: false, object: current.object };
      }
      const terminating = jsonClone(current.object);
      terminating.metadata.deletionTimestamp = now();
      terminating.metadata.deletionGracePeriodSeconds = 0;
      if (isNamespace) (terminating as any).status = { phase: 'Terminating' };
      const stored = this.store.write(type, terminating);
      if (isNamespace) {
        // The namespace controller empties it, then the namespace goes.
        setImmediate(() => this.finishNamespaceDeletion(name));
      }
      return { deleted: false, object: stored.object };
    }
    const last = this.removeNow(type, namespace, name);
    return { deleted: true, object: last!.object };
  }

  private finishNamespaceDeletion(namespace: string) {
    for (const type of this.registry.all()) {
      if (!type.namespaced) continue;
      for (const stored of this.store.list(type, namespace)) {
        this.store.remove(type, namespace, stored.object.metadata.name!);
      }
    }
    this.store.remove(this.namespaceType(), '', namespace);
  }

  private removeNow(type: ResourceType, namespace: string, name: string) {
    const last = this.store.remove(type, namespace, name);
    if (
      last &&
      type.group === 'apiextensions.k8s.io' &&
      type.plural === 'customresourcedefinitions'
    ) {
      this.syncCustomResourceDefinition(last.object, true);
    }
    return last;
  }

  /**
   * Create or replace an object as given, status included, bypassing
   * admission: for seeding and for tests playing a controller. Missing
   * namespaces are created.
   */
  put(object: KubeObject | Record<string, any>): StoredObject {
    const type = this.registry.findByKind(object.apiVersion, object.kind);
    if (!type) {
      throw errors.badRequest(
        `no resource type serves apiVersion "${object.apiVersion}" kind "${object.kind}"`,
      );
    }
    const namespace = type.namespaced
      ? object.metadata?.namespace ?? 'default'
      : '';
    if (
      type.namespaced &&
      !this.store.get(this.namespaceType(), '', namespace)
    ) {
      this.create(this.namespaceType(), '', { metadata: { name: namespace } });
    }
    const current = this.store.get(type, namespace, object.metadata?.name);
    if (!current) {
      const created = this.create(type, namespace, object, {
        dryRun: true,
        skipManagedFields: true,
      });
      const full: any = { ...created.object, status: object.status };
      if (full.status === undefined) delete full.status;
      delete full.metadata.resourceVersion;
      this.defaultNew(type, full);
      // The status given is checked against a CRD's schema too (creating checked the rest).
      if (type.schema && full.status !== undefined) validateObject(type, full);
      return this.commit(type, full);
    }
    const next: any = jsonClone(object);
    next.metadata = {
      ...next.metadata,
      namespace: type.namespaced ? namespace : undefined,
    };
    for (const key of systemMetadata) {
      if (key !== 'generation' && current.object.metadata[key] !== undefined) {
        next.metadata[key] = current.object.metadata[key];
      }
    }
    next.metadata.generation = jsonEqual(specOf(current.object), specOf(next))
      ? current.object.metadata.generation
      : (current.object.metadata.generation ?? 0) + 1;
    next.metadata.managedFields = current.object.metadata.managedFields;
    validateObject(type, next);
    if (jsonEqual(withoutVolatile(current.object), withoutVolatile(next))) {
      return current;
    }
    return this.commit(type, next);
  }
}

/** The object minus what changes on every write (resourceVersion, managedFields times). */
function withoutVolatile(object: KubeObject) {
  const { resourceVersion, managedFields, ...metadata } = object.metadata;
  return {
    ...object,
    metadata: {
      ...metadata,
      managedFields: Array.isArray(managedFields)
        ? managedFields.map(({ time, ...entry }: any) => entry)
        : managedFields,
    },
  };
}

function preview(object: KubeObject): StoredObject {
  return { object, json: JSON.stringify(object), resourceVersion: 0 };
}

/** A PUT or apply body may omit its name and namespace, but must not contradict the URL. */
function checkMatchesAddress(
  { type, namespace, name }: ObjectAddress,
  metadata: { name?: string; namespace?: string },
) {
  if (metadata.name !== undefined && metadata.name !== name) {
    throw errors.badRequest(
      `the name of the object (${metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  if (
    type.namespaced &&
    metadata.namespace !== undefined &&
    metadata.namespace !== namespace
  ) {
    throw errors.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
}
