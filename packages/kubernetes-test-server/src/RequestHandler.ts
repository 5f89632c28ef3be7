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
import { parsePath } from './paths';
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
}

/**
 * One request, the way the API server treats it: request info (verb,
 * resource, namespace, name), counting, injected faults, authentication,
 * RBAC, then discovery or the resource handlers.
 */
export class RequestHandler {
  constructor(private readonly context: RequestHandlerContext) {}

  async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = url.searchParams;
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = parsePath(url.pathname);
    const grant = this.context.authenticate(req);

    const info: RequestInfo = {
      method,
      path: url.pathname,
      verb: method.toLowerCase(),
      user: grant?.user,
    };
    if (parsed.kind === 'resource') {
      const isWatch =
        parsed.watchPrefix ||
        query.get('watch') === 'true' ||
        query.get('watch') === '1';
      Object.assign(info, {
        group: parsed.group,
        version: parsed.version,
        resource: parsed.plural,
        subresource: parsed.subresource,
        namespace: parsed.namespace,
        name: parsed.name,
      });
      if (method === 'GET') {
        if (isWatch) info.verb = 'watch';
        else info.verb = parsed.name ? 'get' : 'list';
      } else if (method === 'POST') info.verb = 'create';
      else if (method === 'PUT') info.verb = 'update';
      else if (method === 'PATCH') info.verb = 'patch';
      else if (method === 'DELETE')
        info.verb = parsed.name ? 'delete' : 'deletecollection';
    } else if (parsed.kind !== 'unknown' && parsed.kind !== 'health') {
      info.verb = 'discovery';
    }
    this.context.requests.record(info);

    const latency = this.context.faults.latencyFor(info);
    if (latency > 0) await new Promise(resolve => setTimeout(resolve, latency));
    const failure = this.context.faults.failureFor(info);
    if (failure) throw failure;

    if (parsed.kind === 'health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parsed.kind === 'discovery' && parsed.what === 'version') {
      sendJson(res, 200, {
        major: '1',
        minor: '33',
        gitVersion: 'v1.33.0-cellplane-test',
        platform: 'linux/amd64',
      });
      return;
    }
    if (!grant) throw errors.unauthorized();
    if (parsed.kind === 'unknown') throw errors.noRoute();
    if (method !== 'GET' && parsed.kind !== 'resource') {
      throw errors.methodNotAllowed(method);
    }
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

    if (
      parsed.group === 'authorization.k8s.io' &&
      parsed.plural === 'selfsubjectaccessreviews' &&
      parsed.name === undefined
    ) {
      if (method !== 'POST') throw errors.methodNotAllowed(method);
      await this.selfSubjectAccessReview(req, res, grant);
      return;
    }

    const type = this.context.registry.find(
      parsed.group,
      parsed.version,
      parsed.plural,
    );
    if (!type) throw errors.noRoute();
    if (parsed.namespace !== undefined && !type.namespaced)
      throw errors.noRoute();
    if (
      parsed.name !== undefined &&
      type.namespaced &&
      parsed.namespace === undefined
    ) {
      throw errors.noRoute();
    }
    const subresource = parsed.subresource;
    if (
      subresource !== undefined &&
      !(
        subresource === 'status' &&
        (type.statusSubresource || type.plural === 'namespaces')
      ) &&
      !(
        subresource === 'finalize' &&
        type.plural === 'namespaces' &&
        type.group === ''
      ) &&
      !(subresource === 'scale' && type.scale) &&
      !(subresource === 'log' && type.plural === 'pods' && type.group === '')
    ) {
      throw errors.noRoute();
    }
    if (
      subresource !== undefined &&
      !(subresource === 'log' ? ['get'] : ['get', 'update', 'patch']).includes(
        info.verb,
      )
    ) {
      throw errors.methodNotAllowed(method);
    }
    if (
      !isAllowed(grant, {
        verb: info.verb,
        group: type.group,
        resource: type.plural,
        subresource,
        namespace:
          parsed.namespace ??
          (type.plural === 'namespaces' ? parsed.name : undefined),
      })
    ) {
      throw errors.forbidden(
        grant.user,
        info.verb,
        type,
        parsed.namespace,
        parsed.name,
        subresource,
      );
    }

