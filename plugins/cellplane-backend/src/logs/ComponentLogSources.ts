import { NotFoundError } from '@backstage/errors';
import {
  ComponentEvent,
  LogContainer,
  LogPod,
  ObservedObject,
  STATUS_LABELS,
} from '@cellplane/backstage-plugin-common';
import { DataPlaneConnection } from '@cellplane/backstage-plugin-node';
import { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { DataPlaneWatcher } from '../dataplanes/DataPlaneWatcher';
import { StatusScope } from '../dataplanes/ObservedObjectStore';
import { StatusService } from '../status/StatusService';

/** A component in an environment, and the data plane that runs it. */
export interface LogTarget {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  /** Undefined when the environment's data plane is not configured (`reason` says so). */
  connection?: DataPlaneConnection;
  dataPlane: { name: string; sandbox: boolean; reason?: string };
}

/** The data plane could not be asked (unreachable, refused): the message names it. */
export class DataPlaneUnreachableError extends Error {
  constructor(
    message: string,
    readonly dataPlane: string,
  ) {
    super(message);
    this.name = 'DataPlaneUnreachableError';
  }
}

/** kubectl's annotation naming the container `kubectl logs` reads when none is given. */
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * Where a component's logs and events come from: the environment's data plane as status knows it
 * (the sandbox stands in for every plane), its pods listed through that plane's Kubernetes API
 * with the credentials status watches with, and its Kubernetes Events from the status watches'
 * index (no request to the cluster).
 */
export class ComponentLogSources {
  private readonly listeners = new Set<(plane: string, scopes: StatusScope[] | undefined) => void>();

  constructor(
    private readonly options: {
      status: StatusService;
      connections: DataPlaneConnection[];
      watchers: DataPlaneWatcher[];
    },
  ) {}

  /** The component in the environment; 404 when the GitOps repository has neither. */
  target(namespace: string, component: string, environment: string): LogTarget {
    const status = this.options.status.componentStatus(namespace, component).find(s => s.environment === environment);
    if (!status) throw new NotFoundError(`no environment ${environment} for component ${namespace}/${component} in the GitOps repository`);
    const name = status.dataPlane?.name ?? 'default';
    const sandbox = this.options.connections.find(c => c.sandbox);
    const connection = sandbox ?? this.options.connections.find(c => c.name === name);
    return {
      namespace,
      project: status.project,
      component,
      environment,
      connection,
      dataPlane: connection
        ? { name: connection.name, sandbox: connection.sandbox }
        : { name, sandbox: false, reason: `data plane ${JSON.stringify(name)} of environment ${environment} is not configured under cellplane.dataPlanes` },
    };
  }

  /** The component's pods in the environment, oldest first, asked of the data plane now. */
  async pods(target: LogTarget): Promise<Array<LogPod & { defaultContainer?: string }>> {
    const connection = this.connectionOf(target);
    const selector = `${STATUS_LABELS.component}=${target.component},${STATUS_LABELS.environment}=${target.environment}`;
    let items: V1Pod[];
    try {
      items = (await connection.kubeConfig.makeApiClient(CoreV1Api).listPodForAllNamespaces({ labelSelector: selector })).items;
    } catch (error) {
      throw new DataPlaneUnreachableError(
        `could not list the pods of ${target.component} in ${target.environment} on data plane ${connection.name} (${connection.server}): ${describe(error)}`,
        connection.name,
      );
    }
    return items
      .filter(pod => (pod.metadata?.labels?.[STATUS_LABELS.namespace] ?? target.namespace) === target.namespace)
      .map(toLogPod)
      .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name));
  }

  /** The Kubernetes Events about the component's objects in the environment, newest first. */
  events(target: LogTarget): ComponentEvent[] {
    const watchers = this.options.watchers.filter(w => w.sandbox || w.name === target.dataPlane.name);
    const seen = new Map<string, ComponentEvent>();
    for (const watcher of watchers) {
      for (const object of watcher.store.objectsOf(target.namespace, target.project, target.component, target.environment, { allEvents: true })) {
        if (object.kind !== 'Event') continue;
        const event = toComponentEvent(object);
        seen.set(event.id, event);
      }
    }
    return [...seen.values()].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
  }

  /** The connection of a target, or why there is none. */
  connectionOf(target: LogTarget): DataPlaneConnection {
    if (!target.connection) throw new DataPlaneUnreachableError(target.dataPlane.reason!, target.dataPlane.name);
    return target.connection;
  }

  /** Handed each data plane's watch changes (plugin.ts), so a stream learns of new events. */
  planeChanged(plane: string, scopes: StatusScope[] | undefined) {
    for (const listener of this.listeners) listener(plane, scopes);
  }

  /** Called when the watched objects of a target (or of a whole plane) may have changed. */
  onChange(target: LogTarget, listener: () => void): () => void {
    const relevant = (plane: string, scopes: StatusScope[] | undefined) => {
      if (!target.dataPlane.sandbox && plane !== target.dataPlane.name) return;
      if (!scopes || scopes.some(s => s.component === target.component && s.environment === target.environment)) listener();
    };
    this.listeners.add(relevant);
    return () => this.listeners.delete(relevant);
  }
}

function toLogPod(pod: V1Pod): LogPod & { defaultContainer?: string } {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map(s => [s.name, s]));
  const containers: LogContainer[] = (pod.spec?.containers ?? []).map(container => {
    const status = statuses.get(container.name);
    const state = (['running', 'waiting', 'terminated'] as const).find(s => status?.state?.[s]) ?? 'unknown';
    const reason = status?.state?.waiting?.reason ?? status?.state?.terminated?.reason;
    return {
      name: container.name,
      ready: status?.ready ?? false,
      restartCount: status?.restartCount ?? 0,
      state,
      ...(reason ? { reason } : {}),
      hasPrevious: (status?.restartCount ?? 0) > 0,
    };
  });
  const created = pod.metadata?.creationTimestamp as unknown;
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  return {
    name: pod.metadata!.name!,
    namespace: pod.metadata!.namespace!,
    phase: pod.status?.phase ?? 'Unknown',
    ready: (pod.status?.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True'),
    ...(created ? { createdAt: created instanceof Date ? created.toISOString() : String(created) } : {}),
    containers,
    ...(annotated && containers.some(c => c.name === annotated) ? { defaultContainer: annotated } : {}),
  };
}

function toComponentEvent(event: ObservedObject): ComponentEvent {
  const involved = event.involvedObject ?? event.regarding ?? {};
  const lastSeen = event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
  return {
    id: event.metadata.uid ?? `${event.metadata.namespace}/${event.metadata.name}`,
    type: String(event.type ?? 'Normal'),
    reason: String(event.reason ?? ''),
    message: String(event.message ?? event.note ?? ''),
    object: { kind: String(involved.kind ?? ''), name: String(involved.name ?? '') },
    count: Number(event.count ?? event.series?.count ?? 1),
    ...(lastSeen ? { lastSeen: String(lastSeen) } : {}),
  };
}

function describe(error: any): string {
  const code = error?.code ?? error?.statusCode;
  let message: string | undefined;
  try {
    message = (typeof error?.body === 'string' ? JSON.parse(error.body) : error?.body)?.message;
  } catch {
    message = undefined;
  }
  if (typeof code === 'number' && code >= 100) return `HTTP ${code}${message ? `: ${message}` : ''}`;
  return String(error?.message ?? error).split('\n')[0];
}
