import { Caller, CellplaneTestBackend, callers, startCellplaneBackend } from './__testUtils__/startCellplaneBackend';
import { getJson } from './__testUtils__/getJson';
import { eventually } from '@cellplane/backstage-plugin-node/testUtils';

/**
 * Every route of the cellplane plugin × every kind of caller. Reads of the repository need a
 * user or service token and no permission; status needs `cellplane.status.read`.
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
  ];

  const expected = (caller: Caller, needsStatusRead: boolean) => {
    if (caller === 'none') return 401;
    if (caller === 'user without cellplane.status.read' && needsStatusRead) return 403;
    return 200;
  };

  it('answers each route and caller as the table says', async () => {
    const table: string[] = [];
    const want: string[] = [];
    for (const { path, needsStatusRead } of routes()) {
      for (const caller of Object.keys(callers) as Caller[]) {
        const answer = await getJson(backend.server, `/api/cellplane${path}`, callers[caller]);
        // An error without a message would be a fault the table shows.
        const said = answer.status >= 400 && typeof answer.body?.error?.message !== 'string' ? ' without a message' : '';
        table.push(`${path} as ${caller}: ${answer.status}${said}`);
        want.push(`${path} as ${caller}: ${expected(caller, needsStatusRead)}`);
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
