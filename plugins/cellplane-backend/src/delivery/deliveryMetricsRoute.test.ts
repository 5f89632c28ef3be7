import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DeliveryMetrics, EnvironmentDeliveryMetrics } from '@cellplane/backstage-plugin-common';
import { cellplaneTestDatabases, databasePerPlugin } from '@cellplane/embedded-postgres';
import { cellplaneDataPlanesServiceRef } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY, createBareRepository, git, temporaryDirectory } from '@cellplane/backstage-plugin-node/testUtils';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Server } from 'node:http';
import { join } from 'node:path';
import { getJson } from '../__testUtils__/getJson';
import { cellplanePlugin } from '../plugin';
import { RecordedStatus, StatusHistoryStore } from './StatusHistoryStore';

const databases = cellplaneTestDatabases();
const USER_WITHOUT_STATUS = 'user:default/no-status';
const alice = mockCredentials.user.header('user:default/alice');
const COMPONENT = 'projects/payments/components/payments-api';

/** A commit of the work tree at a given time (author and committer), pushed to the bare repository. */
function commitAt(work: string, bare: string, when: string, message: string, edit: () => void) {
  edit();
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com', GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
  execFileSync('git', ['add', '-A'], { cwd: work, env });
  execFileSync('git', ['commit', '--quiet', '-m', message], { cwd: work, env });
  execFileSync('git', ['push', '--quiet', bare, 'HEAD:main'], { cwd: work, env });
  return git(work, 'rev-parse', 'HEAD');
}

/**
 * The example organisation's history, built here with known times (all 2026-03, UTC):
 *
 *   C0  01 00:00  seed: every binding follows its component
 *   C1  01 12:00  pin payments-api's staging and production to r1
 *   C2  02 09:00  change payments-api's workload          (S1; deploys development)
 *   C3  02 15:00  promote production to r2
 *   C4  03 10:00  change the workload                     (S2; development)
 *   C5  03 11:00  promote production to r3                (rolled back next: failed)
 *   C6  03 13:00  Roll back acme/payments-api in production to r2
 *   C7  04 10:00  change the component                    (S3; development)
 *   C8  04 12:00  promote production to r4                (Degraded 8 h later: failed)
 *   C9  05 09:00  change ledger-sync's workload           (another component of the project)
 *   C10 06 09:00  remove payments-api's staging binding   (not a deployment)
 *   C11 06 10:00  change the workload                     (S4; development, Degraded 14 h later: failed)
 *   C12 10 09:00  promote production to r5                (after the period)
 */
function buildHistory(root: string) {
  const bare = createBareRepository(root);
  const work = join(root, 'work');
  execFileSync('cp', ['-r', EXAMPLE_REPOSITORY, work]);
  git(work, 'init', '--quiet', '--initial-branch=main');
  const ns = join(work, 'namespaces/acme');
  const file = (path: string) => join(ns, path);
  const append = (path: string, line: string) => () => writeFileSync(file(path), `${readFileSync(file(path), 'utf8')}${line}\n`);
  const pin = (environment: string, release: string) => () => {
    const path = file(`${COMPONENT}/release-bindings/payments-api-${environment}.yaml`);
    const text = readFileSync(path, 'utf8').replace(/\n {2}releaseName: .*\n/, '\n');
    writeFileSync(path, text.replace(`  environment: ${environment}\n`, `  environment: ${environment}\n  releaseName: ${release}\n`));
  };
  const c: Record<string, string> = {};
  c.C0 = commitAt(work, bare, '2026-03-01T00:00:00Z', 'seed', () => undefined);
  c.C1 = commitAt(work, bare, '2026-03-01T12:00:00Z', 'Promote acme/payments-api to staging and production', () => (pin('staging', 'payments-api-r1')(), pin('production', 'payments-api-r1')()));
  c.C2 = commitAt(work, bare, '2026-03-02T09:00:00Z', 'Change payments-api image', append(`${COMPONENT}/workload.yaml`, '# S1'));
  c.C3 = commitAt(work, bare, '2026-03-02T15:00:00Z', 'Promote acme/payments-api from staging to production', pin('production', 'payments-api-r2'));
  c.C4 = commitAt(work, bare, '2026-03-03T10:00:00Z', 'Change payments-api replicas', append(`${COMPONENT}/workload.yaml`, '# S2'));
  c.C5 = commitAt(work, bare, '2026-03-03T11:00:00Z', 'Promote acme/payments-api from staging to production', pin('production', 'payments-api-r3'));
  c.C6 = commitAt(work, bare, '2026-03-03T13:00:00Z', 'Roll back acme/payments-api in production to payments-api-r2\n\nRequested by user:default/ada', pin('production', 'payments-api-r2'));
  c.C7 = commitAt(work, bare, '2026-03-04T10:00:00Z', 'Describe payments-api', append(`${COMPONENT}/component.yaml`, '# S3'));
  c.C8 = commitAt(work, bare, '2026-03-04T12:00:00Z', 'Promote acme/payments-api from staging to production', pin('production', 'payments-api-r4'));
  c.C9 = commitAt(work, bare, '2026-03-05T09:00:00Z', 'Change ledger-sync', append('projects/payments/components/ledger-sync/workload.yaml', '# L1'));
  c.C10 = commitAt(work, bare, '2026-03-06T09:00:00Z', 'Undeploy payments-api from staging', () => rmSync(file(`${COMPONENT}/release-bindings/payments-api-staging.yaml`)));
  c.C11 = commitAt(work, bare, '2026-03-06T10:00:00Z', 'Change payments-api again', append(`${COMPONENT}/workload.yaml`, '# S4'));
  c.C12 = commitAt(work, bare, '2026-03-10T09:00:00Z', 'Promote acme/payments-api from staging to production', pin('production', 'payments-api-r5'));
  return { bare, commits: c };
}

