import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { CellplaneStatusApi, StatusEventFilter, StatusSnapshot, StatusWatchHandlers } from '../api';

/**
 * The status API at the edge of the view tests: answers from a list of statuses, or with an
 * error, and lets a test push events as the stream would.
 */
export class FakeStatusApi implements CellplaneStatusApi {
  readonly watches: Array<{ filter: StatusEventFilter; handlers: StatusWatchHandlers; closed: boolean }> = [];

  constructor(public items: ComponentEnvironmentStatus[], public error?: Error) {}

  private snapshot(filter: (s: ComponentEnvironmentStatus) => boolean): Promise<StatusSnapshot> {
    if (this.error) return Promise.reject(this.error);
    const items = this.items.filter(filter);
    return Promise.resolve({ revision: 'a'.repeat(40), sandbox: items.some(i => i.dataPlane?.sandbox), items });
  }

  getComponentStatus(namespace: string, component: string) {
    return this.snapshot(s => s.namespace === namespace && s.component === component);
  }
  getProjectStatus(namespace: string, project: string) {
    return this.snapshot(s => s.namespace === namespace && s.project === project);
  }
  getEnvironmentStatus(namespace: string, environment: string) {
    return this.snapshot(s => s.namespace === namespace && s.environment === environment);
  }

  watchStatus(filter: StatusEventFilter, handlers: StatusWatchHandlers) {
    const watch = { filter, handlers, closed: false };
    this.watches.push(watch);
    return () => {
      watch.closed = true;
    };
  }

  /** Delivers a change to every open watch whose filter matches, as the backend does. */
  emit(change: ComponentEnvironmentStatus) {
    for (const watch of this.watches) {
      if (watch.closed) continue;
      const f = watch.filter;
      if ((Object.keys(f) as Array<keyof StatusEventFilter>).every(k => f[k] === undefined || f[k] === change[k])) {
        watch.handlers.onStatus(change);
      }
    }
  }

  breakStream(error: Error) {
    for (const watch of this.watches) if (!watch.closed) watch.handlers.onError?.(error);
  }
}

/** A status with sensible defaults; a test states only what it is about. */
export function status(overrides: Partial<ComponentEnvironmentStatus> & { component: string; environment: string }): ComponentEnvironmentStatus {
  return {
    namespace: 'acme',
    project: 'storefront',
    dataPlane: { name: 'sandbox', sandbox: true },
    health: 'Healthy',
    reason: '2/2 replicas ready',
    desired: { commit: '3f9c2a1d8e7b6c5d4f3a2b1c0d9e8f7a6b5c4d3e', releaseHash: 'web-shop-1a2b3c4d5e' },
    synced: {
      tool: 'ArgoCD',
      commit: '3f9c2a1d8e7b6c5d4f3a2b1c0d9e8f7a6b5c4d3e',
      state: 'Synced',
      object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'storefront', namespace: 'argocd' },
    },
    rollout: { desiredReplicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, generationObserved: true, complete: true },
    pods: { ready: 2, total: 2, restarts: 0 },
    causes: [],
    ...overrides,
  };
}
