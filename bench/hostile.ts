/**
 * yarn bench:hostile: what hostile but valid-sized input does to a running portal backend.
 *
 * Starts the real backend (packages/backend, `backstage-cli package start`) on a temporary GitOps
 * repository seeded from examples/gitops, with bench/backendProbe.cjs preloaded to measure the
 * backend's event loop and memory from inside. While a client polls the liveness endpoint, it
 *   1. pushes the worst files the loader's limits allow (hostileRepositoryFiles: 1 MiB each, the
 *      most problems per byte), then an unrelated one-line commit, and waits until the backend
 *      has read both;
 *   2. runs a burst of 100 "new service" templates through the scaffolder API at once and waits
 *      for every task (each must land as its own commit);
 *   3. collects garbage and reads the backend's RSS, against the same reading before the burst.
 * Targets: liveness p99 <= 100 ms and max <= 500 ms during each phase, and RSS growth after the
 * burst and a GC <= 100 MB. The last line is one JSON object.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { hostileRepositoryFiles } from '@cellplane/backstage-plugin-node/testUtils';

const ROOT = resolve(__dirname, '..');
const PORT = Number(process.env.BENCH_PORT ?? 7047);
const PROBE_PORT = PORT + 1;
const BACKEND = `http://localhost:${PORT}`;
const CREATES = Number(process.env.BENCH_CREATES ?? 100);
const LIVENESS_GAP_MS = 20;
const MB = 1024 * 1024;
/** Set to a folder to write a CPU profile of the backend for each phase (hostile, burst). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
/** Set to a folder to keep Backstage's SQLite databases on disk instead of in memory. */
const SQLITE_DIR = process.env.BENCH_SQLITE_DIR;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' },
  }).trim();

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Sequential liveness requests from outside the backend: what a load balancer would see. */
function pollLiveness() {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await fetch(`${BACKEND}/.backstage/health/v1/liveness`, { signal: AbortSignal.timeout(120_000) });
      } catch {
        // a failed probe still counts with the time it took
      }
      latencies.push(performance.now() - started);
      await sleep(LIVENESS_GAP_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { livenessP99Ms: round(percentile(latencies, 99)), livenessMaxMs: round(Math.max(...latencies)), probes: latencies.length };
    },
  };
}

async function probe(path: string) {
  const response = await fetch(`http://127.0.0.1:${PROBE_PORT}${path}`, { method: path === '/stats' ? 'GET' : 'POST' });
  return (await response.json()) as {
    eventLoopMaxMs: number;
    eventLoopP99Ms: number;
    rssBytes: number;
    heapUsedBytes: number;
    /** Each block of the event loop over 100 ms: when it ended (the CPU profile's clock, µs) and how long. */
    blocks: Array<{ endMicros: number; ms: number }>;
  };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

/** The example backend on its own port, with a fresh GitOps repository seeded from examples/gitops. */
function startBackend(dir: string, log: number): ChildProcess {
  const backend = spawn('yarn', ['workspace', 'backend', 'start', `--require=${join(ROOT, 'bench/backendProbe.cjs')}`], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      BENCH_PROBE_PORT: String(PROBE_PORT),
      LOG_LEVEL: 'warn',
      APP_CONFIG_backend_listen_port: String(PORT),
      APP_CONFIG_backend_baseUrl: BACKEND,
      APP_CONFIG_cellplane_gitops_url: join(dir, 'gitops.git'),
      APP_CONFIG_cellplane_gitops_seedFrom: join(ROOT, 'examples/gitops'),
      APP_CONFIG_cellplane_gitops_cacheDir: join(dir, 'mirror'),
      ...(SQLITE_DIR ? { APP_CONFIG_backend_database_connection: JSON.stringify({ directory: SQLITE_DIR }) } : {}),
    },
  });
  const killOnInterrupt = () => {
    killGroup(backend, 'SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', killOnInterrupt);
  process.once('SIGTERM', killOnInterrupt);
  return backend;
}

