import { Client } from 'pg';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from './startPostgres';

async function query(connectionString: string, sql: string) {
  const client = new Client({ connectionString: `${connectionString}/postgres` });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  it('runs a real PostgreSQL 18 server and removes its temporary folder on stop', async () => {
    const server = await startPostgres();
    try {
      const [{ version }] = await query(server.connectionString, 'select version()');
      expect(version).toMatch(/^PostgreSQL 18\./);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dataDir)).toBe(false);
    await expect(query(server.connectionString, 'select 1')).rejects.toThrow();
  });

  it('keeps a named data folder, and its data, across restarts', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'cellplane-postgres-test-'));
    try {
      const first = await startPostgres({ dataDir: join(parent, 'pg') });
      await query(first.connectionString, 'create table kept (value text); insert into kept values (\'still here\')');
      await first.stop();

      // The password is random per cluster and kept for the owner only.
      expect(statSync(join(parent, 'pg.password')).mode & 0o777).toBe(0o600);
      const second = await startPostgres({ dataDir: join(parent, 'pg') });
      expect(second.password).toBe(first.password);
      try {
        expect(await query(second.connectionString, 'select value from kept')).toEqual([{ value: 'still here' }]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('refuses a bad port, naming it, and a kept cluster whose password file is gone', async () => {
    await expect(startPostgres({ port: 70000 })).rejects.toThrow('port must be an integer from 1 to 65535, got 70000');

    const parent = mkdtempSync(join(tmpdir(), 'cellplane-postgres-test-'));
    try {
      await (await startPostgres({ dataDir: join(parent, 'pg') })).stop();
      rmSync(join(parent, 'pg.password'));
      await expect(startPostgres({ dataDir: join(parent, 'pg') })).rejects.toThrow(/not its password file .*pg\.password; remove the folder/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
