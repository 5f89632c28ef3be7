import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { isAllowed, TokenGrant } from './auth';
import {
  apiGroupList,
  apiGroupOf,
  apiResourceList,
  coreApiVersions,
} from './discovery';
import { FaultInjector } from './faults';
import { createKubeConfig } from './kubeConfig';
import { ObjectAddress, ObjectApi } from './ObjectApi';
import { KubeObject, ObjectStore, StoredObject } from './ObjectStore';
import { patchContentTypes } from './patches';
import { parsePath } from './paths';
import { RequestInfo, RequestLog } from './requests';
import {
  apiVersionOf,
  defaultResourceTypes,
  ResourceType,
} from './resourceTypes';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError, errors } from './status';
import { TestServerObjects } from './TestServerObjects';
import { selfSignedCertificate, TlsCertificate } from './tls';
import { serveAs, WatchStream } from './watch';

/** @public */
export interface KubernetesTestServerOptions {
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Host to listen on; default `127.0.0.1`. */
  host?: string;
  /** Types to serve; default `defaultResourceTypes`. Custom (non-builtin) types get a CRD object. */
  resourceTypes?: ResourceType[];
  /** Namespaces that exist at start; default `default`, `kube-system`, `kube-public`, `kube-node-lease`. */
  namespaces?: string[];
  /** Objects stored at start (status included), e.g. a benchmark's seed. */
  objects?: KubeObject[];
  /** The cluster-admin token; default a random one (see `adminToken`). */
  adminToken?: string;
  /** More bearer tokens and what each may do. */
  tokens?: Record<string, TokenGrant>;
  /** Let requests without a token in, as cluster-admin (`system:anonymous`). Default false. */
  allowAnonymous?: boolean;
  /**
   * Watch events retained per resource; a watch from an older
   * resourceVersion gets 410 Expired. Default 10,000.
   */
  historyLimit?: number;
  /** How often watches with `allowWatchBookmarks` get a BOOKMARK; default 1,000 ms (the real server: about a minute). */
  bookmarkIntervalMs?: number;
  /**
   * Watch duration when the client gives no `timeoutSeconds`; default none
   * (the real server picks 30–60 minutes).
   */
  defaultWatchTimeoutSeconds?: number;
  /** Requests kept in `requests` (the oldest are dropped first); default 100,000. */
  requestLogLimit?: number;
  /**
   * Serve HTTPS: `'self-signed'` generates a certificate for the host (and
   * kubeConfig() trusts it through certificate-authority-data), or give a key
   * and a self-signed certificate. Default plain HTTP.
   */
  tls?: TlsCertificate | 'self-signed';
}

const maxBodyBytes = 3 * 1024 * 1024;

/**
 * A Kubernetes API server in one process, for tests, benchmarks and the
 * sandbox. `@kubernetes/client-node` (or kubectl) talks to it as to a real
 * cluster; see README.md for the conventions it follows and what it
 * simplifies.
 *
 * @public
 */
export class KubernetesTestServer {
  /** Start a server; resolves once it listens. */
  static async start(options: KubernetesTestServerOptions = {}) {
    const tls =
      options.tls === 'self-signed'
        ? await selfSignedCertificate(options.host ?? '127.0.0.1')
        : options.tls;
    const server = new KubernetesTestServer(options, tls);
    await server.listen(options.port ?? 0);
    return server;
  }

  /** The token with every permission. */
  readonly adminToken: string;
  /** Every request received, for counting. */
  readonly requests: RequestLog;
  /** Fault injection. */
  readonly faults: FaultInjector;
  /** Objects, programmatically: seed and play controllers without HTTP. */
  readonly objects: TestServerObjects;

  private readonly store: ObjectStore;
  private readonly registry = new ResourceTypeRegistry();
  private readonly api: ObjectApi;
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly watches = new Set<WatchStream>();
  private readonly sockets = new Set<Socket>();
  private readonly httpServer: http.Server;
  private readonly host: string;
  private port = 0;