function killGroup(backend: ChildProcess | undefined, signal: NodeJS.Signals) {
  if (!backend?.pid) return;
  try {
    process.kill(-backend.pid, signal);
  } catch {
    // already gone
  }
}

interface Session {
  dir: string;
  bare: string;
  headers: Record<string, string>;
  revision(): Promise<string | undefined>;
}

/** Waits for the backend, the guest token, the template and the seeded repository. */
async function signIn(dir: string): Promise<Session> {
  await waitFor('the backend to be ready', async () => ((await fetch(`${BACKEND}/.backstage/health/v1/readiness`)).ok ? true : undefined), 300_000);
  const token = await waitFor(
    'a guest token',
    async () => ((await (await fetch(`${BACKEND}/api/auth/guest/refresh`)).json()) as any).backstageIdentity?.token as string | undefined,
    60_000,
  );
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const revision = async () => ((await (await fetch(`${BACKEND}/api/cellplane/repository`, { headers })).json()) as any).revision as string | undefined;
  await waitFor('the new-service template in the catalog', async () =>
    (await fetch(`${BACKEND}/api/catalog/entities/by-name/template/default/new-service`, { headers })).ok ? true : undefined, 300_000);
  await waitFor('the seeded repository', revision, 60_000);
  await sleep(5_000); // let start-up work (first full catalog mutation, first sync) settle before measuring
  return { dir, bare: join(dir, 'gitops.git'), headers, revision };
}

