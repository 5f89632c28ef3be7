import { DatabaseService, coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { CELLPLANE_TEST_DATABASE_IDS, POSTGRES_CONNECTION_STRING_VARIABLE } from './constants';

/**
 * SQLite and the PostgreSQL server the Jest global setup started. Call once at the top of a test
 * file: it registers an afterAll that drops the databases it made.
 */
export function cellplaneTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: [...CELLPLANE_TEST_DATABASE_IDS] });
}

/**
 * What `databases` runs on, to assert in each file that it is both SQLite and PostgreSQL: without
 * the server's connection string TestDatabases quietly leaves PostgreSQL out (or, under CI, tries
 * Docker).
 */
export function databasesUnderTest(databases: TestDatabases) {
  return {
    postgresServer: /^postgres(ql)?:\/\//.test(process.env[POSTGRES_CONNECTION_STRING_VARIABLE] ?? ''),
    ids: databases.eachSupportedId().map(([id]) => id),
  };
}

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

/**
 * The database service as Backstage's own gives it on PostgreSQL: a database of its own for each
 * plugin (each runs its own migrations, which would clash in a shared one), here a fresh one
 * of `id` from `databases`, made when the plugin first asks. `clientOf` hands a test the same
 * connection, to look at what a plugin stored; `pluginsThatAsked` says which plugins used one.
 */
export function databasePerPlugin(databases: TestDatabases, id: TestDatabaseId) {
  const clients = new Map<string, Promise<Knex>>();
  const asked = new Set<string>();
  const clientOf = (pluginId: string) => {
    let client = clients.get(pluginId);
    if (!client) {
      client = databases.init(id);
      clients.set(pluginId, client);
    }
    return client;
  };
  const factory = createServiceFactory({
    service: coreServices.database,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    factory: ({ pluginMetadata }): DatabaseService => ({
      getClient: () => {
        asked.add(pluginMetadata.getId());
        return clientOf(pluginMetadata.getId());
      },
    }),
  });
  return { factory, clientOf, pluginsThatAsked: () => [...asked].sort() };
}
