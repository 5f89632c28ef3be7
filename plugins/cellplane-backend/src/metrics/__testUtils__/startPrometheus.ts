import { ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/** One series to load: its name, labels, and [unix seconds, value] samples in time order. */
export interface SeriesToLoad {
  name: string;
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

/** A real Prometheus serving the series it was started with. */
export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** Where a binary is on PATH (and /usr/bin, where Debian's package puts it), or undefined. */
function findBinary(name: string, searchPath = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']): string | undefined {
  for (const dir of searchPath) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** The series as OpenMetrics text, what `promtool tsdb create-blocks-from openmetrics` reads. */
export function openMetricsText(series: SeriesToLoad[]): string {
  const lines: string[] = [];
  for (const { name, labels, samples } of series) {
    const labelText = Object.entries(labels)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(',');
    for (const [time, value] of samples) lines.push(`${name}{${labelText}} ${value} ${time}`);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Debian's `prometheus` on a free local port with `series` already in its TSDB: written as
 * OpenMetrics, turned into blocks by `promtool tsdb create-blocks-from openmetrics`, then served.
 * Resolves once `/-/ready` says so. Everything lives in a temporary folder, removed by `stop()`.
 * Missing binaries fail the test with what to do, never skip it. `flags` go to prometheus as they are
 * (e.g. `--query.max-samples=1`, to make every query fail as an overloaded Prometheus would);
 * `searchPath` replaces PATH and /usr/bin where the binaries are looked for.
 */
export async function startPrometheus(series: SeriesToLoad[], options: { flags?: string[]; searchPath?: string[] } = {}): Promise<RunningPrometheus> {
  const prometheus = findBinary('prometheus', options.searchPath);
  const promtool = findBinary('promtool', options.searchPath);
  if (!prometheus || !promtool) {
    throw new Error(
      `${!prometheus ? 'prometheus' : 'promtool'} is not installed: run ./cellplane test once (its ensure_prometheus installs Debian's prometheus package), or apt-get install -y prometheus`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-prometheus-'));
  const data = join(dir, 'data');
  try {
    writeFileSync(join(dir, 'series.om'), openMetricsText(series));
    // No scrape jobs: the test's series are all it serves.
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
    await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'series.om'), data]);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = spawn(
        prometheus,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${data}`,
          // Loaded blocks are never too old to keep, whatever their times.
          '--storage.tsdb.retention.time=100y',
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
          ...(options.flags ?? []),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr!.on('data', chunk => (stderr = (stderr + chunk).slice(-4000)));
      const url = `http://127.0.0.1:${port}`;
      const ready = await untilReady(url, child);
      if (ready === true) {
        return { url, stop: async () => stopProcess(child).finally(() => rmSync(dir, { recursive: true, force: true })) };
      }
      await stopProcess(child);
      // Another process may have taken the port between freePort() and Prometheus' listen.
      if (attempt === 3 || !/address already in use/.test(stderr)) {
        throw new Error(`prometheus did not become ready (${ready}): ${stderr.trim().slice(-1500)}`);
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** true once `/-/ready` answers 200; otherwise why not (the process exited, or 30 s passed). */
async function untilReady(url: string, child: ChildProcess): Promise<true | string> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) return exited;
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return 'not ready after 30 s';
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>(resolve => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
