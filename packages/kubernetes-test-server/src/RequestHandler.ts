import { IncomingMessage, ServerResponse } from 'node:http';
import { isAllowed, TokenGrant } from './auth';
import {
  apiGroupList,
  apiGroupOf,
  apiResourceList,
  coreApiVersions,
} from './discovery';
import { FaultInjector } from './faults';
import { parseBody, sendJson } from './http';
import { ObjectAddress, ObjectApi } from './ObjectApi';
import { compareKey, KubeObject, ObjectStore } from './ObjectStore';
import { patchContentTypes } from './patches';
import { ParsedPath, parsePath } from './paths';
import { PodLogs } from './PodLogs';
import { readPodLogOptions, servePodLog } from './podLogEndpoint';
import { RequestInfo, RequestLog } from './requests';
import { apiVersionOf, ResourceType } from './resourceTypes';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { errors } from './status';
import { serveAs, WatchStream } from './watch';

/** What the request handler needs from the server. */
export interface RequestHandlerContext {
  store: ObjectStore;
  registry: ResourceTypeRegistry;
  api: ObjectApi;
  requests: RequestLog;
  faults: FaultInjector;
  watches: Set<WatchStream>;
  authenticate(req: IncomingMessage): TokenGrant | undefined;
  /** `host:port`, for the APIVersions discovery document. */
  serverAddress(): string;
  bookmarkIntervalMs: number;
  defaultWatchTimeoutSeconds?: number;
  podLogs(pod: KubeObject, container: string): string;
  /** What containers wrote (appended by a test or the sandbox). */
  logs: PodLogs;
}

type ResourcePath = Extract<ParsedPath, { kind: 'resource' }>;
type DiscoveryPath = Extract<
  ParsedPath,
  { kind: 'discovery' | 'group' | 'groupVersion' }
>;

/** A resource request that passed routing and RBAC, with the query parameters writes share. */
interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The Kubernetes verb (see {@link resourceVerb}). */
  verb: string;
  query: URLSearchParams;
  type: ResourceType;
  /** `''` for cluster-scoped types; undefined when a namespaced type is listed or watched across namespaces. */
  namespace: string | undefined;
  subresource: string | undefined;
  dryRun: boolean;
  fieldManager: string;
}

/** The `/version` document. */
const serverVersion = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0-cellplane-test',
  platform: 'linux/amd64',
};

/**
 * One request, the way the API server treats it: request info (verb,
 * resource, namespace, name), counting, injected faults, authentication,
 * RBAC, then discovery or the resource handlers.
 */
export class RequestHandler {
  constructor(private readonly context: RequestHandlerContext) {}

  async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = parsePath(url.pathname);
    const grant = this.context.authenticate(req);
    const info = requestInfo(method, url, parsed, grant);
    this.context.requests.record(info);

    const latency = this.context.faults.latencyFor(info);
    if (latency > 0) await new Promise(resolve => setTimeout(resolve, latency));
    const failure = this.context.faults.failureFor(info);
    if (failure) throw failure;

