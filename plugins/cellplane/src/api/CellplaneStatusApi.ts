import { createApiRef } from '@backstage/frontend-plugin-api';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';

/** A status read: the revision of the GitOps repository it was computed against, and the items. @public */
export interface StatusSnapshot {
  /** The commit of the GitOps repository status is computed against (null before the first read). */
  revision: string | null;
  /** True when any item comes from the sandbox data plane (no real cluster). */
  sandbox: boolean;
  /** Components × environments; environments in pipeline order. */
  items: ComponentEnvironmentStatus[];
}

/** Narrows the events stream; every field given must match. @public */
export interface StatusEventFilter {
  namespace?: string;
  project?: string;
  component?: string;
  environment?: string;
}

/** Callbacks of a status watch. @public */
export interface StatusWatchHandlers {
  /** A component's status in one environment changed. */
  onStatus(status: ComponentEnvironmentStatus): void;
  /**
   * The stream is (again) connected. Changes made while it was down were not delivered, so a
   * view re-reads its snapshot here.
   */
  onOpen?(): void;
  /** The stream broke; the watch reconnects by itself until it is closed. */
  onError?(error: Error): void;
}

/**
 * Reads Cellplane's live status: what Git wants, what Argo CD / Flux synced, how the rollout
 * goes and why it is not healthy, per component and environment.
 *
 * @public
 */
export interface CellplaneStatusApi {
  getComponentStatus(namespace: string, component: string): Promise<StatusSnapshot>;
  getProjectStatus(namespace: string, project: string): Promise<StatusSnapshot>;
  getEnvironmentStatus(namespace: string, environment: string): Promise<StatusSnapshot>;
  /** Subscribes to status changes; returns the function that closes the subscription. */
  watchStatus(filter: StatusEventFilter, handlers: StatusWatchHandlers): () => void;
}

/** @public */
export const cellplaneStatusApiRef = createApiRef<CellplaneStatusApi>({
  id: 'plugin.cellplane.status',
});
