import { Caller, CellplaneTestBackend, callers, startCellplaneBackend } from './__testUtils__/startCellplaneBackend';
import { getJson } from './__testUtils__/getJson';
import { eventually } from '@cellplane/backstage-plugin-node/testUtils';

/**
 * Every route of the cellplane plugin × every kind of caller. Reads of the repository need a
 * user or service token and no permission; whatever shows live status (and what the pipeline,
 * trace, platform, activity and metrics views build on it) needs `cellplane.status.read`, and
 * logs and events need `cellplane.logs.read`.
 */
describe('who may call which route', () => {
  let backend: CellplaneTestBackend;
  let revision: string;
  beforeAll(async () => {
    backend = await startCellplaneBackend();
    revision = (await getJson(backend.server, '/api/cellplane/repository', callers.user)).body.revision;
    // Status answers once it has read the repository.
    await eventually(async () => {
      const { status } = await getJson(backend.server, '/api/cellplane/status/components/acme/cart-api', callers.user);
      if (status !== 200) throw new Error(`status answered ${status}`);
    });
  });
  afterAll(() => backend.stop());

  const routes = () => [
    { path: '/repository', needsStatusRead: false },
    { path: '/repository/problems?severity=error', needsStatusRead: false },
    { path: `/repository/commits/${revision}`, needsStatusRead: false },
    { path: '/releases/acme/cart-api', needsStatusRead: false },
    { path: '/status/projects/acme/storefront', needsStatusRead: true },
    { path: '/status/components/acme/cart-api', needsStatusRead: true },
    { path: '/status/environments/acme/staging', needsStatusRead: true },
    { path: '/status/data-planes', needsStatusRead: true },
    { path: '/status/events?component=cart-api', needsStatusRead: true },
    { path: `/trace/${revision}`, needsStatusRead: true },
    { path: '/pipeline/acme/cart-api', needsStatusRead: true },
    { path: '/platform', needsStatusRead: true },
    { path: '/activity?entity=component:acme/cart-api', needsStatusRead: true },
    { path: '/delivery-metrics?entity=component:acme/cart-api', needsStatusRead: true },
    { path: '/metrics/acme/cart-api/development', needsStatusRead: true },
    { path: '/tracing/acme/cart-api/development', needsStatusRead: true },
    // cellplane.logs.read, which the policy here denies alike; this backend has no data plane to read pods from
    { path: '/logs/acme/cart-api/development/pods', needsStatusRead: true, allowed: 503 },
    { path: '/events/acme/cart-api/development', needsStatusRead: true },
  ];

  const expected = (caller: Caller, needsStatusRead: boolean, allowed = 200) => {
    if (caller === 'none') return 401;
    if (caller === 'user without cellplane.status.read' && needsStatusRead) return 403;
    return allowed;
  };

  it('answers each route and caller as the table says', async () => {
    const table: string[] = [];
    const want: string[] = [];
    for (const { path, needsStatusRead, allowed } of routes() as Array<{ path: string; needsStatusRead: boolean; allowed?: number }>) {
      for (const caller of Object.keys(callers) as Caller[]) {
        const answer = await getJson(backend.server, `/api/cellplane${path}`, callers[caller]);
        // An error without a message would be a fault the table shows.
        const said = answer.status >= 400 && typeof answer.body?.error?.message !== 'string' ? ' without a message' : '';
        table.push(`${path} as ${caller}: ${answer.status}${said}`);
        want.push(`${path} as ${caller}: ${expected(caller, needsStatusRead, allowed)}`);
      }
    }
    expect(table).toEqual(want);
  });

  it('says which permission is missing', async () => {
    const answer = await getJson(backend.server, '/api/cellplane/status/data-planes', callers['user without cellplane.status.read']);
    expect(answer.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'reading status requires the cellplane.status.read permission',
    });
  });
});