  private constructor(
    private readonly options: KubernetesTestServerOptions,
    private readonly tls?: TlsCertificate,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.requests = new RequestLog(options.requestLogLimit);
    this.store = new ObjectStore(options.historyLimit ?? 10_000);
    this.api = new ObjectApi(this.store, this.registry);
    this.adminToken = options.adminToken ?? randomBytes(16).toString('hex');
    this.tokens.set(this.adminToken, { user: 'admin' });
    for (const [token, grant] of Object.entries(options.tokens ?? {})) {
      this.tokens.set(token, grant);
    }
    const types = options.resourceTypes ?? defaultResourceTypes;
    // Builtins first: CRD-backed types are registered by storing their CRD objects.
    for (const type of types.filter(t => t.builtin))
      this.api.addResourceType(type);
    for (const required of ['namespaces', 'customresourcedefinitions']) {
      if (!this.registry.all().some(t => t.plural === required)) {
        const type = defaultResourceTypes.find(t => t.plural === required)!;
        this.api.addResourceType(type);
      }
    }
    for (const type of types.filter(t => !t.builtin))
      this.api.addResourceType(type);
    for (const name of options.namespaces ?? [
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ]) {
      this.api.create(this.api.namespaceType(), '', { metadata: { name } });
    }
    for (const object of options.objects ?? []) this.api.put(object);
    this.objects = new TestServerObjects(this.api, this.store, this.registry);
    this.faults = new FaultInjector({
      dropWatches: () => {
        const open = [...this.watches];
        open.forEach(w => w.destroy());
        return open.length;
      },
      expireWatches: () => {
        const open = [...this.watches];
        const floor = this.store.currentRevision();
        open.forEach(w => w.expire(floor));
        return open.length;
      },
      compact: () => this.store.compact(),
      stopListening: () => this.stopListening(),
      startListening: () => this.listen(this.port),
    });
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch(e => this.sendError(res, e));
    };
    this.httpServer = tls
      ? https.createServer({ key: tls.key, cert: tls.cert }, handler)
      : http.createServer(handler);
    this.httpServer.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The server URL, e.g. `http://127.0.0.1:36443`. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${this.tls ? 'https' : 'http'}://${host}:${this.port}`;
  }

  /** A KubeConfig for this server (admin token unless another is given). */
  kubeConfig(options: { token?: string; namespace?: string } = {}): KubeConfig {
    return createKubeConfig({
      server: this.url,
      token: options.token ?? this.adminToken,
      namespace: options.namespace,
      ...(this.tls
        ? { caData: this.tls.cert, skipTLSVerify: false }
        : // client-node 1.x refuses plain http:// unless TLS verification is "skipped".
          { skipTLSVerify: true }),
    });
  }

  /** The PEM certificate clients must trust, when serving HTTPS. */
  get certificate(): string | undefined {
    return this.tls?.cert;
  }

  /** Allow another bearer token (or change what it may do). */
  addToken(token: string, grant: TokenGrant) {
    this.tokens.set(token, grant);
  }

  /** Serve another type at runtime; discovery changes as when a CRD is installed. */
  addResourceType(type: ResourceType) {
    this.api.addResourceType(type);
  }

  /** The types served now. */
  resourceTypes(): ResourceType[] {
    return this.registry.all();
  }

  /** Stop: end watches, close connections. */
  async close() {
    for (const watch of [...this.watches]) watch.close();
    await this.stopListening();
  }

  private listen(port: number) {
    return new Promise<void>((resolve, reject) => {
      this.httpServer.once('error', reject);
      this.httpServer.listen(port, this.host, () => {
        this.httpServer.off('error', reject);
        this.port = (this.httpServer.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private stopListening() {
    return new Promise<void>(resolve => {
      for (const watch of [...this.watches]) watch.destroy();
      this.httpServer.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.httpServer.closeAllConnections?.();
    });
  }

  private sendJson(res: ServerResponse, code: number, body: unknown | string) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private sendError(res: ServerResponse, e: unknown) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const error =
      e instanceof ApiError
        ? e
        : errors.internal((e as Error)?.message ?? String(e));
    this.sendJson(res, error.code, error.toStatus());
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > maxBodyBytes) {
        throw new ApiError(
          413,
          'RequestEntityTooLarge',
          'Request entity too large: limit is 3145728',
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private async parseBody(
    req: IncomingMessage,
    contentType: string,
  ): Promise<unknown> {
    const text = await this.readBody(req);
    if (!text.trim()) return undefined;
    try {
      if (contentType.includes('yaml')) return parseYaml(text);
      return JSON.parse(text);
    } catch (e) {
      throw errors.badRequest(
        `the body of the request could not be decoded as ${
          contentType.includes('yaml') ? 'YAML' : 'JSON'
        }: ${(e as Error).message.split('\n')[0]}`,
      );
    }
  }

  private authenticate(req: IncomingMessage): TokenGrant | undefined {
    const header = req.headers.authorization;
    if (!header) {
      return this.options.allowAnonymous
        ? { user: 'system:anonymous' }
        : undefined;
    }
    const m = header.match(/^Bearer\s+(\S+)$/i);
    return m ? this.tokens.get(m[1]) : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = url.searchParams;
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = parsePath(url.pathname);
    const grant = this.authenticate(req);

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
    this.requests.record(info);

    const latency = this.faults.latencyFor(info);
    if (latency > 0) await new Promise(resolve => setTimeout(resolve, latency));
    const failure = this.faults.failureFor(info);
    if (failure) throw failure;

    if (parsed.kind === 'health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parsed.kind === 'discovery' && parsed.what === 'version') {
      this.sendJson(res, 200, {
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
        this.sendJson(
          res,
          200,
          parsed.what === 'api'
            ? coreApiVersions(`${this.host}:${this.port}`)
            : apiGroupList(this.registry),
        );
        return;
      case 'group': {
        const group = apiGroupOf(this.registry, parsed.group);
        if (!group) throw errors.noRoute();
        this.sendJson(res, 200, group);
        return;
      }
      case 'groupVersion': {
        const list = apiResourceList(
          this.registry,
          parsed.group,
          parsed.version,
        );
        if (!list) throw errors.noRoute();
        this.sendJson(res, 200, list);
        return;
      }
      default:
    }

    const type = this.registry.find(
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
      !(subresource === 'scale' && type.scale)
    ) {
      throw errors.noRoute();
    }
    if (
      subresource !== undefined &&
      !['get', 'update', 'patch'].includes(info.verb)
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
          const body = await this.parseBody(
            req,
            req.headers['content-type'] ?? '',
          );
          const created = this.api.create(type, namespace ?? '', body ?? {}, {
            dryRun,
            fieldManager,
          });
          this.sendJson(res, 201, serveAs(type, created));
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
    if (subresource === 'scale') {
      await this.handleScale(req, res, info.verb, address, {
        dryRun,
        fieldManager,
      });
      return;
    }
    switch (info.verb) {
      case 'get':
        this.sendJson(res, 200, serveAs(type, this.api.get(address)));
        return;
      case 'watch': {
        // GET /.../<name>?watch=true: a watch of one object.
        query.set('fieldSelector', `metadata.name=${parsed.name}`);
        this.watch(res, type, namespace, query);
        return;
      }
      case 'update': {
        const body = await this.parseBody(
          req,
          req.headers['content-type'] ?? '',
        );
        const updated = this.api.update(address, body ?? {}, {
          dryRun,
          fieldManager,
          subresource: subresource === 'finalize' ? undefined : subresource,
        });
        this.sendJson(res, 200, serveAs(type, updated));
        return;
      }
      case 'patch': {
        const contentType = (req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        if (!Object.values(patchContentTypes).includes(contentType as any)) {
          throw errors.unsupportedMediaType(contentType);
        }
        const body = await this.parseBody(req, contentType);
        if (contentType === patchContentTypes.apply) {
          const existed = Boolean(
            this.store.get(type, address.namespace, address.name),
          );
          const force = query.get('force');
          if (force !== null && force !== 'true' && force !== 'false') {
            throw errors.badRequest(
              `force: Invalid value: "${force}": must be true or false`,
            );
          }
          const applied = this.api.apply(address, body, {
            dryRun,
            fieldManager: query.get('fieldManager') ?? undefined,
            force: force === 'true',
            subresource,
          });
          this.sendJson(res, existed ? 200 : 201, serveAs(type, applied));
          return;
        }
        if (query.get('force') !== null) {
          throw errors.badRequest(
            'force: Forbidden: may not be specified for non-apply patch',
          );
        }
        const patched = this.api.patch(address, contentType, body, {
          dryRun,
          fieldManager,
          subresource,
        });
        this.sendJson(res, 200, serveAs(type, patched));
        return;
      }
      case 'delete': {
        const body = (await this.parseBody(req, 'application/json')) as any;
        const result = this.api.delete(address, {
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

  private async handleScale(
    req: IncomingMessage,
    res: ServerResponse,
    verb: string,
    address: ObjectAddress,
    options: { dryRun: boolean; fieldManager: string },
  ) {
    if (verb === 'get') {
      this.sendJson(res, 200, this.api.getScale(address));
      return;
    }
    if (verb === 'update') {
      const body = await this.parseBody(req, req.headers['content-type'] ?? '');
      this.sendJson(res, 200, this.api.updateScale(address, body, options));
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
    const patch = await this.parseBody(req, contentType);
    this.sendJson(
      res,
      200,
      this.api.patchScale(address, contentType, patch, options),
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
      this.sendJson(res, 200, result.object);
      return;
    }
    this.sendJson(res, 200, {
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
    const objects = this.store
      .list(type, scope)
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
    let revision = this.store.currentRevision();
    const limitParam = query.get('limit');
    const limit = limitParam ? Number(limitParam) : 0;
    if (limitParam && (!Number.isInteger(limit) || limit < 0)) {
      throw errors.badRequest(
        `limit: Invalid value: "${limitParam}": must be a non-negative integer`,
      );
    }
    const continueToken = query.get('continue');
    if (continueToken) {
      let token: { rv: number; start: string };
      try {
        token = JSON.parse(
          Buffer.from(continueToken, 'base64url').toString('utf8'),
        );
        if (typeof token.rv !== 'number' || typeof token.start !== 'string')
          throw new Error();
      } catch {
        throw errors.badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
      if (token.rv < this.store.oldestWatchableRevision(type)) {
        throw errors.expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      // Simplified: pages after the first come from the current state, not a snapshot at token.rv.
      objects = objects.filter(s => keyOf(s) > token.start);
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
          start: keyOf(objects[objects.length - 1]),
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
    this.sendJson(
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
    let timeoutSeconds = this.options.defaultWatchTimeoutSeconds;
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
      this.store,
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
        bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 1000,
      },
      closed => this.watches.delete(closed),
    );
    this.watches.add(stream);
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
      const result = this.api.delete(
        {
          type,
          namespace: stored.object.metadata.namespace ?? '',
          name: stored.object.metadata.name!,
        },
        { dryRun },
      );
      deleted.push(result.object);
    }
    this.sendJson(res, 200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(this.store.currentRevision()) },
      items: deleted,
    });
  }
}

function keyOf(stored: StoredObject) {
  return `${stored.object.metadata.namespace ?? ''}/${
    stored.object.metadata.name
  }`;
}