    // Health and version answer anyone; everything else needs a known token.
    if (parsed.kind === 'health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parsed.kind === 'discovery' && parsed.what === 'version') {
      sendJson(res, 200, serverVersion);
      return;
    }
    if (!grant) throw errors.unauthorized();
    if (parsed.kind === 'unknown') throw errors.noRoute();
    if (parsed.kind !== 'resource') {
      if (method !== 'GET') throw errors.methodNotAllowed(method);
      this.discovery(res, parsed);
      return;
    }
    if (isSelfSubjectAccessReview(parsed)) {
      if (method !== 'POST') throw errors.methodNotAllowed(method);
      await this.selfSubjectAccessReview(req, res, grant);
      return;
    }
    const request = this.resourceRequest(req, res, url.searchParams, {
      parsed,
      method,
      verb: info.verb,
      grant,
    });
    if (parsed.name === undefined) await this.handleCollection(request);
    else await this.handleObject(request, parsed.name);
  }

  /** `/api`, `/apis`, `/apis/<group>`, and a group version's resource list (`/api/v1`, `/apis/<group>/<version>`). */
  private discovery(res: ServerResponse, parsed: DiscoveryPath) {
    switch (parsed.kind) {
      case 'discovery':
        sendJson(
          res,
          200,
          parsed.what === 'api'
            ? coreApiVersions(this.context.serverAddress())
            : apiGroupList(this.context.registry),
        );
        return;
      case 'group': {
        const group = apiGroupOf(this.context.registry, parsed.group);
        if (!group) throw errors.noRoute();
        sendJson(res, 200, group);
        return;
      }
      case 'groupVersion': {
        const list = apiResourceList(
          this.context.registry,
          parsed.group,
          parsed.version,
        );
        if (!list) throw errors.noRoute();
        sendJson(res, 200, list);
        return;
      }
      default:
    }
  }

  /**
   * Routing and RBAC of a resource path: 404 unless the type and subresource
   * are served at that scope, 405 for a verb the subresource does not take,
   * 403 unless the caller may; then the query parameters writes share.
   */
  private resourceRequest(
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
    request: {
      parsed: ResourcePath;
      method: string;
      verb: string;
      grant: TokenGrant;
    },
  ): ResourceRequest {
    const { parsed, method, verb, grant } = request;
    const type = this.servedType(parsed);
    const subresource = parsed.subresource;
    if (subresource !== undefined) {
      if (!servesSubresource(type, subresource)) throw errors.noRoute();
      if (!subresourceVerbs(subresource).includes(verb)) {
        throw errors.methodNotAllowed(method);
      }
    }
    authorize(grant, verb, type, parsed);
    return {
      req,
      res,
      method,
      verb,
      query,
      type,
      namespace: type.namespaced ? parsed.namespace : '',
      subresource,
      dryRun: query.get('dryRun') === 'All',
      fieldManager: fieldManagerOf(req, query),
    };
  }

  /** The type a resource path names; 404 when none is served, or the path's scope does not fit it. */
  private servedType(parsed: ResourcePath): ResourceType {
    const type = this.context.registry.find(
      parsed.group,
      parsed.version,
      parsed.plural,
    );
    if (!type) throw errors.noRoute();
    // A namespace in the path of a cluster-scoped type.
    if (parsed.namespace !== undefined && !type.namespaced)
      throw errors.noRoute();
    // A namespaced object named without its namespace.
    if (
      parsed.name !== undefined &&
      type.namespaced &&
      parsed.namespace === undefined
    ) {
      throw errors.noRoute();
    }
    return type;
  }

  /** `.../<plural>`: list, watch, create, deletecollection. */
  private async handleCollection(request: ResourceRequest) {
    const { res, type, namespace, query } = request;
    switch (request.verb) {
      case 'list':
        this.list(res, type, namespace, query);
        return;
      case 'watch':
        this.watch(res, type, namespace, query);
        return;
      case 'create':
        await this.createObject(request);
        return;
      case 'deletecollection':
        this.deleteCollection(res, type, namespace, query, request.dryRun);
        return;
      default:
        throw errors.methodNotAllowed(request.method);
    }
  }

  /** `.../<plural>/<name>[/<subresource>]`: get, watch, update, patch (and apply), delete. */
  private async handleObject(request: ResourceRequest, name: string) {
    const { req, res, type, namespace, query, subresource } = request;
    const address = { type, namespace: namespace ?? '', name };
    if (subresource === 'log') {
      this.podLog(res, address, query);
      return;
    }
    if (subresource === 'scale') {
      await this.handleScale(req, res, request.verb, address, {
        dryRun: request.dryRun,
        fieldManager: request.fieldManager,
      });
      return;
    }
    switch (request.verb) {
      case 'get':
        sendJson(res, 200, serveAs(type, this.context.api.get(address)));
        return;
      case 'watch':
        // GET /.../<name>?watch=true: a watch of one object.
        query.set('fieldSelector', `metadata.name=${name}`);
        this.watch(res, type, namespace, query);
        return;
      case 'update':
        await this.updateObject(request, address);
        return;
      case 'patch':
        await this.patchObject(request, address);
        return;
      case 'delete':
        await this.deleteObject(request, address);
        return;
      default:
        throw errors.methodNotAllowed(request.method);
    }
  }

  /** POST to a collection. */
  private async createObject(request: ResourceRequest) {
    const { req, res, type } = request;
    const body = await parseBody(req, req.headers['content-type'] ?? '');
    const created = this.context.api.create(
      type,
      request.namespace ?? '',
      body ?? {},
      { dryRun: request.dryRun, fieldManager: request.fieldManager },
    );
    sendJson(res, 201, serveAs(type, created));
  }

  /** PUT of an object, its `/status`, or a namespace's `/finalize`. */
  private async updateObject(request: ResourceRequest, address: ObjectAddress) {
    const { req, res, type, subresource } = request;
    const body = await parseBody(req, req.headers['content-type'] ?? '');
    const updated = this.context.api.update(address, body ?? {}, {
      dryRun: request.dryRun,
      fieldManager: request.fieldManager,
      // `/finalize` writes the namespace (its spec.finalizers) like a plain update.
      subresource: subresource === 'finalize' ? undefined : subresource,
    });
    sendJson(res, 200, serveAs(type, updated));
  }

  /** PATCH: JSON, merge or strategic merge patch, or server-side apply. */
  private async patchObject(request: ResourceRequest, address: ObjectAddress) {
    const { req, res, type, query } = request;
    const contentType = mediaTypeOf(req);
    if (!Object.values(patchContentTypes).includes(contentType as any)) {
      throw errors.unsupportedMediaType(contentType);
    }
    const body = await parseBody(req, contentType);
    if (contentType === patchContentTypes.apply) {
      this.applyObject(request, address, body);
      return;
    }
    if (query.get('force') !== null) {
      throw errors.badRequest(
        'force: Forbidden: may not be specified for non-apply patch',
      );
    }
    const patched = this.context.api.patch(address, contentType, body, {
      dryRun: request.dryRun,
      fieldManager: request.fieldManager,
      subresource: request.subresource,
    });
    sendJson(res, 200, serveAs(type, patched));
  }

  /** Server-side apply: 201 when it creates the object, 200 when it changes one. */
  private applyObject(
    request: ResourceRequest,
    address: ObjectAddress,
    configuration: unknown,
  ) {
    const { res, type, query } = request;
    const existed = Boolean(
      this.context.store.get(type, address.namespace, address.name),
    );
    const force = query.get('force');
    if (force !== null && force !== 'true' && force !== 'false') {
      throw errors.badRequest(
        `force: Invalid value: "${force}": must be true or false`,
      );
    }
    const applied = this.context.api.apply(address, configuration, {
      dryRun: request.dryRun,
      // Apply requires an explicit manager: no default from the user agent.
      fieldManager: query.get('fieldManager') ?? undefined,
      force: force === 'true',
      subresource: request.subresource,
    });
    sendJson(res, existed ? 200 : 201, serveAs(type, applied));
  }

  /** DELETE of one object, with the preconditions of a DeleteOptions body. */
  private async deleteObject(request: ResourceRequest, address: ObjectAddress) {
    const body = (await parseBody(request.req, 'application/json')) as any;
    const result = this.context.api.delete(address, {
      dryRun: request.dryRun,
      preconditions: body?.preconditions,
    });
    this.sendDeleted(request.res, request.type, result);
  }

  /** `GET pods/<name>/log`: the container's lines from the server's PodLogs (see podLogEndpoint). */
  private podLog(
    res: ServerResponse,
    address: ObjectAddress,
    query: URLSearchParams,
  ) {
    const pod = this.context.api.get(address).object as KubeObject & {
      spec?: any;
    };
    const options = readPodLogOptions(pod, query);
    // The podLogs option's text comes first, stamped with the pod's creation time.
    const created = new Date(pod.metadata.creationTimestamp ?? Date.now());
    const prelude = this.context
      .podLogs(pod, options.container)
      .split('\n')
      .filter((text, i, all) => text !== '' || i < all.length - 1)
      .map(text => ({ time: created, text }));
    servePodLog(res, pod, options, this.context.logs, prelude);
  }

  /**
   * `POST selfsubjectaccessreviews`: may the caller do this? Answered from the token's rules, as
   * the real server answers any authenticated user (system:basic-user).
   */
  private async selfSubjectAccessReview(
    req: IncomingMessage,
    res: ServerResponse,
    grant: TokenGrant,
  ) {
    const body = (await parseBody(
      req,
      req.headers['content-type'] ?? 'application/json',
    )) as any;
    const spec = body?.spec ?? {};
    const attributes = spec.resourceAttributes;
    if (!attributes && !spec.nonResourceAttributes) {
      throw errors.badRequest(
        'spec: Invalid value: one of resourceAttributes or nonResourceAttributes must be set',
      );
    }
    const allowed = attributes
      ? isAllowed(grant, {
          verb: String(attributes.verb ?? ''),
          group: String(attributes.group ?? ''),
          resource: String(attributes.resource ?? ''),
          subresource: attributes.subresource || undefined,
          namespace: attributes.namespace || undefined,
        })
      : // Non-resource URLs: only cluster-admin rules reach them here.
        !grant.rules;
    sendJson(res, 201, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec,
      status: {
        allowed,
        ...(allowed ? { reason: `allowed for user "${grant.user}"` } : {}),
      },
    });
  }

  private async handleScale(
    req: IncomingMessage,
    res: ServerResponse,
    verb: string,
    address: ObjectAddress,
    options: { dryRun: boolean; fieldManager: string },
  ) {
    if (verb === 'get') {
      sendJson(res, 200, this.context.api.getScale(address));
      return;
    }
    if (verb === 'update') {
      const body = await parseBody(req, req.headers['content-type'] ?? '');
      sendJson(res, 200, this.context.api.updateScale(address, body, options));
      return;
    }
    const contentType = mediaTypeOf(req);
    if (
      contentType !== patchContentTypes.json &&
      contentType !== patchContentTypes.merge &&
      contentType !== patchContentTypes.strategic
    ) {
      throw errors.unsupportedMediaType(contentType);
    }
    const patch = await parseBody(req, contentType);
    sendJson(
      res,
      200,
      this.context.api.patchScale(address, contentType, patch, options),
    );
  }

  /**
   * As the real server: an object that still exists (finalizers, a
   * terminating namespace) and pods come back as the object; other
   * immediate deletions answer a Success Status.
   */
  private sendDeleted(
    res: ServerResponse,
    type: ResourceType,
    result: { deleted: boolean; object: KubeObject },
  ) {
    if (!result.deleted || (type.group === '' && type.plural === 'pods')) {
      sendJson(res, 200, result.object);
      return;
    }
    sendJson(res, 200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: result.object.metadata.name,
        group: type.group || undefined,
        kind: type.plural,
        uid: result.object.metadata.uid,
      },
    });
  }

  private selection(
    type: ResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
  ) {
    const labelSelector = parseLabelSelector(query.get('labelSelector') ?? '');
    const fieldSelector = parseFieldSelector(
      query.get('fieldSelector') ?? '',
      type.selectableFields,
    );
    const namespaceRequirement = fieldSelector.requirements.find(
      r => r.field === 'metadata.namespace' && r.equal,
    );
    const scope =
      namespace || (type.namespaced ? namespaceRequirement?.value : undefined);
    const equalities = labelSelector.requirements.flatMap(r =>
      r.operator === 'In' && r.values.length === 1
        ? [[r.key, r.values[0]] as [string, string]]
        : [],
    );
    const objects = this.context.store
      .withLabels(type, scope, equalities)
      .filter(
        s =>
          labelSelector.matches(s.object.metadata.labels) &&
          fieldSelector.matches(s.object),
      );
    return { labelSelector, fieldSelector, objects };
  }

  private list(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
  ) {
    let { objects } = this.selection(type, namespace, query);
    let revision = this.context.store.currentRevision();
    const limitParam = query.get('limit');
    const limit = limitParam ? Number(limitParam) : 0;
    if (limitParam && (!Number.isInteger(limit) || limit < 0)) {
      throw errors.badRequest(
        `limit: Invalid value: "${limitParam}": must be a non-negative integer`,
      );
    }
    const continueToken = query.get('continue');
    if (continueToken) {
      let token: { rv: number; start: [string, string] };
      try {
        token = JSON.parse(
          Buffer.from(continueToken, 'base64url').toString('utf8'),
        );
        if (
          typeof token.rv !== 'number' ||
          !Array.isArray(token.start) ||
          token.start.length !== 2 ||
          !token.start.every(part => typeof part === 'string')
        ) {
          throw new Error('malformed');
        }
      } catch {
        throw errors.badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
      if (token.rv < this.context.store.oldestWatchableRevision(type)) {
        throw errors.expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      // Simplified: pages after the first come from the current state, not a snapshot at token.rv.
      objects = objects.filter(s => compareKey(s, ...token.start) > 0);
      revision = token.rv;
    }
    let continueValue: string | undefined;
    let remaining: number | undefined;
    if (limit > 0 && objects.length > limit) {
      remaining = objects.length - limit;
      objects = objects.slice(0, limit);
      continueValue = Buffer.from(
        JSON.stringify({
          rv: revision,
          start: [
            objects[objects.length - 1].object.metadata.namespace ?? '',
            objects[objects.length - 1].object.metadata.name,
          ],
        }),
      ).toString('base64url');
    }
    const metadata = JSON.stringify({
      resourceVersion: String(revision),
      ...(continueValue
        ? { continue: continueValue, remainingItemCount: remaining }
        : {}),
    });
    const items = objects.map(s => serveAs(type, s)).join(',');
    sendJson(
      res,
      200,
      `{"kind":"${type.kind}List","apiVersion":"${apiVersionOf(
        type,
      )}","metadata":${metadata},"items":[${items}]}`,
    );
  }

  private watch(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
  ) {
    const resourceVersion = query.get('resourceVersion') ?? '';
    if (resourceVersion !== '' && !/^\d+$/.test(resourceVersion)) {
      throw errors.badRequest(
        `resourceVersion: Invalid value: "${resourceVersion}": must be an integer`,
      );
    }
    const timeoutParam = query.get('timeoutSeconds');
    let timeoutSeconds = this.context.defaultWatchTimeoutSeconds;
    if (timeoutParam !== null) {
      timeoutSeconds = Number(timeoutParam);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) {
        throw errors.badRequest(
          `timeoutSeconds: Invalid value: "${timeoutParam}": must be a non-negative number`,
        );
      }
    }
    const allowWatchBookmarks = query.get('allowWatchBookmarks') === 'true';
    const sendInitialEvents = query.get('sendInitialEvents') === 'true';
    if (sendInitialEvents) {
      // The real server's validation of a WatchList request.
      if (query.get('resourceVersionMatch') !== 'NotOlderThan') {
        throw errors.invalid(type, '', [
          {
            field: 'resourceVersionMatch',
            message: `Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan`,
            reason: 'FieldValueForbidden',
          },
        ]);
      }
      if (!allowWatchBookmarks) {
        throw errors.invalid(type, '', [
          {
            field: 'allowWatchBookmarks',
            message:
              'Forbidden: sendInitialEvents requires allowWatchBookmarks=true',
            reason: 'FieldValueForbidden',
          },
        ]);
      }
    }
    const stream = new WatchStream(
      res,
      this.context.store,
      {
        type,
        namespace: namespace || undefined,
        labelSelector: parseLabelSelector(query.get('labelSelector') ?? ''),
        fieldSelector: parseFieldSelector(
          query.get('fieldSelector') ?? '',
          type.selectableFields,
        ),
        resourceVersion,
        allowWatchBookmarks,
        sendInitialEvents,
        timeoutSeconds,
        bookmarkIntervalMs: this.context.bookmarkIntervalMs ?? 1000,
      },
      closed => this.context.watches.delete(closed),
    );
    this.context.watches.add(stream);
    stream.start();
  }

  private deleteCollection(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
    dryRun: boolean,
  ) {
    const { objects } = this.selection(type, namespace, query);
    const deleted: KubeObject[] = [];
    for (const stored of objects) {
      const result = this.context.api.delete(
        {
          type,
          namespace: stored.object.metadata.namespace ?? '',
          name: stored.object.metadata.name!,
        },
        { dryRun },
      );
      deleted.push(result.object);
    }
    sendJson(res, 200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: {
        resourceVersion: String(this.context.store.currentRevision()),
      },
      items: deleted,
    });
  }
}

