import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { TokenGrant } from './auth';
import { FaultInjector } from './faults';
import { sendError } from './http';
import { createKubeConfig } from './kubeConfig';
import { ObjectApi } from './ObjectApi';
import { KubeObject, ObjectStore } from './ObjectStore';
import { PodLogs } from './PodLogs';
import { RequestHandler } from './RequestHandler';
import { RequestLog } from './requests';
import { defaultResourceTypes, ResourceType } from './resourceTypes';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';
import { TestServerObjects } from './TestServerObjects';
import { selfSignedCertificate, TlsCertificate } from './tls';
import { WatchStream } from './watch';

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
  /**
   * What `GET .../pods/<name>/log?container=` answers for a pod (no container runs here, so the
   * text is whatever the caller makes up). Default: nothing (an empty log).
   */
  podLogs?: (pod: KubeObject, container: string) => string;
  /** Lines kept per container instance in `logs` (the oldest go first, as after a log rotation); default 10,000. */
  maxLogLinesPerContainer?: number;
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
  /**
   * What pods' containers write, for `GET .../pods/<name>/log`: play the kubelet with
   * `logs.append(namespace, pod, container, line)` and `logs.restart(namespace, pod, container)`.
   */
  readonly logs: PodLogs;

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
    // As the real server: watches of a resource whose CRD is deleted end.
    this.api.onResourceRemoved = (group, plural) => {
      for (const watch of [...this.watches]) {
        if (watch.watches(group, plural)) watch.close();
      }
    };
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
    this.logs = this.podLogStore();
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
    const requestHandler = new RequestHandler({
      store: this.store,
      registry: this.registry,
      api: this.api,
      requests: this.requests,
      faults: this.faults,
      watches: this.watches,
      authenticate: req => this.authenticate(req),
      serverAddress: () => `${this.host}:${this.port}`,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
      podLogs: options.podLogs ?? (() => ''),
      logs: this.logs,
      defaultWatchTimeoutSeconds: options.defaultWatchTimeoutSeconds,
    });
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      requestHandler.handle(req, res).catch(e => sendError(res, e));
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

  /** Stop: end watches and log follows, close connections. */
  async close() {
    for (const watch of [...this.watches]) watch.close();
    this.logs.endAll();
    await this.stopListening();
  }

  /** Pod logs live as long as their pod: a deletion ends its follows and drops its lines. */
  private podLogStore(): PodLogs {
    const podType = this.registry.find('', 'v1', 'pods');
    const logs = new PodLogs(
      (namespace, pod) => Boolean(podType && this.store.get(podType, namespace, pod)),
      this.options.maxLogLinesPerContainer,
    );
    if (podType) {
      this.store.subscribe(podType, event => {
        if (event.type !== 'DELETED') return;
        const { namespace = '', name } = event.object.object.metadata;
        logs.podDeleted(namespace, name!);
      });
    }
    return logs;
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
}
