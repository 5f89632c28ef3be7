import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ComponentEnvironmentStatus,
  ObservedObject,
  STATUS_LABELS,
  StatusObjectReference,
  deriveComponentStatus,
} from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { DataPlaneWatcher } from '../dataplanes/DataPlaneWatcher';
import { ANY_ENVIRONMENT, StatusScope } from '../dataplanes/ObservedObjectStore';
import { readRenderedTree } from './readRenderedTree';

/** What Git wants for one component in one environment. */
interface DesiredRelease {
  releaseHash?: string;
  objects: StatusObjectReference[];
}

interface ComponentInfo {
  namespace: string;
  project: string;
  component: string;
}

/** The repository at one commit, reduced to what status needs. */
interface Snapshot {
  commit?: string;
  components: Map<string, ComponentInfo>;
  projects: Set<string>;
  /** Environments of each namespace, in pipeline order, with the data plane each one names. */
  environments: Map<string, Array<{ name: string; dataPlane: string }>>;
  /** By namespace (or '*' when the rendered objects do not say), project, component, environment. */
  desired: Map<string, DesiredRelease>;
}

/** @public */
export interface StatusServiceOptions {
  /** Where the head commit, its model and its rendered/ tree are read from. */
  repository: GitOpsRepository;
  /** The watched data planes by name; with a single sandbox plane, every environment uses it. */
  dataPlanes: DataPlaneWatcher[];
  logger: LoggerService;
  /** How often the repository is fetched for a new commit (default 2 s). */
  refreshIntervalMs?: number;
}

/** Listener of status changes. @public */
export type StatusListener = (status: ComponentEnvironmentStatus) => void;

/** Listener of new revisions of the repository, with the objects of its rendered/ tree. @public */
export type RevisionListener = (commit: string, rendered: ObservedObject[]) => void;

const key = (...parts: string[]) => parts.join('\u0000');

/**
 * The live status of every component in every environment, kept in memory: the desired state
 * from the GitOps repository (the head commit and its rendered/ tree), the observed state from
 * each data plane's watches, and deriveComponentStatus between them. Reads are answered from
 * memory; every change that alters a status is pushed to the listeners.
 *
 * @public
 */
export class StatusService {
  private snapshot: Snapshot = emptySnapshot();
  private readonly statuses = new Map<string, { status: ComponentEnvironmentStatus; json: string }>();
  /** Response bodies of the views, by view, namespace and name; dropped when one of their statuses changes. */
  private readonly views = new Map<string, string>();
  /** The JSON of each cached status, so a page view serialises nothing. */
  private readonly serialized = new WeakMap<ComponentEnvironmentStatus, string>();
  private readonly listeners = new Set<StatusListener>();
  private readonly revisionListeners = new Set<RevisionListener>();
  private readonly planes = new Map<string, DataPlaneWatcher>();
  private pending: Array<{ plane: string; scopes: StatusScope[] | undefined }> = [];
  private flushScheduled = false;
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private refreshing?: Promise<void>;
  private sandboxPlane?: DataPlaneWatcher;

  constructor(private readonly options: StatusServiceOptions) {
    for (const plane of options.dataPlanes) this.addDataPlane(plane);
  }

  /** Adds a watched data plane (environments name it through their dataPlaneRef). */
  addDataPlane(plane: DataPlaneWatcher) {
    this.planes.set(plane.name, plane);
    // The sandbox stands in for every data plane: each environment is deployed to it.
    if (plane.sandbox) this.sandboxPlane = plane;
  }

  /** The revision status is computed against. */
  get revision(): string | undefined {
    return this.snapshot.commit;
  }

  /** Handed to each DataPlaneWatcher as its onChange. */
  planeChanged(plane: string, scopes: StatusScope[] | undefined) {
    if (this.stopped) return;
    this.pending.push({ plane, scopes });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh().catch(error => this.options.logger.error(`Could not read the GitOps repository for status: ${error}`));
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.listeners.clear();
    this.revisionListeners.clear();
    await this.refreshing?.catch(() => undefined);
  }

