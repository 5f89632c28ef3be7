import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { BackendClient } from './backendClient';
import { Replica } from './replicaProcess';

/** A replica's log file as plain text (Backstage colours its development log). */
export function replicaLog(replica: Replica): string {
  // eslint-disable-next-line no-control-regex
  return readFileSync(replica.logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
}

/** How far a replica's log goes now, for {@link replicaLogSince}. */
export const replicaLogSize = (replica: Replica) => statSync(replica.logFile).size;

/** What a replica logged since `offset` (cheap to poll: only the new bytes are read). */
export function replicaLogSince(replica: Replica, offset: number): string {
  const size = replicaLogSize(replica);
  if (size <= offset) return '';
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(replica.logFile, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  // eslint-disable-next-line no-control-regex
  return buffer.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '');
}

/** The commits GitOpsRepository pushed from a replica, with how many attempts each took. */
export function commitsInLog(replica: Replica): Array<{ commit: string; attempts: number }> {
  return [...replicaLog(replica).matchAll(/ info Committed ([0-9a-f]{12}) to \S+: .* attempts=(\d+)/g)].map(m => ({
    commit: m[1],
    attempts: Number(m[2]),
  }));
}

/** Per scheduled task: how often each replica was seen running it, and rounds where two were. */
export interface SchedulerObservation {
  rounds: number;
  tasks: Map<string, { scope: string; runningSamples: Map<string, number>; overlaps: number }>;
}

/**
 * Samples, on every replica at once, the scheduler's own view of the catalog plugin's tasks
 * (`/.backstage/scheduler/v1/tasks`): `workerState` is the replica's local worker, `running` while
 * that replica executes the task's function. Two replicas running one global task in the same
 * round would be an overlap.
 */
export class SchedulerSampler {
  readonly observation: SchedulerObservation = { rounds: 0, tasks: new Map() };
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly clients: Map<string, BackendClient>) {}

  start(intervalMs = 100): this {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.sampleOnce();
        await new Promise(r => setTimeout(r, intervalMs));
      }
    })();
    return this;
  }

  async stop(): Promise<SchedulerObservation> {
    this.stopped = true;
    await this.loop;
    return this.observation;
  }

  /** Stops sampling one replica (it is about to be killed). */
  forget(name: string) {
    this.clients.delete(name);
  }

  private async sampleOnce() {
    const answers = await Promise.all(
      [...this.clients].map(async ([name, client]) => {
        const body = await client.json('/api/catalog/.backstage/scheduler/v1/tasks').catch(() => undefined);
        return { name, tasks: (body?.tasks ?? []) as any[] };
      }),
    );
    this.observation.rounds += 1;
    const runningNow = new Map<string, string[]>();
    for (const { name, tasks } of answers) {
      for (const task of tasks) {
        let entry = this.observation.tasks.get(task.taskId);
        if (!entry) this.observation.tasks.set(task.taskId, (entry = { scope: task.scope, runningSamples: new Map(), overlaps: 0 }));
        if (task.workerState?.status === 'running') {
          entry.runningSamples.set(name, (entry.runningSamples.get(name) ?? 0) + 1);
          runningNow.set(task.taskId, [...(runningNow.get(task.taskId) ?? []), name]);
        }
      }
    }
    for (const [taskId, names] of runningNow) {
      if (names.length > 1) this.observation.tasks.get(taskId)!.overlaps += 1;
    }
  }
}
