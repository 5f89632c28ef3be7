import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { waitFor } from './waitFor';

/** packages/backend, where `yarn start` runs the backend (app-config's relative paths start there). */
export const BACKEND_DIR = resolve(__dirname, '..', '..', '..');

/** A backend process of packages/backend, started by {@link startReplica}. */
export interface Replica {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal) when the process has gone. */
  exited: Promise<string>;
  /** Every process of the replica (node and the git commands it runs) at once, as a container dies. */
  kill(): Promise<string>;
  /** SIGTERM: Backstage's own shutdown. */
  stop(): Promise<string>;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the real backend of packages/backend (src/index.ts with every plugin) as
 * `backstage-cli package start` does, minus the file watcher: a child `node` that transpiles
 * the TypeScript sources with Backstage's own transform (@backstage/cli-node's nodeTransform),
 * with the configuration of app-config.yaml and `config` on top as APP_CONFIG_* variables.
 * Resolves once the backend's readiness check answers 200.
 */
export async function startReplica(options: {
  name: string;
  port: number;
  config: Record<string, unknown>;
  logDir: string;
  env?: Record<string, string>;
}): Promise<Replica> {
  const { name, port } = options;
  const url = `http://localhost:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'development',
    // Plain log lines in the log files.
    FORCE_COLOR: '0',
    APP_CONFIG_backend_baseUrl: url,
    APP_CONFIG_backend_listen_port: String(port),
    APP_CONFIG_app_baseUrl: url,
    APP_CONFIG_backend_cors_origin: url,
    ...options.env,
  };
  for (const [key, value] of Object.entries(options.config)) {
    env[`APP_CONFIG_${key.replace(/\./g, '_')}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const logFile = join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      '--require',
      join(__dirname, 'exitWithParent.cjs'),
      'src/index.ts',
    ],
    // Its own process group, so that kill() takes git's processes down with it.
    { cwd: BACKEND_DIR, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  // A plugin that fails to start leaves the process running, not ready: fail at once, not at the timeout.
  let startupFailure: string | undefined;
  const watchOutput = (chunk: Buffer) => {
    startupFailure ??= /Backend startup failed[^\n]*\n?[^\n]*/.exec(chunk.toString('utf8'))?.[0];
  };
  child.stdout!.on('data', watchOutput);
  child.stderr!.on('data', watchOutput);
  const exited = new Promise<string>(resolveExit =>
    child.once('exit', (code, signal) => {
      log.end();
      resolveExit(signal ?? String(code));
    }),
  );
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
    return exited;
  };
  await waitFor(`${name} to be ready (log: ${logFile})`, async () => {
    if (gone) throw new Error(`${name} exited before it was ready; see ${logFile}`);
    if (startupFailure) {
      signalGroup('SIGKILL');
      // eslint-disable-next-line no-control-regex
      throw new Error(`${name} exited before it was ready: ${startupFailure.replace(/\x1b\[[0-9;]*m/g, '')}; see ${logFile}`);
    }
    const response = await fetch(`${url}/.backstage/health/v1/readiness`).catch(() => undefined);
    return response?.status === 200;
  }, { timeoutMs: 300_000, intervalMs: 500 });
  return {
    name,
    url,
    pid: child.pid!,
    logFile,
    exited,
    kill: () => signalGroup('SIGKILL'),
    stop: async () => {
      // Backstage's own shutdown, and the hard way if it has not ended in 30 s.
      const timer = setTimeout(() => signalGroup('SIGKILL'), 30_000);
      try {
        return await signalGroup('SIGTERM');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
