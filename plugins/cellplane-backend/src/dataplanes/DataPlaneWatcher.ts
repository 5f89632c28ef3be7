import { LoggerService } from '@backstage/backend-plugin-api';
import { ObservedObject } from '@cellplane/backstage-plugin-common';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import { DataPlaneConnection } from '@cellplane/backstage-plugin-node';
import { ObservedObjectStore, StatusScope } from './ObservedObjectStore';
import { WATCHED_RESOURCES, WatchedResource } from './watchedResources';

/** Whether a data plane's watches hold the truth right now, and if not, why. @public */
export interface DataPlaneAvailability {
  available: boolean;
  reason?: string;
}

/** @public */
export interface DataPlaneWatcherOptions {
  connection: DataPlaneConnection;
  logger: LoggerService;
  /** Called with the statuses a change may affect; `undefined` means every status of the plane. */
  onChange(scopes: StatusScope[] | undefined): void;
  /** Backoff after errors, in ms (default 250 → 30 000, doubling, with jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** How often discovery looks again for CRDs installed since (default 5 minutes). */
  rediscoverMs?: number;
}

/**
 * Asks the API server for bookmarks on every watch: on a quiet resource they keep the
 * resourceVersion fresh, so a reconnect resumes instead of relisting (410 Gone).
 */
class BookmarkingWatch extends Watch {
  watch(path: string, queryParams: Record<string, any>, callback: any, done: any) {
    return super.watch(path, { ...queryParams, allowWatchBookmarks: true }, callback, done);
  }
}

interface ResourceWatch {
  lastError?: string;
  resource: WatchedResource;
  informer?: ListWatch<KubernetesObject>;
  /** True once a list succeeded and no error happened since. */
  healthy: boolean;
  failures: number;
  timer?: NodeJS.Timeout;
}

/**
 * Watches one data plane: discovers which of the watched kinds exist, then keeps one
 * @kubernetes/client-node informer (ListWatch: list, then watch from its resourceVersion;
 * relist on 410 Gone) per kind, and restarts a failed informer with exponential backoff. The
 * objects land in an ObservedObjectStore; nothing is ever polled.
 *
 * @public
 */
export class DataPlaneWatcher {
  readonly store = new ObservedObjectStore();
  private readonly objectApi: KubernetesObjectApi;
  private readonly coreApi: CoreV1Api;
  private readonly customApi: CustomObjectsApi;
  private readonly watch: Watch;
  private readonly resourceWatches = new Map<string, ResourceWatch>();
  private discoveryFailures = 0;
  private discoveryTimer?: NodeJS.Timeout;
  private stopped = true;
  private discoveryError?: string;

  constructor(private readonly options: DataPlaneWatcherOptions) {
    const kubeConfig: KubeConfig = options.connection.kubeConfig;
    this.objectApi = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.coreApi = kubeConfig.makeApiClient(CoreV1Api);
    this.customApi = kubeConfig.makeApiClient(CustomObjectsApi);
    this.watch = new BookmarkingWatch(kubeConfig);
  }

  get name(): string {
    return this.options.connection.name;
  }

  get sandbox(): boolean {
    return this.options.connection.sandbox;
  }

  availability(): DataPlaneAvailability {
    if (this.discoveryError) return { available: false, reason: this.describe(this.discoveryError) };
    if (this.resourceWatches.size === 0) return { available: false, reason: `connecting to data plane ${this.name}` };
    for (const watch of this.resourceWatches.values()) {
      if (!watch.healthy && !watch.resource.optional) {
        return { available: false, reason: this.describe(watch.lastError ?? `listing ${watch.resource.kind}s`) };
      }
    }
    return { available: true };
  }

  /** Whether this plane's watches see objects of a kind (it is watched and the API serves it). */
  watches(apiVersion: string, kind: string): boolean {
    return this.resourceWatches.get(kind)?.resource.apiVersion === apiVersion;
  }

  /** Which kinds are watched (core kinds, and the CRDs discovery found). */
  watchedKinds(): string[] {
    return [...this.resourceWatches.values()].map(w => w.resource.kind);
  }

  /** Whether this cluster serves OpenChoreo's control-plane kinds (its CRDs are installed), so they are watched. */
  readsOpenChoreo(): boolean {
    // Asked for every status computed: no allocation.
    for (const watch of this.resourceWatches.values()) if (watch.resource.controlPlane) return true;
    return false;
  }

  /** Whether the watches of OpenChoreo's kinds hold the truth right now, and if not, why. */
  openChoreoAvailability(): DataPlaneAvailability {
    if (this.discoveryError) return { available: false, reason: this.describe(this.discoveryError) };
    for (const watch of this.resourceWatches.values()) {
      if (watch.resource.controlPlane && !watch.healthy) {
        return { available: false, reason: this.describe(watch.lastError ?? `listing ${watch.resource.kind}s`) };
      }
    }
    return { available: true };
  }

