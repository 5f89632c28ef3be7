import { ActivityEntry, ActivityPage } from '@cellplane/backstage-plugin-common';
import { RepositoryRevision } from '@cellplane/backstage-plugin-node';
import request from 'supertest';
import { CellplaneTestBackend, callers, startCellplaneBackend } from '../__testUtils__/startCellplaneBackend';

const PAYMENTS_API = 'namespaces/acme/projects/payments/components/payments-api';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };
const bob = { name: 'Bob Builder', email: 'bob@example.com' };

/** The file at `path` with a comment line added: a change that alters nothing else. */
async function touched(base: RepositoryRevision, path: string, note: string) {
  return { path, content: `${(await base.readFile(path))!.toString()}# ${note}\n` };
}

describe('GET /api/cellplane/activity', () => {
  let backend: CellplaneTestBackend;
  const commits: Record<string, string> = {};
  let seed = '';

  const get = (query: string, caller: keyof typeof callers = 'user') => {
    const call = request(backend.server).get(`/api/cellplane/activity${query}`);
    return callers[caller] ? call.set('authorization', callers[caller]!) : call;
  };
  const page = async (query: string) => {
    const response = await get(query);
    expect(response.body.error).toBeUndefined();
    return response.body as ActivityPage;
  };
  const summaries = (items: ActivityEntry[]) => items.map(item => item.summary);

  beforeAll(async () => {
    backend = await startCellplaneBackend();
    const { repository } = backend.fixture;
    seed = (await repository.fetch())!;
    const commit = async (message: string, author: typeof ada, changes: (base: RepositoryRevision) => Promise<Array<{ path: string; content: string }>>) => {
      commits[message.split('\n')[0]] = (await repository.commit({ message, author, changes }))!.commit!;
    };
    await commit('Tune payments-api in development', bob, async base => [
      await touched(base, `${PAYMENTS_API}/workload.yaml`, 'tuned'),
      await touched(base, 'rendered/default/acme/development/payments/components/payments-api.yaml', 'tuned'),
    ]);
    await commit(
      'Promote acme/payments-api from development to staging (payments-api-0123456789)\n\nRequested by user:default/ada through the Cellplane scaffolder (template template:default/promote).',
      ada,
      async base => [await touched(base, `${PAYMENTS_API}/release-bindings/payments-api-staging.yaml`, 'promoted')],
    );
    await commit('Roll back acme/payments-api in production to payments-api-0123456789', ada, async base => [
      await touched(base, `${PAYMENTS_API}/release-bindings/payments-api-production.yaml`, 'rolled back'),
    ]);
    await commit('Tune cart-api', bob, async base => [
      await touched(base, 'namespaces/acme/projects/storefront/components/cart-api/workload.yaml', 'tuned'),
    ]);
    await commit('Override acme/payments-api in staging (#12)', ada, async base => [
      await touched(base, `${PAYMENTS_API}/release-bindings/payments-api-staging.yaml`, 'overridden'),
    ]);
  });
  afterAll(() => backend?.stop());

  it("tells a component's history newest first: kind, author, requester, time, environments and pull request of each commit", async () => {
    const { entity, revision, items, nextCursor } = await page('?entity=component:acme/payments-api');
    expect(entity).toEqual({ kind: 'component', namespace: 'acme', name: 'payments-api' });
    expect(revision).toBe(commits['Override acme/payments-api in staging (#12)']);
    expect(nextCursor).toBeUndefined();
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    expect(items).toEqual([
      {
        commit: commits['Override acme/payments-api in staging (#12)'],
        kind: 'edit',
        summary: 'Override acme/payments-api in staging (#12)',
        author: ada,
        at: time,
        environments: ['staging'],
        components: ['payments-api'],
        pullRequest: { number: 12 },
        files: 1,
      },
      expect.objectContaining({ kind: 'rollback', environments: ['production'], author: ada }),
      expect.objectContaining({ kind: 'promotion', environments: ['staging'], requestedBy: 'user:default/ada' }),
      expect.objectContaining({ kind: 'edit', environments: ['development'], author: bob, files: 2 }),
      // The seed created it: everything of it, in every environment it is bound in.
      expect.objectContaining({ commit: seed, kind: 'create', environments: ['development', 'production', 'staging'] }),
    ]);
  });

  it("tells a project's history: its components' commits, not another project's", async () => {
    const payments = await page('?entity=project:acme/payments');
    expect(summaries(payments.items)).not.toContain('Tune cart-api');
    expect(payments.items.map(item => item.commit)).toEqual(expect.arrayContaining([commits['Tune payments-api in development'], seed]));
    const storefront = await page('?entity=system:acme/storefront');
    expect(storefront.entity).toEqual({ kind: 'project', namespace: 'acme', name: 'storefront' });
    expect(storefront.items[0]).toMatchObject({ summary: 'Tune cart-api', components: ['cart-api'], kind: 'edit' });
    expect(storefront.items.at(-1)).toMatchObject({ commit: seed, kind: 'create' });
  });

  it('filters by kind, author, environment and time', async () => {
    expect(summaries((await page('?entity=component:acme/payments-api&kind=promotion,rollback')).items)).toEqual([
      'Roll back acme/payments-api in production to payments-api-0123456789',
      'Promote acme/payments-api from development to staging (payments-api-0123456789)',
    ]);
    expect(summaries((await page('?entity=component:acme/payments-api&author=BOB')).items)).toEqual(['Tune payments-api in development']);
    // The requester counts as the author too.
    expect((await page('?entity=component:acme/payments-api&author=user:default/ada')).items).toHaveLength(1);
    expect((await page('?entity=component:acme/payments-api&environment=production')).items.map(item => item.kind)).toEqual(['rollback', 'create']);
    expect((await page('?entity=component:acme/payments-api&since=2999-01-01')).items).toEqual([]);
    expect((await page('?entity=component:acme/payments-api&until=2000-01-01T00:00:00Z')).items).toEqual([]);
  });

  it('pages with limit and the cursor a page gives', async () => {
    const first = await page('?entity=component:acme/payments-api&limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].commit);
    const second = await page(`?entity=component:acme/payments-api&limit=2&cursor=${first.nextCursor}`);
    expect(summaries(second.items)).toEqual([
      'Promote acme/payments-api from development to staging (payments-api-0123456789)',
      'Tune payments-api in development',
    ]);
    const last = await page(`?entity=component:acme/payments-api&limit=2&cursor=${second.nextCursor}`);
    expect(last.items.map(item => item.commit)).toEqual([seed]);
    expect(last.nextCursor).toBeUndefined();
  });

  it('answers an unknown component or project with 404 naming it', async () => {
    const component = await get('?entity=component:acme/nope');
    expect(component.status).toBe(404);
    expect(component.body.error.message).toBe('Component "nope" not found in namespace acme');
    expect((await get('?entity=project:acme/nope')).body.error.message).toBe('Project "nope" not found in namespace acme');
  });

  it.each([
    ['no entity', '', /^entity must be component:<namespace>\/<name> or project:/],
    ['an entity of another kind', '?entity=api:acme/payments', /^entity must be/],
    ['an entity name that is no name', '?entity=component:acme/Pay_API', /^entity name must be an RFC 1123 label/],
    ['an unknown kind', '?entity=component:acme/payments-api&kind=deploy', /^kind must be one or more of create, edit, promotion, rollback, pull-request-merge/],
    ['a limit of 0', '?entity=component:acme/payments-api&limit=0', /^limit must be a whole number from 1 to 100/],
    ['a limit that is no number', '?entity=component:acme/payments-api&limit=ten', /^limit must be/],
    ['a since that is no date', '?entity=component:acme/payments-api&since=yesterday', /^since must be an ISO 8601 date/],
    ['an empty author', '?entity=component:acme/payments-api&author=%20', /^author must not be empty/],
    ['an environment that is no name', '?entity=component:acme/payments-api&environment=..', /^environment must be an RFC 1123 label/],
    ['a cursor that is no commit id', '?entity=component:acme/payments-api&cursor=HEAD~1', /^cursor must be a full commit id/],
    ['a cursor the branch does not have', `?entity=component:acme/payments-api&cursor=${'0'.repeat(40)}`, /^cursor must be a commit of the GitOps repository's branch/],
    ['an unknown parameter', '?entity=component:acme/payments-api&page=2', /^unknown query parameter "page": this route takes entity, kind, author/],
  ])('answers %s with 400 naming the parameter', async (_, query, message) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
    expect(response.body.error.stack).toBeUndefined();
  });

  it('needs a signed-in caller with cellplane.status.read', async () => {
    const query = '?entity=component:acme/payments-api';
    expect((await get(query, 'none')).status).toBe(401);
    const denied = await get(query, 'user without cellplane.status.read');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('reading activity requires the cellplane.status.read permission');
    expect((await get(query, 'service')).status).toBe(200);
  });
});
