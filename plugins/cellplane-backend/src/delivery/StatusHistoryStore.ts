import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import { HealthState, StatusHistoryEntry } from '@cellplane/backstage-plugin-common';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

const TABLE = 'cellplane_status_history';
const MAX_REASON_CHARS = 500;
/** Times another replica may win the race for the same row before this one gives up on a change. */
const MAX_RACES = 5;

/** A component's status in an environment, as far as the history keeps it: an entry of the API, timed in milliseconds since the epoch. @public */
export type RecordedStatus = Omit<StatusHistoryEntry, 'at'> & { at: number };

/** Which rows {@link StatusHistoryStore.entries} reads. @public */
export interface StatusHistoryQuery {
  namespace: string;
  project?: string;
  component?: string;
  /** Milliseconds since the epoch, inclusive. */
  since?: number;
}

interface Row {
  id: number | string;
  namespace: string;
  project: string;
  component: string;
  environment: string;
  health: string;
  release_hash: string;
  revision: string | null;
  reason: string | null;
  at: number | string;
  previous_id: number | string;
}

const keyOf = (s: { namespace: string; component: string; environment: string }) =>
  `${s.namespace}\u0000${s.component}\u0000${s.environment}`;

/**
 * The status history in the backend's database (SQLite or PostgreSQL, Backstage's database
 * service; its own migrations in `migrations/`): what the delivery metrics read to tell when a
 * release ran Healthy, and how long the component was Degraded. It survives restarts and is the
 * same on every replica: each row names the row it follows, and a unique key on that makes a
 * transition that several replicas saw one row.
 *
 * @public
 */
export class StatusHistoryStore {
  /** The last row of each component × environment this process wrote or read. */
  private readonly latest = new Map<string, { id: number; health: string; releaseHash: string }>();

  private constructor(private readonly knex: Knex) {}

  /** Opens the store, bringing its table up to date unless the database service says to skip migrations. */
  static async create(database: DatabaseService): Promise<StatusHistoryStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({ directory: resolvePackagePath('@cellplane/backstage-plugin-backend', 'migrations') });
    }
    return new StatusHistoryStore(knex);
  }

  /**
   * Appends the statuses that differ (health or running release) from the last row of their
   * component and environment, in order; a status another replica already recorded is not
   * written again. Returns how many of them are new transitions (written here or by another
   * replica at the same moment).
   */
  async record(statuses: readonly RecordedStatus[]): Promise<number> {
    let written = 0;
    for (const status of statuses) {
      if (await this.recordOne(status)) written += 1;
    }
    return written;
  }

  private async recordOne(status: RecordedStatus): Promise<boolean> {
    const key = keyOf(status);
    const releaseHash = status.releaseHash ?? '';
    for (let race = 0; race < MAX_RACES; race += 1) {
      const last = this.latest.get(key) ?? (await this.readLatest(status));
      if (last && last.health === status.health && last.releaseHash === releaseHash) return false;
      const previousId = last?.id ?? 0;
      await this.knex(TABLE)
        .insert({
          namespace: status.namespace,
          project: status.project,
          component: status.component,
          environment: status.environment,
          health: status.health,
          release_hash: releaseHash,
          revision: status.revision ?? null,
          reason: status.reason ? status.reason.slice(0, MAX_REASON_CHARS) : null,
          at: Math.round(status.at),
          previous_id: previousId,
        })
        .onConflict(['namespace', 'component', 'environment', 'previous_id'])
        .ignore();
      const winner: Row | undefined = await this.knex(TABLE)
        .where({ namespace: status.namespace, component: status.component, environment: status.environment, previous_id: previousId })
        .first();
      if (!winner) continue;
      this.latest.set(key, { id: Number(winner.id), health: winner.health, releaseHash: winner.release_hash });
      // Another replica wrote its own row after the same one: look again from there.
      if (winner.health === status.health && winner.release_hash === releaseHash) return true;
    }
    return false;
  }

  private async readLatest(s: { namespace: string; component: string; environment: string }) {
    const row: Row | undefined = await this.knex(TABLE)
      .where({ namespace: s.namespace, component: s.component, environment: s.environment })
      .orderBy('id', 'desc')
      .first();
    if (!row) return undefined;
    const latest = { id: Number(row.id), health: row.health, releaseHash: row.release_hash };
    this.latest.set(keyOf(s), latest);
    return latest;
  }

  /** The rows of a namespace (or of a project or component in it), oldest first. */
  async entries(query: StatusHistoryQuery): Promise<StatusHistoryEntry[]> {
    const rows: Row[] = await this.knex(TABLE)
      .where('namespace', query.namespace)
      .modify(builder => {
        if (query.project) builder.where('project', query.project);
        if (query.component) builder.where('component', query.component);
        if (query.since !== undefined) builder.where('at', '>=', Math.floor(query.since));
      })
      .orderBy([{ column: 'at' }, { column: 'id' }]);
    return rows.map(row => ({
      namespace: row.namespace,
      project: row.project,
      component: row.component,
      environment: row.environment,
      health: row.health as HealthState,
      ...(row.release_hash ? { releaseHash: row.release_hash } : {}),
      ...(row.revision ? { revision: row.revision } : {}),
      ...(row.reason ? { reason: row.reason } : {}),
      at: new Date(Number(row.at)).toISOString(),
    }));
  }

  /** When the history of a namespace starts (milliseconds since the epoch), if it has any row. */
  async since(namespace: string): Promise<number | undefined> {
    const row = await this.knex(TABLE).where('namespace', namespace).min({ first: 'at' }).first();
    return row?.first === null || row?.first === undefined ? undefined : Number(row.first);
  }
}