  /** Fetches the repository and, at a new commit, reloads what is desired. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Called at each new commit read (the sandbox syncs it). */
  onRevision(listener: RevisionListener): () => void {
    this.revisionListeners.add(listener);
    return () => this.revisionListeners.delete(listener);
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  projectStatus(namespace: string, project: string): ComponentEnvironmentStatus[] {
    if (!this.snapshot.projects.has(key(namespace, project))) {
      throw new NotFoundError(`no project ${namespace}/${project} in the GitOps repository`);
    }
    return [...this.snapshot.components.values()]
      .filter(c => c.namespace === namespace && c.project === project)
      .flatMap(c => this.environmentsOf(namespace).map(env => this.statusOf(c, env.name)));
  }

  componentStatus(namespace: string, component: string): ComponentEnvironmentStatus[] {
    const info = this.snapshot.components.get(key(namespace, component));
    if (!info) throw new NotFoundError(`no component ${namespace}/${component} in the GitOps repository`);
    return this.environmentsOf(namespace).map(env => this.statusOf(info, env.name));
  }

  environmentStatus(namespace: string, environment: string): ComponentEnvironmentStatus[] {
    if (!this.environmentsOf(namespace).some(e => e.name === environment)) {
      throw new NotFoundError(`no environment ${namespace}/${environment} in the GitOps repository`);
    }
    return [...this.snapshot.components.values()]
      .filter(c => c.namespace === namespace)
      .map(c => this.statusOf(c, environment));
  }

  /**
   * The response body of a status view as JSON, cached until a status in it changes: a page view
   * of an unchanged project costs a map lookup.
   */
  viewJson(view: 'project' | 'component' | 'environment', namespace: string, name: string): string {
    const k = key(view, namespace, name);
    let body = this.views.get(k);
    if (body === undefined) {
      const read = {
        project: () => this.projectStatus(namespace, name),
        component: () => this.componentStatus(namespace, name),
        environment: () => this.environmentStatus(namespace, name),
      }[view];
      const items = read();
      body = `{"revision":${JSON.stringify(this.revision ?? null)},"sandbox":${items.some(i => i.dataPlane?.sandbox)},"items":${this.toJson(items)}}`;
      this.views.set(k, body);
    }
    return body;
  }

  /** The JSON array of statuses, from the JSON cached when each was derived. */
  toJson(statuses: ComponentEnvironmentStatus[]): string {
    return `[${statuses.map(s => this.serialized.get(s) ?? JSON.stringify(s)).join(',')}]`;
  }

  /** Every data plane, whether it can be read, and whether it serves OpenChoreo's control plane. */
  dataPlanes() {
    return [...this.planes.values()].map(plane => ({
      name: plane.name,
      sandbox: plane.sandbox,
      ...plane.availability(),
      watchedKinds: plane.watchedKinds(),
      openChoreoControlPlane: plane.readsOpenChoreo(),
    }));
  }

  private environmentsOf(namespace: string) {
    return this.snapshot.environments.get(namespace) ?? [];
  }

  private statusOf(info: ComponentInfo, environment: string): ComponentEnvironmentStatus {
    const k = key(info.namespace, info.component, environment);
    const cached = this.statuses.get(k);
    if (cached) return cached.status;
    return this.compute(info, environment).status;
  }

  private compute(info: ComponentInfo, environment: string) {
    const { namespace, project, component } = info;
    const env = this.environmentsOf(namespace).find(e => e.name === environment);
    const plane = this.sandboxPlane ?? (env ? this.planes.get(env.dataPlane) : undefined);
    const desired =
      this.snapshot.desired.get(key(namespace, project, component, environment)) ??
      this.snapshot.desired.get(key('*', project, component, environment));
    const dataPlane = plane
      ? { name: plane.name, sandbox: plane.sandbox, ...plane.availability() }
      : {
          name: env?.dataPlane ?? 'default',
          sandbox: false,
          available: false,
          reason: `data plane ${JSON.stringify(env?.dataPlane ?? 'default')} of environment ${environment} is not configured under cellplane.dataPlanes`,
        };
    const status = deriveComponentStatus({
      namespace,
      project,
      component,
      environment,
      dataPlane,
      ...(desired
        ? {
            desired: {
              commit: this.snapshot.commit,
              releaseHash: desired.releaseHash,
              // Only what the plane's watches can see can be found missing (ConfigMaps,
              // NetworkPolicies, ExternalSecrets ... are applied but not watched).
              objects: plane ? desired.objects.filter(o => plane.watches(o.apiVersion, o.kind)) : desired.objects,
            },
          }
        : {}),
      objects: plane && dataPlane.available ? plane.store.objectsOf(namespace, project, component, environment) : [],
      openChoreo: this.openChoreoOf(info, environment),
    });
    const entry = { status, json: JSON.stringify(status) };
    this.serialized.set(status, entry.json);
    const k = key(namespace, component, environment);
    const previous = this.statuses.get(k);
    this.statuses.set(k, entry);
    const changed = previous?.json !== entry.json;
    if (changed && this.views.size > 0) {
      this.views.delete(key('project', namespace, project));
      this.views.delete(key('component', namespace, component));
      this.views.delete(key('environment', namespace, environment));
    }
    return { ...entry, changed };
  }

  /**
   * OpenChoreo's objects for a component in an environment, from the watched clusters that serve
   * its CRDs (its control plane need not be the environment's data plane). A cluster that holds
   * some but cannot be read now says so instead of showing what it held then.
   */
  private openChoreoOf(info: ComponentInfo, environment: string) {
    const { namespace, project, component } = info;
    let unreadable: { controlPlane: { name: string; available: boolean; reason?: string }; objects: [] } | undefined;
    for (const plane of this.planes.values()) {
      if (!plane.readsOpenChoreo()) continue;
      const objects = plane.store.openChoreoObjectsOf(namespace, project, component, environment);
      if (objects.length === 0) continue;
      const availability = plane.openChoreoAvailability();
      if (availability.available) return { controlPlane: { name: plane.name, available: true }, objects };
      unreadable ??= { controlPlane: { name: plane.name, ...availability }, objects: [] };
    }
    return unreadable;
  }

  private recompute(filter: (info: ComponentInfo, environment: string, plane: string) => boolean) {
    for (const info of this.snapshot.components.values()) {
      for (const env of this.environmentsOf(info.namespace)) {
        if (!filter(info, env.name, this.sandboxPlane?.name ?? env.dataPlane)) continue;
        const { status, changed } = this.compute(info, env.name);
        if (changed) for (const listener of this.listeners) listener(status);
      }
    }
  }

  private flush() {
    this.flushScheduled = false;
    const pending = this.pending;
    this.pending = [];
    if (this.stopped || pending.length === 0) return;
    const wholePlanes = new Set(pending.filter(p => !p.scopes).map(p => p.plane));
    // OpenChoreo's control plane speaks for every environment, whichever data plane runs it.
    const everything = [...wholePlanes].some(name => this.planes.get(name)?.readsOpenChoreo());
    const scopes = pending.filter(p => p.scopes && !wholePlanes.has(p.plane)).flatMap(p => p.scopes!);
    const environments = new Set(scopes.filter(s => !s.component).map(s => s.environment));
    const components = new Set(scopes.filter(s => s.component).map(s => key(s.component!, s.environment)));
    this.recompute(
      (info, environment, plane) =>
        everything ||
        wholePlanes.has(plane) ||
        environments.has(ANY_ENVIRONMENT) ||
        environments.has(environment) ||
        components.has(key(info.component, environment)),
    );
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      await this.refresh().catch(error => this.options.logger.warn(`Could not refresh the GitOps repository for status: ${error}`));
      this.schedule();
    }, this.options.refreshIntervalMs ?? 2000);
  }

  private async load() {
    const { repository } = this.options;
    const commit = await repository.fetch();
    if (commit === this.snapshot.commit && this.snapshot.commit !== undefined) return;
    const model = await (await repository.revision(commit)).model();
    const rendered = commit ? await readRenderedTree(repository, commit) : [];
    this.snapshot = buildSnapshot(commit, model, rendered.map(r => r.object));
    this.statuses.clear();
    this.views.clear();
    this.options.logger.info(
      `Status at ${commit?.slice(0, 12) ?? 'empty repository'}: ${this.snapshot.components.size} components, ${this.snapshot.desired.size} rendered releases`,
    );
    this.recompute(() => true);
    if (commit) {
      for (const listener of this.revisionListeners) listener(commit, rendered.map(r => r.object));
    }
  }
}

