import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { CommitDetails } from '@cellplane/backstage-plugin-common';
import { getDefaultNormalizer, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplanePlugin } from '../../plugin';

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

function renderPage(path: string, answers: Record<string, () => Promise<{ status: number; body: unknown }>>) {
  const api = backend(answers);
  renderTestApp({
    features: [cellplanePlugin],
    initialRouteEntries: [path],
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, api.fetchApi],
    ],
  });
  return api;
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
    expect(requests).toEqual(['http://backend.test/api/cellplane/repository/commits/abc1234']);
  });

  it('follows a parent link to the parent commit', async () => {
    renderPage(`/cellplane/commits/${COMMIT}`, {
      [`/api/cellplane/repository/commits/${COMMIT}`]: ok(commit),
      [`/api/cellplane/repository/commits/${PARENT}`]: ok(parent),
    });
    await userEvent.click(await screen.findByRole('link', { name: 'bbbbbbb' }));
    expect(await screen.findByRole('heading', { name: 'Seed the GitOps repository' })).toBeInTheDocument();
    expect(screen.getByText('none: the first commit')).toBeInTheDocument();
  });

  it('says when the diff was cut and which files have none', async () => {
    const cut = { ...commit, truncated: true, files: [{ ...commit.files[0], patch: undefined }] };
    renderPage('/cellplane/commits/abc1234', { '/api/cellplane/repository/commits/abc1234': ok(cut) });
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
    renderPage('/cellplane/commits/abc1234', { '/api/cellplane/repository/commits/abc1234': answer });
    expect(await screen.findByText(`Error: ${title}`)).toBeInTheDocument();
    expect(screen.getByText(new RegExp(detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Add endpoint http to cart-api' })).not.toBeInTheDocument();
  });
});
