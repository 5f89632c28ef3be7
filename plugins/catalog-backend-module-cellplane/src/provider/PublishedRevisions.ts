import { DatabaseService, isDatabaseConflictError } from '@backstage/backend-plugin-api';

/**
 * Which revision of the GitOps repository the catalog holds, per provider, whoever published it.
 *
 * Each backend replica runs the provider. A delta mutation is only right against what the
 * catalog holds; what this replica published last is not that once another replica published
 * since (an entity it changed and a later commit changed back, or one it added and a later
 * commit removed, would be left as they are). So every publish records its revision here, by
 * compare-and-set: a publish whose record moved meanwhile (another replica's publish ran at the
 * same time, in whatever order the two reached the catalog) forgets the record, and the next
 * refresh, on any replica, sends a full mutation.
 */
export interface PublishedRevisions {
  /** The revision the catalog holds for the provider; undefined when not known. */
  get(provider: string): Promise<string | undefined>;
  /** Records `next` if the record is still `expected`; false when it moved meanwhile. */
  replace(provider: string, expected: string | undefined, next: string): Promise<boolean>;
  /** Forgets the record: the next refresh sends a full mutation. */
  forget(provider: string): Promise<void>;
}

/** One process's record: right when one backend process runs the provider. */
export class InMemoryPublishedRevisions implements PublishedRevisions {
  private readonly revisions = new Map<string, string>();

  async get(provider: string) {
    return this.revisions.get(provider);
  }

  async replace(provider: string, expected: string | undefined, next: string) {
    if (this.revisions.get(provider) !== expected) return false;
    this.revisions.set(provider, next);
    return true;
  }

  async forget(provider: string) {
    this.revisions.delete(provider);
  }
}

const TABLE = 'cellplane_published_revisions';
type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

/**
 * The record in the catalog's own database, which every replica shares (a table of its own,
 * created on first use, as the catalog's own modules keep theirs).
 */
export class DatabasePublishedRevisions implements PublishedRevisions {
  private client?: Promise<Knex>;

  constructor(private readonly database: DatabaseService) {}

  async get(provider: string) {
    const knex = await this.db();
    const row = await knex(TABLE).where({ provider }).first('revision');
    return row?.revision as string | undefined;
  }

  async replace(provider: string, expected: string | undefined, next: string) {
    const knex = await this.db();
    if (expected === undefined) {
      try {
        await knex(TABLE).insert({ provider, revision: next, updated_at: knex.fn.now() });
        return true;
      } catch (error) {
        if (isDatabaseConflictError(error)) return false;
        throw error;
      }
    }
    const updated = await knex(TABLE)
      .where({ provider, revision: expected })
      .update({ revision: next, updated_at: knex.fn.now() });
    return updated === 1;
  }

  async forget(provider: string) {
    const knex = await this.db();
    await knex(TABLE).where({ provider }).delete();
  }

  private db(): Promise<Knex> {
    this.client ??= (async () => {
      const knex = await this.database.getClient();
      if (!this.database.migrations?.skip && !(await knex.schema.hasTable(TABLE))) {
        // Replicas starting together may both create it: the one that loses finds it made.
        await knex.schema
          .createTable(TABLE, table => {
            table.string('provider', 255).primary();
            table.string('revision', 255).notNullable();
            table.timestamp('updated_at').notNullable();
          })
          .catch(async error => {
            if (!(await knex.schema.hasTable(TABLE))) throw error;
          });
      }
      return knex;
    })().catch(error => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }
}
