import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ActivityEntry, ActivityPage } from '@cellplane/backstage-plugin-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { ActivityView, ActivityViewProps } from './ActivityView';

const entry = (commit: string, overrides: Partial<ActivityEntry>): ActivityEntry => ({
  commit: commit.repeat(40),
  kind: 'edit',
  summary: 'Tune payments-api',
  author: { name: 'Bob Builder', email: 'bob@example.com' },
  at: '2026-11-20T10:00:00Z',
  environments: [],
  components: ['payments-api'],
  files: 1,
  ...overrides,
});

const promotion = entry('a', {
  kind: 'promotion',
  summary: 'Promote acme/payments-api from staging to production (payments-api-01)',
  author: { name: 'Ada Lovelace', email: 'ada@example.com' },
  requestedBy: 'user:default/ada',
  environments: ['production'],
  pullRequest: { number: 12 },
});
const edit = entry('b', { environments: ['development'] });
const older = entry('c', { kind: 'create', summary: 'Seed the GitOps repository' });

const page = (items: ActivityEntry[], nextCursor?: string): ActivityPage => ({
  entity: { kind: 'component', namespace: 'acme', name: 'payments-api' },
  revision: 'f'.repeat(40),
  items,
  ...(nextCursor ? { nextCursor } : {}),
});

type Answer = { status: number; body: unknown };
const ok = (body: unknown): Answer => ({ status: 200, body });

/** The backend at the edge: `answer` picks the reply for each activity URL; requests are recorded. */
function renderView(answer: (url: URL) => Answer | Promise<Answer>, props: ActivityViewProps = { kind: 'component', namespace: 'acme', name: 'payments-api' }) {
  const requests: URL[] = [];
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      requests.push(url);
      const reply = await answer(url);
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
    },
  });
  const statusApi = new FakeStatusApi([]);
  renderInTestApp(<ActivityView {...props} />, {
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, fetchApi],
      [cellplaneStatusApiRef, statusApi],
    ],
  });
  return { requests, statusApi };
}

describe('ActivityView', () => {
  it('shows a loading state, then who changed what and when, each with its kind, environments, pull request and commit link', async () => {
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const { requests } = renderView(async () => {
      await held;
      return ok(page([promotion, edit]));
    });
    expect(await screen.findByRole('progressbar', { name: 'Loading the activity of payments-api' })).toBeInTheDocument();
    release();

    const table = await screen.findByRole('table', { name: 'Activity of payments-api' });
    const [, first, second] = within(table).getAllByRole('row');
    expect(within(first).getByText('Promotion')).toBeInTheDocument();
    expect(within(first).getByText(promotion.summary)).toBeInTheDocument();
    expect(within(first).getByText('through pull request #12')).toBeInTheDocument();
    expect(within(first).getByText('Ada Lovelace')).toBeInTheDocument();
    expect(within(first).getByText('asked by user:default/ada')).toBeInTheDocument();
    expect(within(first).getByText('production')).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: 'aaaaaaa' })).toHaveAttribute('href', `/cellplane/commits/${'a'.repeat(40)}`);
    expect(within(second).getByText('Changed')).toBeInTheDocument();
    expect(requests[0].pathname).toBe('/api/cellplane/activity');
    expect(Object.fromEntries(requests[0].searchParams)).toEqual({ entity: 'component:acme/payments-api', limit: '25' });
  });

  it('filters by kind at once, and by author, environment and date when applied', async () => {
    const { requests } = renderView(url => ok(page(url.searchParams.get('kind') ? [promotion] : [promotion, edit])));
    await screen.findByRole('table', { name: 'Activity of payments-api' });
    await userEvent.click(screen.getByRole('button', { name: 'Promotion' }));
    await userEvent.click(screen.getByRole('button', { name: 'Rollback' }));
    await waitFor(() => expect(requests.at(-1)!.searchParams.get('kind')).toBe('promotion,rollback'));
    expect(await screen.findAllByRole('row')).toHaveLength(2);

    await userEvent.type(screen.getByRole('textbox', { name: 'Author' }), 'ada');
    await userEvent.type(screen.getByRole('textbox', { name: 'Environment' }), 'production');
    await userEvent.type(screen.getByLabelText('Since'), '2026-11-01');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(Object.fromEntries(requests.at(-1)!.searchParams)).toEqual({
        entity: 'component:acme/payments-api',
        kind: 'promotion,rollback',
        author: 'ada',
        environment: 'production',
        since: '2026-11-01',
        limit: '25',
      }),
    );
  });

  it('shows older changes on request, from the cursor the page gave', async () => {
    const { requests } = renderView(url => ok(url.searchParams.get('cursor') ? page([older]) : page([promotion, edit], edit.commit)));
    await userEvent.click(await screen.findByRole('button', { name: 'Show older changes' }));
    expect(await screen.findByText('Seed the GitOps repository')).toBeInTheDocument();
    expect(requests.at(-1)!.searchParams.get('cursor')).toBe(edit.commit);
    expect(screen.getAllByRole('row')).toHaveLength(4);
    expect(screen.queryByRole('button', { name: 'Show older changes' })).not.toBeInTheDocument();
  });

  it('tells an empty history from an empty filter', async () => {
    renderView(() => ok(page([])));
    expect(await screen.findByText('No commit of the GitOps repository has touched payments-api yet.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Rollback' }));
    expect(await screen.findByText('No change matches these filters.')).toBeInTheDocument();
  });

  it('says why the activity cannot be read, and what to do', async () => {
    renderView(() => ({
      status: 403,
      body: { error: { name: 'NotAllowedError', message: 'reading activity requires the cellplane.status.read permission' }, response: { statusCode: 403 } },
    }));
    expect(await screen.findByText('Error: You may not read the activity of payments-api')).toBeInTheDocument();
    expect(screen.getByText(/Ask your platform team for the permission/)).toBeInTheDocument();
  });

  it("lists a project's components, and reads again when a new commit reaches the project", async () => {
    const { requests, statusApi } = renderView(() => ok({ ...page([edit]), entity: { kind: 'project', namespace: 'acme', name: 'payments' } }), {
      kind: 'project',
      namespace: 'acme',
      name: 'payments',
    });
    const table = await screen.findByRole('table', { name: 'Activity of payments' });
    expect(within(table).getByRole('columnheader', { name: 'Components' })).toBeInTheDocument();
    expect(within(table).getByText('payments-api')).toBeInTheDocument();
    expect(requests[0].searchParams.get('entity')).toBe('project:acme/payments');
    expect(statusApi.watches[0].filter).toEqual({ namespace: 'acme', project: 'payments' });
    const at = (commit: string) => status({ namespace: 'acme', project: 'payments', component: 'payments-api', environment: 'staging', desired: { commit } });
    statusApi.emit(at('1'.repeat(40)));
    statusApi.emit(at('2'.repeat(40)));
    await waitFor(() => expect(requests).toHaveLength(2));
  });
});
