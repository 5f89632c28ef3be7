import { POSTGRES_CONNECTION_STRING_VARIABLE } from './constants';

/** Jest `globalTeardown`: stops the server {@link ./jestGlobalSetup} started, once. */
export default async function teardownPostgresForTests() {
  const server = globalThis.cellplaneTestPostgres;
  if (!server) return;
  globalThis.cellplaneTestPostgres = undefined;
  delete process.env[POSTGRES_CONNECTION_STRING_VARIABLE];
  await server.stop();
}
