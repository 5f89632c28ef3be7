import { Client } from 'pg';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

      const second = await startPostgres({ dataDir: join(parent, 'pg') });
      try {
        expect(await query(second.connectionString, 'select value from kept')).toEqual([{ value: 'still here' }]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
