import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { CommitDetails, CommitTrace } from '@cellplane/backstage-plugin-common';
import { getDefaultNormalizer, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { cellplanePlugin } from '../../plugin';
import { FakeStatusApi, status as componentStatus } from '../../testing/fakes';

const PARENT = 'b'.repeat(40);
const COMMIT = `abc1234${'0'.repeat(33)}`;

const commit: CommitDetails = {
  commit: COMMIT,
  parents: [PARENT],
  author: { name: 'Ada Lovelace', email: 'ada@example.com' },
  date: '2026-11-20T10:00:00+01:00',
  message: 'Add endpoint http to cart-api\n\nRequested by team-a.',
  truncated: false,
  files: [
    {
      path: 'namespaces/acme/projects/storefront/components/cart-api/workload.yaml',
      status: 'modified',
      additions: 2,
      deletions: 1,
      patch:
        'diff --git a/w.yaml b/w.yaml\nindex 1..2 100644\n--- a/w.yaml\n+++ b/w.yaml\n@@ -1,2 +1,3 @@\n endpoints:\n-  old: 1\n+  http: 8080\n+  grpc: 9090\n',
    },
    { path: 'docs/logo.png', status: 'added', additions: null, deletions: null },
  ],
};

const parent: CommitDetails = {
  ...commit,
  commit: PARENT,
  parents: [],
  message: 'Seed the GitOps repository',
  files: [{ path: 'README.md', status: 'added', additions: 1, deletions: 0, patch: 'diff --git a/README.md b/README.md\n+hello\n' }],
};

/** The cellplane backend at the edge: each commit route answered from a table, or held until released. */
function backend(answers: Record<string, () => Promise<{ status: number; body: unknown }>>) {
  const requests: string[] = [];
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      const url = String(input instanceof Request ? input.url : input);
      requests.push(url);
      const answer = await (answers[new URL(url).pathname] ?? (async () => ({ status: 500, body: {} })))();
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    },
  });
  return { requests, fetchApi };
}

const ok = (body: unknown) => async () => ({ status: 200, body });
const error = (status: number, name: string, message: string) => async () => ({
  status,
  body: { error: { name, message }, response: { statusCode: status } },
});

/** A commit that changed nothing to deliver: what the diff tests need from the trace. */
const noTrace = (sha: string) => ok({ commit: sha, committedAt: commit.date, head: sha, items: [] } satisfies CommitTrace);

function renderPage(
  path: string,
  answers: Record<string, () => Promise<{ status: number; body: unknown }>>,
  statusApi = new FakeStatusApi([]),
) {
  const api = backend(answers);
  renderTestApp({
    features: [cellplanePlugin],
    initialRouteEntries: [path],
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, api.fetchApi],
      [cellplaneStatusApiRef, statusApi],
    ],
  });
  return { ...api, statusApi };
}

