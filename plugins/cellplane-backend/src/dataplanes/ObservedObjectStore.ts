import { ObservedObject, STATUS_LABELS } from '@cellplane/backstage-plugin-common';

/**
 * Which statuses an observed change can affect. A workload names its component; an Argo CD
 * Application or Flux Kustomization may cover a whole environment (or one project in it).
 */
export interface StatusScope {
  environment: string;
  project?: string;
  component?: string;
}

const DELIVERY_KINDS = new Set(['Application', 'Kustomization']);

/** The environment of a scope that may concern every environment. */
export const ANY_ENVIRONMENT = '*';
// The events a status reads (failed probes, scheduling, pulls, back-offs); the rest are for the Logs tab.
const STATUS_EVENT_REASONS = new Set(['Unhealthy', 'FailedScheduling', 'BackOff', 'Failed', 'FailedMount', 'FailedCreate']);
/** The newest events per object: enough for the Logs tab's events panel, bounded for a busy cluster. */
const EVENTS_PER_OBJECT = 20;

const objectKey = (o: { kind: string; metadata: { namespace?: string; name: string } }) =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const componentKey = (project: string, component: string, environment: string) =>
  `${project}\u0000${component}\u0000${environment}`;

/**
 * The objects of one data plane, as its watches last saw them, indexed by component and
 * environment so a status is assembled without scanning the cluster's objects.
 */
export class ObservedObjectStore {
  private readonly objects = new Map<string, ObservedObject>();
  private readonly byComponent = new Map<string, Set<string>>();
  private readonly delivery = new Map<string, ObservedObject>();
  /** Events by the uid (or kind/namespace/name) of the object they are about. */
  private readonly events = new Map<string, ObservedObject[]>();
  private readonly uids = new Map<string, string>();

  /** Adds or replaces an object; returns the scopes of statuses it may change. */
  put(object: ObservedObject): StatusScope[] {
    if (object.kind === 'Event') return this.putEvent(object);
    const key = objectKey(object);
    const previous = this.objects.get(key);
    const before = previous ? this.scopeOf(previous) : undefined;
    if (previous) this.unindex(key, previous, false);
    const scope = this.scopeOf(object);
    const scopes = before && !sameScope(before, scope) ? [before] : [];
    if (!scope) return scopes;
    this.objects.set(key, object);
    if (object.metadata.uid) this.uids.set(object.metadata.uid, key);
    if (DELIVERY_KINDS.has(object.kind) && !scope.component) {
      this.delivery.set(key, object);
    } else {
      const ck = componentKey(scope.project ?? '', scope.component!, scope.environment);
      let keys = this.byComponent.get(ck);
      if (!keys) this.byComponent.set(ck, (keys = new Set()));
      keys.add(key);
    }
    return [...scopes, scope];
  }

  remove(object: ObservedObject): StatusScope[] {
    if (object.kind === 'Event') {
      const about = this.involvedKey(object);
      const list = about ? this.events.get(about) : undefined;
      if (!about || !list) return [];
      const rest = list.filter(e => e.metadata.name !== object.metadata.name);
      if (rest.length) this.events.set(about, rest);
      else this.events.delete(about);
      return this.scopeOfInvolved(about);
    }
    const key = objectKey(object);
    const previous = this.objects.get(key);
    if (!previous) return [];
    this.unindex(key, previous, true);
    const scope = this.scopeOf(previous);
    return scope ? [scope] : [];
  }

  /**
   * Replaces every object of one kind with a fresh list (after a relist), and returns the scopes
   * of everything that appeared, changed or disappeared meanwhile.
   */
  replaceKind(kind: string, items: ObservedObject[]): StatusScope[] {
    const scopes: StatusScope[] = [];
    const fresh = new Set(items.map(objectKey));
    if (kind === 'Event') {
      this.events.clear();
    } else {
      for (const [key, object] of [...this.objects]) {
        if (object.kind === kind && !fresh.has(key)) scopes.push(...this.remove(object));
      }
    }
    for (const item of items) scopes.push(...this.put(item));
    return scopes;
  }

  /**
   * Every object observed for a component in an environment, with the events about them: those
   * that explain a status, or (`allEvents`, for the Logs tab) every kept one.
   */
  objectsOf(namespace: string, project: string, component: string, environment: string, options: { allEvents?: boolean } = {}): ObservedObject[] {
    const explains = (event: ObservedObject) => options.allEvents || STATUS_EVENT_REASONS.has(event.reason);
    const keys = this.byComponent.get(componentKey(project, component, environment));
    const keysWithoutProject = project ? this.byComponent.get(componentKey('', component, environment)) : undefined;
    const result: ObservedObject[] = [];
    for (const key of [...(keys ?? []), ...(keysWithoutProject ?? [])]) {
      const object = this.objects.get(key)!;
      // OpenChoreo's control-plane objects are read apart (openChoreoObjectsOf), for every environment.
      if (isOpenChoreo(object)) continue;
      const ns = object.metadata.labels?.[STATUS_LABELS.namespace];
      if (ns !== undefined && ns !== namespace) continue;
      result.push(object);
      if (object.metadata.uid) result.push(...(this.events.get(object.metadata.uid) ?? []).filter(explains));
      result.push(...(this.events.get(key) ?? []).filter(explains));
    }
    const deliveryName = `cellplane-${namespace}-${environment}`;
    for (const object of this.delivery.values()) {
      const labels = object.metadata.labels ?? {};
      if (
        object.metadata.name === deliveryName ||
        (labels[STATUS_LABELS.environment] === environment &&
          (labels[STATUS_LABELS.project] ?? project) === project &&
          (labels[STATUS_LABELS.namespace] ?? namespace) === namespace)
      ) {
        result.push(object);
      }
    }
    return result;
  }