const row = (environment: string, at: string, health: RecordedStatus['health'], releaseHash: string, component = 'payments-api'): RecordedStatus => ({
  namespace: 'acme',
  project: 'payments',
  component,
  environment,
  health,
  releaseHash,
  at: Date.parse(at),
  ...(health === 'Degraded' ? { reason: 'CrashLoopBackOff' } : {}),
});

/** What the status history saw (the hashes are the releases' rendered hashes). */
const STATUS_ROWS: RecordedStatus[] = [
  row('production', '2026-03-01T12:30:00Z', 'Healthy', 'h1'),
  row('production', '2026-03-02T15:10:00Z', 'Progressing', 'h2'),
  row('production', '2026-03-02T15:20:00Z', 'Healthy', 'h2'),
  row('production', '2026-03-03T11:05:00Z', 'Healthy', 'h3'),
  row('production', '2026-03-03T12:00:00Z', 'Degraded', 'h3'),
  row('production', '2026-03-03T13:10:00Z', 'Healthy', 'h2'),
  row('production', '2026-03-04T12:30:00Z', 'Healthy', 'h4'),
  row('production', '2026-03-04T20:00:00Z', 'Degraded', 'h4'),
  row('production', '2026-03-05T02:00:00Z', 'Healthy', 'h4'),
  row('production', '2026-03-08T00:00:00Z', 'Degraded', 'h4'),
  row('production', '2026-03-10T09:30:00Z', 'Healthy', 'h5'),
  row('development', '2026-03-07T00:00:00Z', 'Degraded', 'd4'),
];

const PERIOD = 'from=2026-03-02&to=2026-03-09';
const HOUR = 3600;

