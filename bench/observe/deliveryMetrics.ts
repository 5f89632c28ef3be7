/**
 * bench:observe, delivery part (issue #15): the delivery (DORA) metrics of a whole organisation,
 * 1,000 components over 10,000 commits, through GET /delivery-metrics. Target ≤ 2 s, reading
 * the Git history included.
 *
 * The history is generated with one `git fast-import` into a temporary bare repository: a seed
 * commit (bench/generateRepository.ts: 20 projects × 50 components, a binding per environment,
 * each following its component), then BENCH_DELIVERY_COMMITS commits over 90 days, in turn spec
 * changes (deploy development), promotions to staging and to production (pin a release), and
 * rollbacks of production. The status history holds what production did after each promotion
 * and rollback (Progressing, Healthy, and now and then Degraded then Healthy again), inserted
 * into the backend's own SQLite database.
 *
 * Measured: the organisation's figures over the 90 days on first ask (git log, cat-file of the
 * binding changes, the status rows, the computation: `coldMs`), asked again (the revision's
 * history cached: `warmP50Ms`), and one project's and one component's on first ask.
 */
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import cellplanePlugin from '@cellplane/backstage-plugin-backend';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { generateRepository } from '../generateRepository';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 20);
const COMPONENTS_PER_PROJECT = Number(process.env.BENCH_COMPONENTS_PER_PROJECT ?? 50);
const COMMITS = Number(process.env.BENCH_DELIVERY_COMMITS ?? 10_000);
const WARM_SAMPLES = Number(process.env.BENCH_DELIVERY_WARM_SAMPLES ?? 5);
const DAY_MS = 86_400_000;
const PERIOD_DAYS = 90;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const round = (n: number) => Math.round(n * 10) / 10;

interface StatusRow {
  id: number;
  namespace: string;
  project: string;
  component: string;
  environment: string;
  health: string;
  release_hash: string;
  revision: null;
  reason: string | null;
  at: number;
  previous_id: number;
}

/** The fast-import stream of the seed and the history, and the status rows production saw. */
function generateHistory(start: number) {
  const files = new Map<string, string>();
  for (const file of generateRepository({ projects: PROJECTS, componentsPerProject: COMPONENTS_PER_PROJECT })) {
    files.set(file.path, Buffer.isBuffer(file.content) ? file.content.toString('utf8') : String(file.content));
  }
  const components = [...files.keys()]
    .map(path => /^namespaces\/acme\/projects\/([^/]+)\/components\/([^/]+)\/component\.yaml$/.exec(path))
    .filter((m): m is RegExpExecArray => !!m)
    .map(m => ({ project: m[1], component: m[2], dir: `namespaces/acme/projects/${m[1]}/components/${m[2]}` }));
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (mark: number, at: number, message: string, changes: Array<[string, string]>) => {
    chunks.push(`commit refs/heads/main\nmark :${mark}\ncommitter Bench <bench@example.com> ${Math.floor(at / 1000)} +0000\n${data(message)}`);
    if (mark > 1) chunks.push(`from :${mark - 1}\n`);
    for (const [path, content] of changes) chunks.push(`M 100644 inline ${path}\n${data(content)}`);
  };
  commit(1, start - DAY_MS, 'seed', [...files.entries()]);

  const rows: StatusRow[] = [];
  const lastRow = new Map<string, number>();
  const row = (c: (typeof components)[number], at: number, health: string, hash: string) => {
    const id = rows.length + 1;
    rows.push({ id, namespace: 'acme', project: c.project, component: c.component, environment: 'production', health, release_hash: hash, revision: null, reason: health === 'Degraded' ? 'CrashLoopBackOff' : null, at, previous_id: lastRow.get(c.component) ?? 0 });
    lastRow.set(c.component, id);
  };
  const pin = (c: (typeof components)[number], environment: string, release: string): [string, string] => {
    const path = `${c.dir}/release-bindings/${c.component}-${environment}.yaml`;
    const content = files.get(path)!.replace(/\n {2}releaseName: .*/, '').replace(`  environment: ${environment}\n`, `  environment: ${environment}\n  releaseName: ${release}\n`);
    files.set(path, content);
    return [path, content];
  };
  const bound = {
    staging: components.filter(c => files.has(`${c.dir}/release-bindings/${c.component}-staging.yaml`)),
    production: components.filter(c => files.has(`${c.dir}/release-bindings/${c.component}-production.yaml`)),
  };
  let seed = 12345;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const step = (PERIOD_DAYS * DAY_MS) / COMMITS;
  const released = new Map<string, string[]>();
  for (let i = 0; i < COMMITS; i += 1) {
    const at = start + Math.round(i * step);
    const kind = i % 10;
    // Promotions and rollbacks go to components bound to that environment (1 to 3 of them each).
    const pool = kind <= 5 ? components : kind <= 7 ? bound.staging : bound.production;
    const c = pool[random(pool.length)];
    const releases = released.get(c.component) ?? [];
    if (kind <= 5 || (kind === 9 && releases.length < 2)) {
      const path = `${c.dir}/workload.yaml`;
      files.set(path, `${files.get(path)}# change ${i}\n`);
      commit(i + 2, at, `Change ${c.component} (${i})`, [[path, files.get(path)!]]);
    } else if (kind <= 7) {
      commit(i + 2, at, `Promote acme/${c.component} from development to staging`, [pin(c, 'staging', `${c.component}-r${i}`)]);
    } else {
      const release = kind === 8 ? `${c.component}-r${i}` : releases[releases.length - 2];
      const message = kind === 8 ? `Promote acme/${c.component} from staging to production` : `Roll back acme/${c.component} in production to ${release}`;
      commit(i + 2, at, message, [pin(c, 'production', release)]);
      if (kind === 8) released.set(c.component, [...releases, release]);
      row(c, at + 60_000, 'Progressing', release);
      if (random(5) === 0) {
        row(c, at + 240_000, 'Degraded', release);
        row(c, at + 1_800_000, 'Healthy', release);
      } else {
        row(c, at + 300_000, 'Healthy', release);
      }
    }
  }
  chunks.push('done\n');
  return { stream: chunks.join(''), rows, components };
}