/** Phase 1: the worst files pushed by hand, then an unrelated commit; the backend must stay live. */
async function measureHostileFiles(session: Session) {
  const { dir, bare, headers, revision } = session;
  const files = hostileRepositoryFiles();
  console.log(`Backend ready; pushing ${files.map(f => `${f.path} (${f.content.length} bytes: ${f.description})`).join(', ')}, then an unrelated commit ...`);
  const work = join(dir, 'work');
  git(dir, 'clone', '--quiet', bare, work);
  const pushed = async (changes: Array<{ path: string; content: string }>, message: string) => {
    for (const { path, content } of changes) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', message);
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    const commit = git(work, 'rev-parse', 'HEAD');
    await fetch(`${BACKEND}/api/events/http/cellplane.gitops.push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ commit, branch: 'main' }),
    });
    await waitFor(`commit ${commit.slice(0, 12)} to be read`, async () => ((await revision()) === commit ? true : undefined), 300_000);
  };
  await probe('/reset');
  if (PROFILE_DIR) await probe('/profile/start');
  const liveness = pollLiveness();
  const started = performance.now();
  await pushed(files, 'Hostile files');
  await sleep(3_000); // the catalog and status read the same commit after the routes do
  const namespaceFile = 'namespaces/acme/namespace.yaml';
  await pushed([{ path: namespaceFile, content: `${readFileSync(join(work, namespaceFile), 'utf8')}# an unrelated change\n` }], 'An unrelated change');
  await sleep(3_000);
  const measured = { ...(await liveness.stop()), seconds: round((performance.now() - started) / 1000) };
  const loop = await probe('/stats');
  if (PROFILE_DIR) {
    await probe(`/profile/stop?file=${encodeURIComponent(join(PROFILE_DIR, 'hostile.cpuprofile'))}`);
    writeFileSync(join(PROFILE_DIR, 'hostile.blocks.json'), JSON.stringify(loop.blocks));
  }
  const problems = ((await (await fetch(`${BACKEND}/api/cellplane/repository/problems`, { headers })).json()) as any).items as unknown[];
  return {
    hostileFileBytes: files.reduce((sum, f) => sum + f.content.length, 0),
    problemsReported: problems.length,
    hostileLivenessP99Ms: measured.livenessP99Ms,
    hostileLivenessMaxMs: measured.livenessMaxMs,
    hostileEventLoopMaxMs: round(loop.eventLoopMaxMs),
    hostileSeconds: measured.seconds,
  };
}

/** Starts CREATES component creations through the scaffolder at once; returns their task ids. */
async function startCreates(headers: Record<string, string>): Promise<string[]> {
  const stamp = Date.now().toString(36);
  return Promise.all(
    Array.from({ length: CREATES }, async (_, i) => {
      const name = `burst-${stamp}-${i}`;
      const response = await fetch(`${BACKEND}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          templateRef: 'template:default/new-service',
          values: { project: 'system:acme/storefront', name, owner: 'group:default/team-storefront', image: `ghcr.io/acme/${name}:1.0.0`, port: 8080, visibility: 'project', publishMode: 'commit' },
        }),
      });
      if (response.status !== 201) throw new Error(`create ${i}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as any).id as string;
    }),
  );
}

/**
 * Waits for every task to end. One poller for all tasks, one request at a time, as a person
 * watching them would: 100 pollers at 200 ms would be 500 requests a second of the benchmark's
 * own making.
 */
async function waitForTasks(headers: Record<string, string>, taskIds: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  const deadline = Date.now() + 900_000;
  while (statuses.size < taskIds.length) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${taskIds.length - statuses.size} tasks`);
    for (const id of taskIds.filter(t => !statuses.has(t))) {
      const { status } = (await (await fetch(`${BACKEND}/api/scaffolder/v2/tasks/${id}`, { headers })).json()) as any;
      if (status === 'completed' || status === 'failed') statuses.set(id, status);
    }
    await sleep(1_000);
  }
  return statuses;
}

/** Phase 2: a burst of creates through the scaffolder; liveness, commits and memory. */
async function measureCreateBurst(session: Session) {
  const { dir, bare, headers } = session;
  console.log(`Running ${CREATES} creates at once ...`);
  const before = await probe('/gc');
  const headBefore = git(dir, '--git-dir', bare, 'rev-parse', 'main');
  await probe('/reset');
  if (PROFILE_DIR) await probe('/profile/start');
  const liveness = pollLiveness();
  const started = performance.now();
  const statuses = await waitForTasks(headers, await startCreates(headers));
  const measured = { ...(await liveness.stop()), seconds: round((performance.now() - started) / 1000) };
  const loop = await probe('/stats');
  if (PROFILE_DIR) {
    await probe(`/profile/stop?file=${encodeURIComponent(join(PROFILE_DIR, 'burst.cpuprofile'))}`);
    writeFileSync(join(PROFILE_DIR, 'burst.blocks.json'), JSON.stringify(loop.blocks));
  }
  const commits = Number(git(dir, '--git-dir', bare, 'rev-list', '--count', `${headBefore}..main`));
  await sleep(10_000); // let the catalog take in the new components before measuring memory
  const after = await probe('/gc');
  return {
    creates: CREATES,
    createsCompleted: [...statuses.values()].filter(status => status === 'completed').length,
    commits,
    burstLivenessP99Ms: measured.livenessP99Ms,
    burstLivenessMaxMs: measured.livenessMaxMs,
    burstEventLoopMaxMs: round(loop.eventLoopMaxMs),
    burstSeconds: measured.seconds,
    rssBeforeBurstMB: round(before.rssBytes / MB),
    rssAfterBurstAndGcMB: round(after.rssBytes / MB),
    rssGrowthMB: round((after.rssBytes - before.rssBytes) / MB),
    heapGrowthMB: round((after.heapUsedBytes - before.heapUsedBytes) / MB),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-bench-hostile-'));
  const logFile = join(dir, 'backend.log');
  const log = openSync(logFile, 'w');
  let backend: ChildProcess | undefined;
  try {
    console.log(`Starting the backend on :${PORT} with a GitOps repository in ${dir} ...`);
    backend = startBackend(dir, log);
    const session = await signIn(dir);
    const hostile = await measureHostileFiles(session);
    console.log(`Hostile files read (${hostile.problemsReported} problems reported).`);
    const burst = await measureCreateBurst(session);
    console.log(JSON.stringify({ ...hostile, ...burst }));
  } catch (error) {
    console.error(`The backend's last log lines:\n${readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}`);
    throw error;
  } finally {
    closeSync(log);
    killGroup(backend, 'SIGTERM');
    await sleep(2_000);
    killGroup(backend, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