  /**
   * OpenChoreo's ReleaseBindings and RenderedReleases of a component in an environment. They live
   * in the OpenChoreo namespace itself, which is the namespace of the GitOps repository.
   */
  openChoreoObjectsOf(namespace: string, project: string, component: string, environment: string): ObservedObject[] {
    const keys = this.byComponent.get(componentKey(project, component, environment)) ?? [];
    const result: ObservedObject[] = [];
    for (const key of keys) {
      const object = this.objects.get(key)!;
      if (isOpenChoreo(object) && object.metadata.namespace === namespace) result.push(object);
    }
    return result;
  }

  get size(): number {
    return this.objects.size;
  }

  private putEvent(event: ObservedObject): StatusScope[] {
    // Every event is kept (the Logs tab shows them); status reads only those that explain it (objectsOf).
    const about = this.involvedKey(event);
    if (!about) return [];
    const list = (this.events.get(about) ?? []).filter(e => e.metadata.name !== event.metadata.name);
    list.push(event);
    list.sort((a, b) => time(b) - time(a));
    this.events.set(about, list.slice(0, EVENTS_PER_OBJECT));
    return this.scopeOfInvolved(about);
  }

  private involvedKey(event: ObservedObject): string | undefined {
    const involved = event.involvedObject ?? event.regarding;
    if (!involved?.name) return undefined;
    return involved.uid ?? `${involved.kind}/${involved.namespace ?? ''}/${involved.name}`;
  }

  private scopeOfInvolved(about: string): StatusScope[] {
    const key = this.uids.get(about) ?? about;
    const object = this.objects.get(key);
    const scope = object ? this.scopeOf(object) : undefined;
    return scope ? [scope] : [];
  }

  private unindex(key: string, object: ObservedObject, dropEvents: boolean) {
    this.objects.delete(key);
    this.delivery.delete(key);
    if (dropEvents) {
      if (object.metadata.uid && this.uids.get(object.metadata.uid) === key) {
        this.uids.delete(object.metadata.uid);
        this.events.delete(object.metadata.uid);
      }
      this.events.delete(key);
    }
    const scope = this.scopeOf(object);
    if (scope?.component) {
      const ck = componentKey(scope.project ?? '', scope.component, scope.environment);
      const keys = this.byComponent.get(ck);
      keys?.delete(key);
      if (keys && keys.size === 0) this.byComponent.delete(ck);
    }
  }

  /** Where an object belongs: from Cellplane's labels, or OpenChoreo's spec for its own kinds. */
  private scopeOf(object: ObservedObject): StatusScope | undefined {
    if (isOpenChoreo(object)) {
      // A RenderedRelease of a Resource (owner.resourceName) or of a project (no name) belongs to no component.
      const owner = object.spec?.owner;
      const environment = object.spec?.environment ?? object.spec?.environmentName;
      if (typeof owner?.componentName !== 'string' || !owner.componentName || typeof environment !== 'string' || !environment) {
        return undefined;
      }
      return {
        environment,
        ...(typeof owner.projectName === 'string' && owner.projectName ? { project: owner.projectName } : {}),
        component: owner.componentName,
      };
    }
    const labels = object.metadata.labels ?? {};
    const environment = labels[STATUS_LABELS.environment];
    // The Applications / Kustomizations Cellplane renders name their environment only in their
    // name (`cellplane-<namespace>-<environment>`): they may concern any environment.
    if (!environment) return DELIVERY_KINDS.has(object.kind) ? { environment: ANY_ENVIRONMENT } : undefined;
    const component = labels[STATUS_LABELS.component];
    if (!component && !DELIVERY_KINDS.has(object.kind)) return undefined;
    return {
      environment,
      ...(labels[STATUS_LABELS.project] ? { project: labels[STATUS_LABELS.project] } : {}),
      ...(component ? { component } : {}),
    };
  }
}

function isOpenChoreo(object: ObservedObject) {
  return object.apiVersion.startsWith('openchoreo.dev/');
}

function sameScope(a: StatusScope, b: StatusScope | undefined) {
  return !!b && a.environment === b.environment && a.project === b.project && a.component === b.component;
}

function time(event: ObservedObject): number {
  const t = event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}
