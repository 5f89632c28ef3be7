import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** A production portal this benchmark started, and how to stop it. */
export interface Portal {
  url: string;
  /** The last lines the portal wrote, for an error report. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The production build of the portal served locally, started as the browser tests start it
 * (scripts/production/start.mjs: the image's CMD and config, guest sign-in, SQLite in memory) on
 * its own port, with its GitOps repository created in `scratch` from `seedFrom`. With `build`,
 * the build is made first when it is missing or older than the sources (`yarn tsc`,
 * `yarn build:all`).
 */
export async function startPortal(options: { scratch: string; seedFrom: string; port: number; build: boolean }): Promise<Portal> {
  const { scratch, seedFrom, port, build } = options;
  const url = `http://localhost:${port}`;
  const logFile = join(scratch, 'portal.log');
  const log = openSync(logFile, 'w');
  const args = ['scripts/production/start.mjs', ...(build ? ['--build'] : []), '--dir', join(scratch, 'production')];
  // Its own process group, so stopping it reaches the backend it starts, and nothing else.
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      APP_CONFIG_app_baseUrl: url,
      APP_CONFIG_backend_baseUrl: url,
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_cors_origin: url,
      APP_CONFIG_cellplane_gitops_url: join(scratch, 'gitops.git'),
      APP_CONFIG_cellplane_gitops_seedFrom: seedFrom,
      APP_CONFIG_cellplane_gitops_cacheDir: join(scratch, 'mirror'),
    },
  });
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // Interrupted: the portal's process group goes too, not left running on its port.
  const onInterrupt = () => {
    signalGroup('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const portal: Portal = {
    url,
    logTail: (lines = 30) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    async stop() {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
      // start.mjs stops the backend on SIGTERM and removes its folder; a backend that hangs is killed.
      signalGroup('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      signalGroup('SIGKILL');
      closeSync(log);
    },
  };
  const ready = `${url}/.backstage/health/v1/readiness`;
  // A build from scratch on a busy 2-core machine takes many minutes; the start itself about one.
  const deadline = Date.now() + 30 * 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the portal stopped before it was ready (exit ${child.exitCode ?? child.signalCode}); its log:\n${portal.logTail()}`);
    }
    if (await fetch(ready).then(r => r.ok, () => false)) return portal;
    await sleep(500);
  }
  await portal.stop();
  throw new Error(`the portal did not answer ${ready} within 30 minutes; its log:\n${portal.logTail()}`);
}