describe('the commit page', () => {
  it('shows a loading state, then the commit: message, author, date, parents and each file with its diff', async () => {
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const { requests } = renderPage('/cellplane/commits/abc1234', {
      '/api/cellplane/repository/commits/abc1234': async () => {
        await held;
        return { status: 200, body: commit };
      },
      '/api/cellplane/trace/abc1234': noTrace(COMMIT),
    });

    expect(await screen.findByRole('progressbar', { name: 'Loading commit abc1234' })).toBeInTheDocument();
    release();

    expect(await screen.findByRole('heading', { name: 'Add endpoint http to cart-api' })).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByText('Requested by team-a.')).toBeInTheDocument();
    expect(screen.getByText(COMMIT)).toBeInTheDocument();
    expect(screen.getByText('Ada Lovelace <ada@example.com>')).toBeInTheDocument();
    expect(screen.getByText((_, element) => element?.getAttribute('datetime') === commit.date)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'bbbbbbb' })).toHaveAttribute('href', `/cellplane/commits/${PARENT}`);
    expect(screen.getByText('2 files changed, +2 −1')).toBeInTheDocument();

    const workload = screen.getByRole('region', { name: commit.files[0].path });
    expect(within(workload).getByText('modified')).toBeInTheDocument();
    const diff = within(workload).getByLabelText(`Diff of ${commit.files[0].path}`);
    // Diff lines keep their indentation.
    const exact = { normalizer: getDefaultNormalizer({ trim: false, collapseWhitespace: false }) };
    expect(within(diff).getByText('+  grpc: 9090', exact)).toBeInTheDocument();
    expect(within(diff).getByText('-  old: 1', exact)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'docs/logo.png' })).getByText('Binary file: not shown.')).toBeInTheDocument();
    expect(screen.queryByText(/Not everything is shown/)).not.toBeInTheDocument();
    expect(requests.sort()).toEqual([
      'http://backend.test/api/cellplane/repository/commits/abc1234',
      'http://backend.test/api/cellplane/trace/abc1234',
    ]);
  });

  it('follows a parent link to the parent commit', async () => {
    renderPage(`/cellplane/commits/${COMMIT}`, {
      [`/api/cellplane/repository/commits/${COMMIT}`]: ok(commit),
      [`/api/cellplane/repository/commits/${PARENT}`]: ok(parent),
      [`/api/cellplane/trace/${COMMIT}`]: noTrace(COMMIT),
      [`/api/cellplane/trace/${PARENT}`]: noTrace(PARENT),
    });
    await userEvent.click(await screen.findByRole('link', { name: 'bbbbbbb' }));
    expect(await screen.findByRole('heading', { name: 'Seed the GitOps repository' })).toBeInTheDocument();
    expect(screen.getByText('none: the first commit')).toBeInTheDocument();
  });

  it('says when the diff was cut and which files have none', async () => {
    const cut = { ...commit, truncated: true, files: [{ ...commit.files[0], patch: undefined }] };
    renderPage('/cellplane/commits/abc1234', {
      '/api/cellplane/repository/commits/abc1234': ok(cut),
      '/api/cellplane/trace/abc1234': noTrace(COMMIT),
    });
    expect(await screen.findByText('Info: Not everything is shown')).toBeInTheDocument();
    expect(screen.getByText("Not shown: the commit's diff is longer than the portal shows.")).toBeInTheDocument();
  });

  it.each([
    [
      404,
      error(404, 'NotFoundError', 'no commit abc1234 on main of the GitOps repository'),
      'The GitOps repository has no commit abc1234',
      'no commit abc1234 on main of the GitOps repository',
    ],
    [
      400,
      error(400, 'InputError', 'sha must be a commit id of 7 to 40 hexadecimal digits, got "abc1234"'),
      'abc1234 is not a commit id',
      'sha must be a commit id',
    ],
    [401, error(401, 'AuthenticationError', 'Missing credentials'), 'You may not read the GitOps repository', 'Missing credentials'],
    [500, async () => Promise.reject(new TypeError('Failed to fetch')), 'The Cellplane backend cannot be reached', 'Failed to fetch'],
  ])('explains a %s', async (_, answer, title, detail) => {
    renderPage('/cellplane/commits/abc1234', { '/api/cellplane/repository/commits/abc1234': answer, '/api/cellplane/trace/abc1234': answer });
    expect(await screen.findByText(`Error: ${title}`)).toBeInTheDocument();
    expect(screen.getByText(new RegExp(detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Add endpoint http to cart-api' })).not.toBeInTheDocument();
    // Said once, by the commit: the trace of a commit that cannot be read is not shown.
    expect(screen.getAllByText(`Error: ${title}`)).toHaveLength(1);
    expect(screen.queryByText(/Did it land/)).not.toBeInTheDocument();
  });
});

const NEWER = 'c'.repeat(40);
const SYNCED_AT = '2026-11-20T10:05:00Z';

/** cart-api: landed in development, stuck on an image in staging, superseded in production. */
const trace: CommitTrace = {
  commit: COMMIT,
  committedAt: commit.date,
  head: NEWER,
  items: [
    {
      namespace: 'acme',
      project: 'storefront',
      component: 'cart-api',
      environment: 'development',
      change: 'rendered',
      releaseHash: 'h-a',
      steps: [
        { name: 'committed', state: 'done', at: commit.date, detail: 'commit abc1234' },
        { name: 'rendered', state: 'done', at: commit.date },
        { name: 'synced', state: 'done', at: SYNCED_AT, revision: COMMIT, detail: 'Argo CD cellplane-acme-development synced abc1234' },
        { name: 'rolled-out', state: 'done', detail: 'Deployment cart-api: 2/2 updated' },
        { name: 'ready', state: 'done', detail: '2/2 pods ready' },
      ],
    },
    {
      namespace: 'acme',
      project: 'storefront',
      component: 'cart-api',
      environment: 'staging',
      change: 'rendered',
      releaseHash: 'h-a',
      steps: [
        { name: 'committed', state: 'done', at: commit.date },
        { name: 'rendered', state: 'done', at: commit.date },
        { name: 'synced', state: 'in-progress', reason: 'Argo CD cellplane-acme-staging is syncing' },
        { name: 'rolled-out', state: 'failed', reason: 'deployment cart-api exceeded its progress deadline' },
        { name: 'ready', state: 'waiting', reason: 'waits for the rollout' },
      ],
    },
    {
      namespace: 'acme',
      project: 'storefront',
      component: 'cart-api',
      environment: 'production',
      change: 'rendered',
      supersededBy: NEWER,
      steps: [
        { name: 'committed', state: 'done', at: commit.date },
        { name: 'rendered', state: 'done', at: commit.date },
        { name: 'synced', state: 'done' },
        { name: 'rolled-out', state: 'not-applicable', reason: 'superseded: a newer commit ccccccc changed cart-api in production since' },
        { name: 'ready', state: 'not-applicable' },
      ],
    },
  ],
};

const stepsOf = (name: string) =>
  within(screen.getByRole('list', { name: `Steps of ${name}` }))
    .getAllByRole('listitem')
    .map(item => item.getAttribute('aria-label'));

describe('the trace on the commit page', () => {
  it('shows a loading state, then a stepper per component and environment, before the diff', async () => {
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    renderPage('/cellplane/commits/abc1234', {
      '/api/cellplane/repository/commits/abc1234': ok(commit),
      '/api/cellplane/trace/abc1234': async () => {
        await held;
        return { status: 200, body: trace };
      },
    });
    expect(await screen.findByRole('progressbar', { name: 'Loading the trace of abc1234' })).toBeInTheDocument();
    release();

    const development = await screen.findByRole('region', { name: 'cart-api in development' });
    expect(stepsOf('cart-api in development')).toEqual([
      'Committed: done',
      'Rendered: done',
      'Synced: done',
      'Rolled out: done',
      'Ready: done',
    ]);
    expect(within(development).getByText('release h-a')).toBeInTheDocument();
    expect(within(development).getByText('Argo CD cellplane-acme-development synced abc1234')).toBeInTheDocument();
    expect(within(development).getByText((_, element) => element?.tagName === 'TIME' && element.getAttribute('datetime') === SYNCED_AT)).toBeInTheDocument();

    // Where it is stuck, and why.
    expect(stepsOf('cart-api in staging')).toEqual([
      'Committed: done',
      'Rendered: done',
      'Synced: in progress',
      'Rolled out: failed',
      'Ready: waiting',
    ]);
    const staging = screen.getByRole('region', { name: 'cart-api in staging' });
    expect(within(staging).getByText('deployment cart-api exceeded its progress deadline')).toBeInTheDocument();

    const production = screen.getByRole('region', { name: 'cart-api in production' });
    expect(within(production).getByRole('link', { name: 'ccccccc' })).toHaveAttribute('href', `/cellplane/commits/${NEWER}?component=acme/cart-api`);
    expect(stepsOf('cart-api in production')[3]).toBe('Rolled out: not applicable');

    // The trace first, then what the commit changed.
    const changes = screen.getByRole('region', { name: commit.files[0].path });
    expect(development.compareDocumentPosition(changes) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('focuses on the component of ?component= and listens to its status only', async () => {
    const { requests, statusApi } = renderPage('/cellplane/commits/abc1234?component=acme/cart-api', {
      '/api/cellplane/repository/commits/abc1234': ok(commit),
      '/api/cellplane/trace/abc1234': ok(trace),
    });
    expect(await screen.findByText('acme/cart-api: from the commit to running pods')).toBeInTheDocument();
    expect(requests).toContain('http://backend.test/api/cellplane/trace/abc1234?component=acme%2Fcart-api');
    expect(statusApi.watches.map(w => w.filter)).toEqual([{ namespace: 'acme', component: 'cart-api' }]);
  });

  it('moves a step when the status stream says the component changed', async () => {
    const stuck = { ...trace, items: [trace.items[1]] };
    const landed = { ...trace, items: [{ ...trace.items[1], steps: trace.items[0].steps }] };
    let answer: CommitTrace = stuck;
    const { statusApi } = renderPage('/cellplane/commits/abc1234', {
      '/api/cellplane/repository/commits/abc1234': ok(commit),
      '/api/cellplane/trace/abc1234': async () => ({ status: 200, body: answer }),
    });
    await screen.findByRole('region', { name: 'cart-api in staging' });
    expect(stepsOf('cart-api in staging')[3]).toBe('Rolled out: failed');
    expect(screen.getByRole('status')).toHaveTextContent('● Live');

    answer = landed;
    // A change of another component is not this trace's business.
    statusApi.emit(componentStatus({ component: 'search-api', environment: 'staging' }));
    statusApi.emit(componentStatus({ component: 'cart-api', environment: 'staging' }));
    await waitFor(() => expect(stepsOf('cart-api in staging')[3]).toBe('Rolled out: done'));
    expect(stepsOf('cart-api in staging')[4]).toBe('Ready: done');

    statusApi.breakStream(new Error('the status events stream was silent for 30 s'));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Reconnecting'));
    expect(screen.getByRole('status')).toHaveAttribute('title', 'Live updates paused (the status events stream was silent for 30 s); reconnecting');
  });

  it('says when the commit changed no component', async () => {
    renderPage('/cellplane/commits/abc1234', {
      '/api/cellplane/repository/commits/abc1234': ok(commit),
      '/api/cellplane/trace/abc1234': noTrace(COMMIT),
    });
    expect(await screen.findByText('This commit changed no component: there is nothing to deliver.')).toBeInTheDocument();
  });

  it('offers the whole trace when the commit did not change the component asked about', async () => {
    renderPage('/cellplane/commits/abc1234?component=acme/search-api', {
      '/api/cellplane/repository/commits/abc1234': ok(commit),
      '/api/cellplane/trace/abc1234': noTrace(COMMIT),
    });
    expect(await screen.findByText(/This commit did not change acme\/search-api\./)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See everything this commit changed' })).toHaveAttribute('href', '/cellplane/commits/abc1234');
  });

  it.each([
    [403, error(403, 'NotAllowedError', 'tracing a commit requires the cellplane.status.read permission'), 'You may not see where this commit runs', 'Ask your platform team'],
    [400, error(400, 'InputError', 'component must be <namespace>/<name>, got "cart-api"'), 'This commit cannot be traced', 'component must be'],
    [500, async () => Promise.reject(new TypeError('Failed to fetch')), 'The trace cannot be read', 'Reload the page to try again'],
  ])('explains a %s of the trace and still shows the commit', async (_, answer, title, detail) => {
    renderPage('/cellplane/commits/abc1234', {
      '/api/cellplane/repository/commits/abc1234': ok(commit),
      '/api/cellplane/trace/abc1234': answer,
    });
    expect(await screen.findByText(`Error: ${title}`)).toBeInTheDocument();
    expect(screen.getByText(new RegExp(detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Add endpoint http to cart-api' })).toBeInTheDocument();
  });
});
