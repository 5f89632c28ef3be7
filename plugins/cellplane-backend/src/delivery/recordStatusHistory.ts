import { LoggerService } from '@backstage/backend-plugin-api';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { StatusListener } from '../status/StatusService';
import { RecordedStatus, StatusHistoryStore } from './StatusHistoryStore';

/** What the recorder listens to: the status service's change notifications (the SSE stream's source). */
export interface StatusChanges {
  subscribe(listener: StatusListener): () => void;
}

/** The recorder's handle: `flushed()` resolves once every change seen so far is written. */
export interface StatusHistoryRecorder {
  flushed(): Promise<void>;
  stop(): Promise<void>;
}

/** What of a status the history keeps; undefined for a status that says nothing (Unknown). */
export function recordedStatusOf(status: ComponentEnvironmentStatus, at: number): RecordedStatus | undefined {
  // Unknown is the absence of knowledge (a data plane not read yet, a restart), not a change.
  if (status.health === 'Unknown') return undefined;
  const releaseHash = status.runningReleaseHash ?? (status.health === 'Healthy' ? status.desired?.releaseHash : undefined);
  const revision = status.synced?.commit ?? status.desired?.commit;
  return {
    namespace: status.namespace,
    project: status.project,
    component: status.component,
    environment: status.environment,
    health: status.health,
    ...(releaseHash ? { releaseHash } : {}),
    ...(revision ? { revision } : {}),
    ...(status.reason ? { reason: status.reason } : {}),
    at,
  };
}

/**
 * Writes each status change the status service notifies into the status history, in the order
 * seen, batched per event-loop turn (a new commit changes every status at once). Writing never
 * holds up the status service: its listener only queues.
 */
export function recordStatusHistory(options: {
  status: StatusChanges;
  store: StatusHistoryStore;
  logger: LoggerService;
  now?: () => number;
}): StatusHistoryRecorder {
  const { status, store, logger, now = Date.now } = options;
  let queue: RecordedStatus[] = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;

  const write = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    writing = writing
      .then(() => store.record(batch))
      .then(
        () => undefined,
        error => logger.warn(`Could not record ${batch.length} status changes in the status history: ${error}`),
      );
  };

  const unsubscribe = status.subscribe(change => {
    const recorded = recordedStatusOf(change, now());
    if (!recorded) return;
    queue.push(recorded);
    if (!scheduled) {
      scheduled = true;
      setImmediate(write);
    }
  });

  return {
    async flushed() {
      write();
      await writing;
    },
    async stop() {
      unsubscribe();
      write();
      await writing;
    },
  };
}