function get(server: http.Server, path: string): Promise<{ status: number; body: any; ms: number }> {
  const { port } = server.address() as AddressInfo;
  const started = now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, res => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (raw += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(raw), ms: now() - started }));
      })
      .on('error', reject);
  });
}

export async function run(log: (line: string) => void): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-bench-delivery-'));
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  try {
    const to = Date.now();
    const from = to - PERIOD_DAYS * DAY_MS;
    let started = now();
    const { stream, rows, components } = generateHistory(from);
    const bare = join(dir, 'gitops.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    execFileSync('git', ['fast-import', '--quiet'], { cwd: bare, input: stream, maxBuffer: 1 << 30 });
    log(`${components.length} components, ${COMMITS + 1} commits (git fast-import) and ${rows.length} status rows generated in ${round(now() - started)} ms`);

    started = now();
    backend = await startTestBackend({
      features: [
        cellplanePlugin,
        createServiceFactory({ service: coreServices.database, deps: {}, factory: () => ({ getClient: async () => knex }) }),
        (await import('@backstage/backend-test-utils')).mockServices.rootConfig.factory({
          data: { cellplane: { gitops: { url: bare, cacheDir: join(dir, 'cache') } }, events: { useEventBus: 'never' } },
        }),
      ],
    });
    for (let i = 0; i < rows.length; i += 500) await knex('cellplane_status_history').insert(rows.slice(i, i + 500));
    const scope = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
    // The model at head is loaded once per commit, whatever asks first (here a component's figures).
    const first = await get(backend.server, `/api/cellplane/delivery-metrics?entity=component:acme/${components[0].component}&${scope}`);
    if (first.status !== 200) throw new Error(`delivery metrics answered ${first.status}: ${JSON.stringify(first.body)}`);
    log(`backend started, model loaded and first component's figures in ${round(now() - started)} ms`);

    const project = await get(backend.server, `/api/cellplane/delivery-metrics?entity=project:acme/${components[0].project}&${scope}`);
    const cold = await get(backend.server, `/api/cellplane/delivery-metrics?namespace=acme&${scope}`);
    const production = cold.body.environments.find((e: any) => e.environment === 'production');
    log(
      `organisation, cold: ${round(cold.ms)} ms; production: ${production.deploymentFrequency.deployments} deployments, lead time median ${production.leadTime.medianSeconds} s, change failure rate ${production.changeFailureRate.rate}, time to restore median ${production.timeToRestore.medianSeconds} s`,
    );
    const warm: number[] = [];
    for (let i = 0; i < WARM_SAMPLES; i += 1) warm.push((await get(backend.server, `/api/cellplane/delivery-metrics?namespace=acme&${scope}`)).ms);
    warm.sort((a, b) => a - b);
    log(`organisation, warm: p50 ${round(warm[Math.floor(warm.length / 2)])} ms over ${WARM_SAMPLES}; one project cold: ${round(project.ms)} ms`);
    return {
      deliveryMetrics: {
        components: components.length,
        commits: COMMITS + 1,
        statusRows: rows.length,
        organisationColdMs: round(cold.ms),
        organisationWarmP50Ms: round(warm[Math.floor(warm.length / 2)]),
        projectColdMs: round(project.ms),
        targetMs: 2000,
      },
    };
  } finally {
    await backend?.stop();
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
