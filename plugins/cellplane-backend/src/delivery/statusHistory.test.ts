import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { cellplaneTestDatabases, databasesUnderTest } from '@cellplane/embedded-postgres';
import { StatusListener } from '../status/StatusService';
import { RecordedStatus, StatusHistoryStore } from './StatusHistoryStore';
import { recordStatusHistory } from './recordStatusHistory';

const databases = cellplaneTestDatabases();

const T0 = Date.parse('2026-03-02T10:00:00Z');
const where = { namespace: 'acme', project: 'payments', component: 'payments-api', environment: 'production' };
const seen = (health: RecordedStatus['health'], releaseHash: string | undefined, seconds: number): RecordedStatus => ({
  ...where,
  health,
  ...(releaseHash ? { releaseHash } : {}),
  at: T0 + seconds * 1000,
});

/** Two backend replicas on one database: each opens its own store, as each process does. */
async function replicasOn(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const database: DatabaseService = { getClient: async () => knex };
  return { knex, open: () => StatusHistoryStore.create(database) };
}

describe('status history', () => {
  it('runs on SQLite and on the PostgreSQL server of the global setup', () => {
    expect(databasesUnderTest(databases)).toEqual({ postgresServer: true, ids: ['SQLITE_3', 'POSTGRES_18'] });
  });

  it.each(databases.eachSupportedId())('on %s: keeps each change of health or release once, in order', async databaseId => {
    const { open } = await replicasOn(databaseId);
    const store = await open();
    await store.record([
      seen('Progressing', 'r1', 0),
      seen('Progressing', 'r1', 5), // nothing changed: not a row
      seen('Healthy', 'r1', 30),
      seen('Healthy', 'r2', 600), // a new release, still Healthy: a row
      seen('Degraded', 'r2', 700),
      seen('Healthy', 'r2', 1300),
    ]);
    expect((await store.entries({ namespace: 'acme' })).map(e => [e.health, e.releaseHash, e.at])).toEqual([
      ['Progressing', 'r1', '2026-03-02T10:00:00.000Z'],
      ['Healthy', 'r1', '2026-03-02T10:00:30.000Z'],
      ['Healthy', 'r2', '2026-03-02T10:10:00.000Z'],
      ['Degraded', 'r2', '2026-03-02T10:11:40.000Z'],
      ['Healthy', 'r2', '2026-03-02T10:21:40.000Z'],
    ]);
    expect(await store.entries({ namespace: 'acme', since: T0 + 700_000 })).toHaveLength(2);
    expect(await store.entries({ namespace: 'acme', component: 'other' })).toEqual([]);
    expect(await store.since('acme')).toBe(T0);
    expect(await store.since('elsewhere')).toBeUndefined();
  });

  it.each(databases.eachSupportedId())('on %s: survives a restart, and two replicas seeing the same changes write them once', async databaseId => {
    const { open } = await replicasOn(databaseId);
    const first = await open();
    await first.record([seen('Healthy', 'r1', 0)]);

    // A restart: a new process, a new store; the same status again is no row.
    const [replicaA, replicaB] = [await open(), await open()];
    await replicaA.record([seen('Healthy', 'r1', 60)]);
    // Both replicas watch the cluster and see the same transitions, at slightly different times
    // (across a second's boundary too), and write at the same moment.
    await Promise.all([
      replicaA.record([seen('Degraded', 'r1', 100), seen('Healthy', 'r2', 200)]),
      replicaB.record([seen('Degraded', 'r1', 101.5), seen('Healthy', 'r2', 202)]),
    ]);
    // Replica B, a while later, sees Degraded again: after the row replica A wrote last.
    await replicaB.record([seen('Degraded', 'r2', 300)]);
    await replicaA.record([seen('Degraded', 'r2', 301)]);
    const entries = await (await open()).entries({ namespace: 'acme', component: 'payments-api' });
    expect(entries.map(e => `${e.health} ${e.releaseHash}`)).toEqual(['Healthy r1', 'Degraded r1', 'Healthy r2', 'Degraded r2']);
  });

  it.each(databases.eachSupportedId())('on %s: records what the status service notifies, not Unknown, with the running release', async databaseId => {
    const { open } = await replicasOn(databaseId);
    const store = await open();
    const listeners = new Set<StatusListener>();
    let now = T0;
    const recorder = recordStatusHistory({
      status: { subscribe: l => (listeners.add(l), () => listeners.delete(l)) },
      store,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    const notify = (status: Partial<ComponentEnvironmentStatus>) => {
      now += 1000;
      for (const listener of listeners) {
        listener({ ...where, pods: { ready: 1, total: 1, restarts: 0 }, causes: [], health: 'Healthy', ...status });
      }
    };
    notify({ health: 'Unknown', reason: 'data plane not read yet' });
    notify({ health: 'Progressing', desired: { commit: 'c1', releaseHash: 'r1' }, runningReleaseHash: 'r0' });
    notify({ health: 'Healthy', desired: { commit: 'c1', releaseHash: 'r1' } });
    notify({ health: 'Healthy', desired: { commit: 'c1', releaseHash: 'r1' }, pods: { ready: 2, total: 2, restarts: 0 } });
    notify({ health: 'Degraded', reason: 'CrashLoopBackOff', desired: { commit: 'c1', releaseHash: 'r1' }, runningReleaseHash: 'r1' });
    await recorder.stop();
    notify({ health: 'Healthy', desired: { commit: 'c2', releaseHash: 'r2' } });
    await recorder.flushed();
    expect((await store.entries({ namespace: 'acme' })).map(({ health, releaseHash, revision, reason }) => ({ health, releaseHash, revision, reason }))).toEqual([
      { health: 'Progressing', releaseHash: 'r0', revision: 'c1', reason: undefined },
      { health: 'Healthy', releaseHash: 'r1', revision: 'c1', reason: undefined },
      { health: 'Degraded', releaseHash: 'r1', revision: 'c1', reason: 'CrashLoopBackOff' },
    ]);
  });
});
