/**
 * The databases Cellplane's integration tests run on: SQLite, the zero-setup default, and
 * PostgreSQL, what production runs. Pass to `TestDatabases.create({ ids })` of
 * `@backstage/backend-test-utils`.
 */
export const CELLPLANE_TEST_DATABASE_IDS = ['SQLITE_3', 'POSTGRES_18'] as const;

/** Where `TestDatabases` finds the PostgreSQL server for `POSTGRES_18`. */
export const POSTGRES_CONNECTION_STRING_VARIABLE = 'BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING';