/**
 * What the request log and fault matchers see, as the API server's
 * request-info resolver: discovery, a resource request's attributes and
 * verb, or the lower-case HTTP method for anything else.
 */
function requestInfo(
  method: string,
  url: URL,
  parsed: ParsedPath,
  grant: TokenGrant | undefined,
): RequestInfo {
  const info: RequestInfo = {
    method,
    path: url.pathname,
    verb: method.toLowerCase(),
    user: grant?.user,
  };
  if (parsed.kind === 'resource') {
    Object.assign(info, {
      group: parsed.group,
      version: parsed.version,
      resource: parsed.plural,
      subresource: parsed.subresource,
      namespace: parsed.namespace,
      name: parsed.name,
    });
    info.verb = resourceVerb(method, parsed, url.searchParams);
  } else if (parsed.kind !== 'unknown' && parsed.kind !== 'health') {
    info.verb = 'discovery';
  }
  return info;
}

/** The Kubernetes verb of a request for a resource; the lower-case method when none fits. */
function resourceVerb(
  method: string,
  parsed: ResourcePath,
  query: URLSearchParams,
): string {
  const isWatch =
    parsed.watchPrefix ||
    query.get('watch') === 'true' ||
    query.get('watch') === '1';
  switch (method) {
    case 'GET':
      if (isWatch) return 'watch';
      return parsed.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return parsed.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, which needs no RBAC rule. */
function isSelfSubjectAccessReview(parsed: ResourcePath): boolean {
  return (
    parsed.group === 'authorization.k8s.io' &&
    parsed.plural === 'selfsubjectaccessreviews' &&
    parsed.name === undefined
  );
}

/** The subresources this server implements, for the types that have them. */
function servesSubresource(type: ResourceType, subresource: string): boolean {
  const isCore = (plural: string) =>
    type.group === '' && type.plural === plural;
  switch (subresource) {
    case 'status':
      return Boolean(type.statusSubresource) || type.plural === 'namespaces';
    case 'finalize':
      return isCore('namespaces');
    case 'scale':
      return Boolean(type.scale);
    case 'log':
      return isCore('pods');
    default:
      return false;
  }
}

function subresourceVerbs(subresource: string): string[] {
  return subresource === 'log' ? ['get'] : ['get', 'update', 'patch'];
}

/** RBAC: 403 unless the caller's rules allow the verb (a namespace object counts as inside itself). */
function authorize(
  grant: TokenGrant,
  verb: string,
  type: ResourceType,
  parsed: ResourcePath,
) {
  const allowed = isAllowed(grant, {
    verb,
    group: type.group,
    resource: type.plural,
    subresource: parsed.subresource,
    namespace:
      parsed.namespace ??
      (type.plural === 'namespaces' ? parsed.name : undefined),
  });
  if (!allowed) {
    throw errors.forbidden(
      grant.user,
      verb,
      type,
      parsed.namespace,
      parsed.name,
      parsed.subresource,
    );
  }
}

/** The `fieldManager` parameter, or as the real server the client's user agent up to the first "/". */
function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
  const fieldManager =
    query.get('fieldManager') ??
    (req.headers['user-agent'] ?? 'unknown').split('/')[0];
  if (fieldManager.length > 128) {
    throw errors.badRequest(
      'fieldManager: Too long: may not be longer than 128 characters',
    );
  }
  return fieldManager;
}

/** The request's Content-Type without parameters (`; charset=utf-8`). */
function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim();
}