function emptySnapshot(): Snapshot {
  return { components: new Map(), projects: new Set(), environments: new Map(), desired: new Map() };
}

const refName = (ref: unknown): string | undefined =>
  typeof ref === 'string' ? ref : (ref as { name?: string } | undefined)?.name;

function buildSnapshot(commit: string | undefined, model: RepositoryModel, rendered: any[]): Snapshot {
  const snapshot = emptySnapshot();
  snapshot.commit = commit;
  for (const entry of model.list('Project')) snapshot.projects.add(key(entry.namespace!, entry.resource.metadata.name));
  for (const entry of model.list('Component')) {
    const info = { namespace: entry.namespace!, project: entry.resource.spec.owner.projectName, component: entry.resource.metadata.name };
    snapshot.components.set(key(info.namespace, info.component), info);
  }
  for (const namespace of model.namespaces()) {
    const environments = model.list('Environment', namespace);
    const order = pipelineOrder(model, namespace);
    const sorted = [...environments].sort((a, b) => {
      const ia = order.indexOf(a.resource.metadata.name);
      const ib = order.indexOf(b.resource.metadata.name);
      return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a.resource.metadata.name.localeCompare(b.resource.metadata.name);
    });
    if (sorted.length) {
      snapshot.environments.set(
        namespace,
        sorted.map(e => ({ name: e.resource.metadata.name, dataPlane: refName((e.resource.spec as any)?.dataPlaneRef) ?? 'default' })),
      );
    }
  }
  for (const object of rendered) {
    const labels = object.metadata?.labels ?? {};
    const component = labels[STATUS_LABELS.component];
    const environment = labels[STATUS_LABELS.environment];
    if (!component || !environment) continue;
    const namespace = labels[STATUS_LABELS.namespace] ?? '*';
    const project =
      labels[STATUS_LABELS.project] ??
      [...snapshot.components.values()].find(c => c.component === component && (namespace === '*' || c.namespace === namespace))?.project ??
      '';
    const k = key(namespace, project, component, environment);
    let desired = snapshot.desired.get(k);
    if (!desired) snapshot.desired.set(k, (desired = { objects: [] }));
    desired.releaseHash ??= labels[STATUS_LABELS.releaseHash];
    desired.objects.push({
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    });
  }
  return snapshot;
}

/** Environment names in promotion order, following the pipelines of the namespace. */
export function pipelineOrder(model: RepositoryModel, namespace: string): string[] {
  const order: string[] = [];
  for (const pipeline of model.list('DeploymentPipeline', namespace)) {
    const paths: any[] = (pipeline.resource.spec as any)?.promotionPaths ?? [];
    const targets = new Set(paths.flatMap(p => (p.targetEnvironmentRefs ?? []).map(refName)));
    const queue = paths.map(p => refName(p.sourceEnvironmentRef)!).filter(s => s && !targets.has(s));
    while (queue.length) {
      const env = queue.shift()!;
      if (order.includes(env)) continue;
      order.push(env);
      for (const path of paths.filter(p => refName(p.sourceEnvironmentRef) === env)) {
        queue.push(...(path.targetEnvironmentRefs ?? []).map(refName).filter(Boolean));
      }
    }
  }
  return order;
}