    const namespace = type.namespaced ? parsed.namespace : '';
    const dryRun = query.get('dryRun') === 'All';
    const fieldManager =
      query.get('fieldManager') ??
      // As the real server: the default manager is the client's user agent up to the first "/".
      (req.headers['user-agent'] ?? 'unknown').split('/')[0];
    if (fieldManager.length > 128) {
      throw errors.badRequest(
        'fieldManager: Too long: may not be longer than 128 characters',
      );
    }

    if (parsed.name === undefined) {
      switch (info.verb) {
        case 'list':
          this.list(res, type, namespace, query);
          return;
        case 'watch':
          this.watch(res, type, namespace, query);
          return;
        case 'create': {
          const body = await parseBody(req, req.headers['content-type'] ?? '');
          const created = this.context.api.create(
            type,
            namespace ?? '',
            body ?? {},
            {
              dryRun,
              fieldManager,
            },
          );
          sendJson(res, 201, serveAs(type, created));
          return;
        }
        case 'deletecollection':
          this.deleteCollection(res, type, namespace, query, dryRun);
          return;
        default:
          throw errors.methodNotAllowed(method);
      }
    }

    const address = { type, namespace: namespace ?? '', name: parsed.name };
    if (subresource === 'log') {
      this.podLog(res, address, query);
      return;
    }
    if (subresource === 'scale') {
      await this.handleScale(req, res, info.verb, address, {
        dryRun,
        fieldManager,
      });
      return;
    }
    switch (info.verb) {
      case 'get':
        sendJson(res, 200, serveAs(type, this.context.api.get(address)));
        return;
      case 'watch': {
        // GET /.../<name>?watch=true: a watch of one object.
        query.set('fieldSelector', `metadata.name=${parsed.name}`);
        this.watch(res, type, namespace, query);
        return;
      }
      case 'update': {
        const body = await parseBody(req, req.headers['content-type'] ?? '');
        const updated = this.context.api.update(address, body ?? {}, {
          dryRun,
          fieldManager,
          subresource: subresource === 'finalize' ? undefined : subresource,
        });
        sendJson(res, 200, serveAs(type, updated));
        return;
      }
      case 'patch': {
        const contentType = (req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        if (!Object.values(patchContentTypes).includes(contentType as any)) {
          throw errors.unsupportedMediaType(contentType);
        }
        const body = await parseBody(req, contentType);
        if (contentType === patchContentTypes.apply) {
          const existed = Boolean(
            this.context.store.get(type, address.namespace, address.name),
          );
          const force = query.get('force');
          if (force !== null && force !== 'true' && force !== 'false') {
            throw errors.badRequest(
              `force: Invalid value: "${force}": must be true or false`,
            );
          }
          const applied = this.context.api.apply(address, body, {
            dryRun,
            fieldManager: query.get('fieldManager') ?? undefined,
            force: force === 'true',
            subresource,
          });
          sendJson(res, existed ? 200 : 201, serveAs(type, applied));
          return;
        }
        if (query.get('force') !== null) {
          throw errors.badRequest(
            'force: Forbidden: may not be specified for non-apply patch',
          );
        }
        const patched = this.context.api.patch(address, contentType, body, {
          dryRun,
          fieldManager,
          subresource,
        });
        sendJson(res, 200, serveAs(type, patched));
        return;
      }
      case 'delete': {
        const body = (await parseBody(req, 'application/json')) as any;
        const result = this.context.api.delete(address, {
          dryRun,
          preconditions: body?.preconditions,
        });
        this.sendDeleted(res, type, result);
        return;
      }
      default:
        throw errors.methodNotAllowed(method);
    }
  }

  /** `GET pods/<name>/log`: plain text, with the container checks the real server makes. */
  private podLog(
    res: ServerResponse,
    address: ObjectAddress,
    query: URLSearchParams,
  ) {
    const pod = this.context.api.get(address).object as KubeObject & {
      spec?: any;
    };
    const containers: string[] = (pod.spec?.containers ?? []).map(
      (c: { name: string }) => c.name,
    );
    let container = query.get('container') ?? undefined;
    if (container === undefined) {
      if (containers.length !== 1) {
        throw errors.badRequest(
          `a container name must be specified for pod ${address.name}, choose one of: [${containers.join(' ')}]`,
        );
      }
      container = containers[0];
    } else if (!containers.includes(container)) {
      throw errors.badRequest(
        `container ${container} is not valid for pod ${address.name}`,
      );
    }
    const text = this.context.podLogs(pod, container);
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
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
    const contentType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
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