  /** Starts discovery and the watches; never throws (failures show in availability()). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.discover();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.discoveryTimer);
    for (const watch of this.resourceWatches.values()) {
      clearTimeout(watch.timer);
      await watch.informer?.stop();
    }
  }

  private describe(error: string) {
    return `data plane ${this.name} (${this.options.connection.server}): ${error}`;
  }

  private async discover() {
    try {
      const found: WatchedResource[] = [];
      const paths = new Map<string, string>();
      // Discovery, once per group version: which kinds this API server serves, under what plural.
      const groups = new Map<string, Promise<Array<{ kind: string; name: string }> | undefined>>();
      const served = (apiVersion: string) => {
        if (!groups.has(apiVersion)) {
          const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
          const request = group
            ? this.customApi.getAPIResources({ group, version })
            : this.coreApi.getAPIResources();
          groups.set(
            apiVersion,
            request.then(
              list => list.resources.filter(r => !r.name.includes('/')),
              error => {
                if (statusCode(error) === 404) return undefined;
                throw error;
              },
            ),
          );
        }
        return groups.get(apiVersion)!;
      };
      for (const resource of WATCHED_RESOURCES) {
        if (this.resourceWatches.has(resource.kind)) continue;
        const api = (await served(resource.apiVersion))?.find(r => r.kind === resource.kind);
        if (!api) {
          if (!resource.optional) throw new Error(`the API server does not serve ${resource.apiVersion} ${resource.kind}`);
          continue;
        }
        found.push(resource);
        const prefix = resource.apiVersion === 'v1' ? '/api/v1' : `/apis/${resource.apiVersion}`;
        paths.set(resource.kind, `${prefix}/${api.name}`);
      }
      if (this.stopped) return;
      this.discoveryError = undefined;
      this.discoveryFailures = 0;
      for (const resource of found) {
        const watch: ResourceWatch = { resource, healthy: false, failures: 0 };
        this.resourceWatches.set(resource.kind, watch);
        this.startInformer(watch, paths.get(resource.kind)!);
      }
      if (found.length) this.options.logger.info(`Watching data plane ${this.name}: ${found.map(r => r.kind).join(', ')}`);
      // CRDs installed later (Argo CD, Flux, OpenChoreo) are picked up by the next discovery.
      this.discoveryTimer = setTimeout(() => void this.discover(), this.options.rediscoverMs ?? 5 * 60_000);
    } catch (error) {
      if (this.stopped) return;
      if (this.resourceWatches.size > 0) {
        // A failed re-discovery: the watches in place say whether the plane can be read.
        this.discoveryTimer = setTimeout(() => void this.discover(), this.delay(++this.discoveryFailures));
        return;
      }
      this.discoveryError = errorMessage(error);
      this.options.onChange(undefined);
      this.discoveryTimer = setTimeout(() => void this.discover(), this.delay(++this.discoveryFailures));
    }
  }

  private startInformer(watch: ResourceWatch, path: string) {
    const { resource } = watch;
    const onChange = this.options.onChange;
    const store = this.store;
    const list = async () => {
      try {
        const result = await this.objectApi.list(
          resource.apiVersion,
          resource.kind,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          resource.labelSelector,
        );
        // Stopped while listing: fail, so the informer does not go on to open a watch.
        if (this.stopped) throw new Error(`data plane ${this.name} is no longer watched`);
        // The typed client turns timestamps into Dates; status reads JSON as the watch delivers it.
        const items = (result.items ?? []).map(item => normalise(item, resource));
        const wasHealthy = watch.healthy;
        watch.healthy = true;
        watch.failures = 0;
        watch.lastError = undefined;
        const scopes = store.replaceKind(resource.kind, items);
        onChange(wasHealthy ? scopes : undefined);
        return { ...result, items: result.items ?? [] };
      } catch (error) {
        watch.healthy = false;
        watch.lastError = errorMessage(error);
        onChange(undefined);
        throw error;
      }
    };
    const informer = new ListWatch<KubernetesObject>(path, this.watch, list as any, false, resource.labelSelector);
    const put = (object: KubernetesObject) => onChange(store.put(normalise(object, resource)));
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (object: KubernetesObject) => onChange(store.remove(normalise(object, resource))));
    informer.on('error', (error: unknown) => {
      if (this.stopped) return;
      if (resource.optional && statusCode(error) === 404) {
        this.forget(watch);
        return;
      }
      // A watch that broke is restarted with a fresh informer, which relists: whatever changed
      // while it was down (including deletions) is caught by the list.
      watch.lastError = errorMessage(error);
      this.options.logger.debug(`watch of ${resource.kind} on ${this.name} failed: ${watch.lastError}`);
      watch.timer = setTimeout(() => {
        if (this.stopped) return;
        void watch.informer?.stop();
        this.startInformer(watch, path);
      }, this.delay(++watch.failures));
    });
    watch.informer = informer;
    informer.start().catch(() => undefined);
  }

  /**
   * A CRD was uninstalled (its kind answers 404): stop watching it and drop what was seen of it.
   * Rediscovery watches it again if it comes back.
   */
  private forget(watch: ResourceWatch) {
    const { kind } = watch.resource;
    if (this.resourceWatches.get(kind) !== watch) return;
    this.resourceWatches.delete(kind);
    clearTimeout(watch.timer);
    void watch.informer?.stop();
    this.options.logger.info(`Data plane ${this.name} no longer serves ${watch.resource.apiVersion} ${kind}; not watched until it does again`);
    this.options.onChange(this.store.replaceKind(kind, []));
  }

  private delay(failures: number) {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 250, maxMs: 30_000 };
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 16));
    return base / 2 + (Math.random() * base) / 2;
  }
}

function normalise(object: KubernetesObject, resource: WatchedResource): ObservedObject {
  const plain = JSON.parse(JSON.stringify(object));
  plain.apiVersion ??= resource.apiVersion;
  plain.kind ??= resource.kind;
  plain.metadata ??= {};
  return plain;
}

function statusCode(error: any): number | undefined {
  return error?.code ?? error?.statusCode ?? error?.response?.statusCode;
}

function errorMessage(error: any): string {
  const code = statusCode(error);
  if (typeof code === 'number') {
    let message: string | undefined;
    try {
      message = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body)?.message;
    } catch {
      message = undefined;
    }
    // ApiException's own message repeats the whole response; the Status message says it better.
    if (!message && error.message && !String(error.message).startsWith('HTTP-Code')) message = String(error.message);
    return `HTTP ${code}${message ? `: ${message}` : ''}`;
  }
  return String(error?.message ?? error).split('\n')[0];
}