describe('GET /delivery-metrics', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let history: ReturnType<typeof buildHistory>;

  beforeAll(() => {
    dir = temporaryDirectory();
    history = buildHistory(dir.path);
  });
  afterAll(() => dir.cleanup());

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    const perPlugin = databasePerPlugin(databases, databaseId);
    const backend = await startTestBackend({
      features: [
        cellplanePlugin,
        perPlugin.factory,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: history.bare, cacheDir: join(dir.path, `cache-${databaseId}-${Date.now()}`) } },
            events: { useEventBus: 'never' },
          },
        }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        mockServices.permissions.mock({
          async authorize(requests, { credentials }) {
            const denied = (credentials.principal as { userEntityRef?: string } | undefined)?.userEntityRef === USER_WITHOUT_STATUS;
            return requests.map(() => ({ result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW }));
          },
        }).factory,
        createServiceFactory({ service: cellplaneDataPlanesServiceRef, deps: {}, factory: () => ({ connections: [] }) }),
      ],
    });
    const store = await StatusHistoryStore.create({ getClient: () => perPlugin.clientOf('cellplane') });
    await store.record(STATUS_ROWS);
    return { server: backend.server as Server, stop: () => backend.stop() };
  }

  const byEnvironment = (body: DeliveryMetrics) =>
    Object.fromEntries(body.environments.map(e => [e.environment, e])) as Record<string, EnvironmentDeliveryMetrics>;

  it.each(databases.eachSupportedId())('on %s: each figure of a component, per environment, as computed by hand', async databaseId => {
    const { server, stop } = await start(databaseId);
    try {
      const answer = await getJson(server, `/api/cellplane/delivery-metrics?entity=component:acme/payments-api&${PERIOD}`, alice);
      expect(answer.status).toBe(200);
      const body = answer.body as DeliveryMetrics;
      const c = history.commits;
      expect(body).toMatchObject({
        scope: { kind: 'component', namespace: 'acme', name: 'payments-api' },
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-09T00:00:00.000Z',
        revision: c.C12,
        failureWindowSeconds: 24 * HOUR,
        statusHistorySince: '2026-03-01T12:30:00.000Z',
      });
      expect(body.environments.map(e => [e.environment, e.production])).toEqual([
        ['development', false],
        ['staging', false],
        ['production', true],
      ]);
      const { development, staging, production } = byEnvironment(body);

      // Production: C3, C5, C6 (the rollback) and C8 in the 7 days; C12 is after them.
      expect(production.deploymentFrequency).toEqual({ deployments: 4, perDay: 0.571 });
      expect(production.evidence.deployments.map(d => [d.commit, d.kind, d.release, d.failure?.cause])).toEqual([
        [c.C8, 'binding', 'payments-api-r4', 'degraded'],
        [c.C6, 'rollback', 'payments-api-r2', undefined],
        [c.C5, 'binding', 'payments-api-r3', 'rollback'],
        [c.C3, 'binding', 'payments-api-r2', undefined],
      ]);
      expect(production.evidence.deployments[2].failure).toEqual({ cause: 'rollback', at: '2026-03-03T13:00:00.000Z', commit: c.C6 });
      expect(production.evidence.deployments[0].failure).toEqual({ cause: 'degraded', at: '2026-03-04T20:00:00.000Z' });
      // C5 rolled back, C8 Degraded within a day: 2 of 4.
      expect(production.changeFailureRate).toEqual({ deployments: 4, failed: 2, rate: 0.5 });
      // S1 02 09:00 → C3 → Healthy h2 02 15:20 (6 h 20); S2 03 10:00 → C5 → h3 03 11:05 (1 h 05);
      // S3 04 10:00 → C8 → h4 04 12:30 (2 h 30); S4 06 10:00 → C12 → h5 10 09:30 (95 h 30).
      expect(production.evidence.leadTimes.map(l => [l.commit, l.deployedBy, l.healthyAt, l.seconds])).toEqual([
        [c.C11, c.C12, '2026-03-10T09:30:00.000Z', 95.5 * HOUR],
        [c.C7, c.C8, '2026-03-04T12:30:00.000Z', 2.5 * HOUR],
        [c.C4, c.C5, '2026-03-03T11:05:00.000Z', 3900],
        [c.C2, c.C3, '2026-03-02T15:20:00.000Z', 22800],
      ]);
      // Median of 3900, 9000, 22800, 343800: (9000 + 22800) / 2.
      expect(production.leadTime).toEqual({ changes: 4, medianSeconds: 15900 });
      // Degraded 03 12:00 → 13:10 (70 min), 04 20:00 → 05 02:00 (6 h), 08 00:00 → 10 09:30 (57 h 30).
      expect(production.evidence.restores.map(r => [r.degradedAt, r.restoredAt, r.seconds, r.reason])).toEqual([
        ['2026-03-08T00:00:00.000Z', '2026-03-10T09:30:00.000Z', 57.5 * HOUR, 'CrashLoopBackOff'],
        ['2026-03-04T20:00:00.000Z', '2026-03-05T02:00:00.000Z', 6 * HOUR, 'CrashLoopBackOff'],
        ['2026-03-03T12:00:00.000Z', '2026-03-03T13:10:00.000Z', 4200, 'CrashLoopBackOff'],
      ]);
      expect(production.timeToRestore).toEqual({ restores: 3, unresolved: 0, medianSeconds: 6 * HOUR });
      expect(production.daily).toEqual([
        { day: '2026-03-02', deployments: 1, failures: 0 },
        { day: '2026-03-03', deployments: 2, failures: 1 },
        { day: '2026-03-04', deployments: 1, failures: 1 },
        { day: '2026-03-05', deployments: 0, failures: 0 },
        { day: '2026-03-06', deployments: 0, failures: 0 },
        { day: '2026-03-07', deployments: 0, failures: 0 },
        { day: '2026-03-08', deployments: 0, failures: 0 },
      ]);

      // Development follows the component: each spec change (C2, C4, C7, C11) deploys it; C11 went
      // Degraded 14 h later, and is not Healthy again.
      expect(development.evidence.deployments.map(d => [d.commit, d.kind, d.failure?.cause])).toEqual([
        [c.C11, 'spec', 'degraded'],
        [c.C7, 'spec', undefined],
        [c.C4, 'spec', undefined],
        [c.C2, 'spec', undefined],
      ]);
      expect(development.changeFailureRate).toEqual({ deployments: 4, failed: 1, rate: 0.25 });
      expect(development.leadTime).toEqual({ changes: 0 });
      expect(development.timeToRestore).toEqual({ restores: 0, unresolved: 1 });

      // Staging is pinned to r1 from before the period, then removed (C10): no deployment.
      expect(staging.deploymentFrequency).toEqual({ deployments: 0, perDay: 0 });
      expect(staging.changeFailureRate).toEqual({ deployments: 0, failed: 0 });
    } finally {
      await stop();
    }
  });

  it('on SQLITE_3: a project and the organisation add up their components, and one environment can be asked for', async () => {
    const { server, stop } = await start('SQLITE_3');
    try {
      const project = (await getJson(server, `/api/cellplane/delivery-metrics?entity=project:acme/payments&${PERIOD}`, alice)).body as DeliveryMetrics;
      // ledger-sync has a binding in development only, which follows it: C9 deploys it there.
      expect(project.environments.map(e => [e.environment, e.deploymentFrequency.deployments])).toEqual([
        ['development', 5],
        ['staging', 0],
        ['production', 4],
      ]);
      const organisation = await getJson(server, `/api/cellplane/delivery-metrics?namespace=acme&environment=production&${PERIOD}`, alice);
      expect(organisation.status).toBe(200);
      expect(organisation.body.scope).toEqual({ kind: 'namespace', namespace: 'acme', name: 'acme' });
      expect(organisation.body.environments.map((e: EnvironmentDeliveryMetrics) => [e.environment, e.deploymentFrequency.deployments, e.changeFailureRate.failed])).toEqual([
        ['production', 4, 2],
      ]);
    } finally {
      await stop();
    }
  });

  it('on SQLITE_3: answers bad parameters with a 400 naming them, an unknown entity with a 404, and needs cellplane.status.read', async () => {
    const { server, stop } = await start('SQLITE_3');
    try {
      const ask = (query: string, authorization: string | undefined = alice) => getJson(server, `/api/cellplane/delivery-metrics${query}`, authorization);
      const cases: Array<[string, number, RegExp]> = [
        ['', 400, /entity .* or namespace is required/],
        ['?colour=blue&namespace=acme', 400, /unknown query parameter "colour"/],
        ['?namespace=acme&entity=component:acme/payments-api', 400, /entity or namespace, not both/],
        ['?entity=payments-api', 400, /entity must be component:<namespace>\/<name>/],
        ['?entity=component:acme/Payments_API', 400, /entity component/],
        ['?namespace=acme&namespace=acme', 400, /namespace must be given once/],
        ['?namespace=acme&from=yesterday', 400, /from must be an ISO 8601 date/],
        ['?namespace=acme&to=2026-13-45', 400, /to must be an ISO 8601 date/],
        ['?namespace=acme&from=2026-03-09&to=2026-03-02', 400, /from must be before to/],
        ['?namespace=acme&from=2025-01-01&to=2026-03-02', 400, /at most 366 days/],
        ['?namespace=acme&environment=moon', 400, /environment "moon" is not an environment of namespace acme: development, staging, production/],
        ['?entity=component:acme/nothing-here', 404, /Component "nothing-here" not found/],
        ['?entity=project:acme/nothing-here', 404, /Project "nothing-here" not found/],
        ['?namespace=elsewhere', 404, /no namespace "elsewhere"/],
      ];
      for (const [query, status, message] of cases) {
        const answer = await ask(query);
        expect({ query, status: answer.status, message: answer.body?.error?.message }).toEqual({ query, status, message: expect.stringMatching(message) });
        expect(answer.body.error.stack).toBeUndefined();
      }
      expect((await ask('?namespace=acme', '')).status).toBe(401);
      expect((await ask('?namespace=acme', mockCredentials.user.header(USER_WITHOUT_STATUS))).status).toBe(403);
    } finally {
      await stop();
    }
  });
});
