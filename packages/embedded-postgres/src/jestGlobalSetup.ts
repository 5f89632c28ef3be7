import { startPostgres, RunningPostgres } from './startPostgres';
import { POSTGRES_CONNECTION_STRING_VARIABLE } from './constants';

declare global {
  // eslint-disable-next-line vars-on-top, no-var
  var cellplaneTestPostgres: RunningPostgres | undefined;
}

/**
 * Jest `globalSetup` of the packages whose integration tests run on PostgreSQL: one real server
 * for the whole run (every package that lists this shares it; `TestDatabases` makes a fresh
 * database per test), unless the environment already names one. Workers start after global
 * setup and inherit the variable.
 */
export default async function setupPostgresForTests() {
  if (process.env[POSTGRES_CONNECTION_STRING_VARIABLE]) return;
  const started = Date.now();
  globalThis.cellplaneTestPostgres = await startPostgres();
  process.env[POSTGRES_CONNECTION_STRING_VARIABLE] = globalThis.cellplaneTestPostgres.connectionString;
  process.stderr.write(
    `PostgreSQL for tests on port ${globalThis.cellplaneTestPostgres.port} (started in ${Date.now() - started} ms)\n`,
  );
}
