import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ComponentReleaseComparison, ComponentReleaseList } from '@cellplane/backstage-plugin-common';
import { getDefaultNormalizer, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { ReleasesView } from './ReleasesView';

const R1 = 'payments-api-1a2b3c4d5e';
const R2 = 'payments-api-2b3c4d5e6f';
const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const C3 = 'c'.repeat(40);

const list: ComponentReleaseList = {
  namespace: 'acme',
  component: 'payments-api',
  revision: C3,
  unpinnedEnvironments: ['development'],
  historyComplete: true,
  items: [
    {
      name: R2,
      commit: C2,
      createdAt: '2026-11-20T10:00:00Z',
      images: ['ghcr.io/acme/payments-api:1.5.0'],
      environments: ['staging'],
      current: true,
      deployments: [{ environment: 'staging', since: '2026-11-20T10:00:00Z', sinceCommit: C2 }],
    },
    {
      name: R1,
      commit: C1,
      createdAt: '2026-11-10T10:00:00Z',
      images: ['ghcr.io/acme/payments-api:1.4.2'],
      environments: ['production'],
      current: false,
      deployments: [
        { environment: 'production', since: '2026-11-21T10:00:00Z', sinceCommit: C3 },
        { environment: 'staging', since: '2026-11-10T10:00:00Z', sinceCommit: C1, until: '2026-11-20T10:00:00Z', untilCommit: C2 },
      ],
    },
  ],
};

const spec = (image: string, name: string) => `apiVersion: openchoreo.dev/v1alpha1\nkind: ComponentRelease\nmetadata:\n  name: ${name}\nspec:\n  workload:\n    container:\n      image: ${image}\n`;
const comparison: ComponentReleaseComparison = {
  namespace: 'acme',
  component: 'payments-api',
  revision: C3,
  from: R1,
  to: R2,
  environment: 'development',
  spec: {
    path: `namespaces/acme/projects/payments/components/payments-api/releases/${R2}.yaml`,
    from: spec('ghcr.io/acme/payments-api:1.4.2', R1),
    to: spec('ghcr.io/acme/payments-api:1.5.0', R2),
  },
  rendered: [
    {
      path: 'rendered/default/acme/development/payments/components/payments-api.yaml',
      from: 'kind: Deployment\nspec:\n  image: ghcr.io/acme/payments-api:1.4.2\n',
      to: 'kind: Deployment\nspec:\n  image: ghcr.io/acme/payments-api:1.5.0\n',
    },
  ],
  renderProblems: [],
};

type Answer = { status: number; body: unknown } | (() => Promise<{ status: number; body: unknown }>);
const ok = (body: unknown) => ({ status: 200, body });
const failure = (statusCode: number, name: string, message: string) => ({
  status: statusCode,
  body: { error: { name, message }, response: { statusCode } },
});
const exact = { normalizer: getDefaultNormalizer({ trim: false, collapseWhitespace: false }) };

/** The backend at the edge: answers by path from a table; records each request URL. */
function renderView(answers: Record<string, Answer | Answer[]>) {
  const requests: string[] = [];
  const calls = new Map<string, number>();
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      const url = String(input instanceof Request ? input.url : input);
      requests.push(url);
      const path = new URL(url).pathname;
      const n = calls.get(path) ?? 0;
      calls.set(path, n + 1);
      const table = answers[path];
      const entry = Array.isArray(table) ? table[Math.min(n, table.length - 1)] : table;
      const answer = typeof entry === 'function' ? await entry() : (entry ?? failure(404, 'NotFoundError', `no ${path}`));
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    },
  });
  const statusApi = new FakeStatusApi([]);
  renderInTestApp(<ReleasesView namespace="acme" component="payments-api" />, {
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, fetchApi],
      [cellplaneStatusApiRef, statusApi],
    ],
  });
  return { requests, statusApi };
}

const LIST = '/api/cellplane/releases/acme/payments-api';
const COMPARE = '/api/cellplane/releases/acme/payments-api/compare';

describe('ReleasesView', () => {
  it('shows a loading state, then each release: image, when and by which commit it was made, where it runs and where it ran', async () => {
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    renderView({
      [LIST]: async () => {
        await held;
        return ok(list);
      },
    });
    expect(await screen.findByRole('progressbar', { name: 'Loading the releases of payments-api' })).toBeInTheDocument();
    release();

    const table = await screen.findByRole('table', { name: 'Releases of payments-api' });
    const [, newer, older] = within(table).getAllByRole('row');
    expect(within(newer).getByText(R2)).toBeInTheDocument();
    expect(within(newer).getByText('current')).toBeInTheDocument();
    expect(within(newer).getByText('ghcr.io/acme/payments-api:1.5.0')).toBeInTheDocument();
    // The current release runs where it is pinned and where the component is followed.
    const runsNow = within(newer).getAllByRole('cell')[4];
    expect(within(runsNow).getAllByText(/./).map(chip => chip.textContent)).toEqual(['staging', 'development']);
    expect(within(older).getAllByRole('cell')[4]).toHaveTextContent(/^production$/);
    expect(within(older).getAllByRole('link', { name: 'aaaaaaa' })[0]).toHaveAttribute('href', `/cellplane/commits/${C1}`);
    const ran = within(older).getByRole('list', { name: `Where ${R1} ran` });
    const spans = within(ran).getAllByRole('listitem');
    expect(spans[0]).toHaveTextContent(/^production: .* \(ccccccc\) → now$/);
    expect(spans[1]).toHaveTextContent(/^staging: .* \(aaaaaaa\) → .* \(bbbbbbb\)$/);
    expect(within(spans[1]).getByRole('link', { name: 'bbbbbbb' })).toHaveAttribute('href', `/cellplane/commits/${C2}`);
  });

  it('compares two chosen releases, older first: spec and rendered manifests, side by side or unified, for the environment chosen', async () => {
    const { requests } = renderView({ [LIST]: ok(list), [COMPARE]: [ok(comparison), ok({ ...comparison, environment: 'staging', rendered: [] })] });
    const compare = await screen.findByRole('button', { name: 'Compare' });
    expect(compare).toBeDisabled();
    expect(screen.getByText('Choose two releases to compare.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: `Compare ${R2}` }));
    await userEvent.click(screen.getByRole('checkbox', { name: `Compare ${R1}` }));
    expect(compare).toBeEnabled();
    await userEvent.click(compare);

    const region = await screen.findByRole('region', { name: `Compare ${R1} with ${R2}` });
    expect(requests).toContain(`http://backend.test${COMPARE}?from=${R1}&to=${R2}`);
    // Side by side: the older release on the left.
    const specDiff = await within(region).findByRole('table', { name: `Diff of ${comparison.spec.path}` });
    expect(within(specDiff).getByRole('columnheader', { name: R1 })).toBeInTheDocument();
    const changed = within(specDiff).getAllByRole('row').find(row => row.textContent?.includes('1.4.2'))!;
    expect(within(changed).getAllByRole('cell').map(cell => cell.textContent)).toEqual([
      '      image: ghcr.io/acme/payments-api:1.4.2',
      '      image: ghcr.io/acme/payments-api:1.5.0',
    ]);
    expect(within(region).getByText('Rendered manifests in development')).toBeInTheDocument();
    expect(within(region).getByRole('table', { name: `Diff of ${comparison.rendered[0].path}` })).toBeInTheDocument();

    await userEvent.click(within(region).getByRole('button', { name: 'Unified' }));
    const unified = within(region).getByLabelText(`Diff of ${comparison.rendered[0].path}`);
    expect(within(unified).getByText('-  image: ghcr.io/acme/payments-api:1.4.2', exact)).toBeInTheDocument();
    expect(within(unified).getByText('+  image: ghcr.io/acme/payments-api:1.5.0', exact)).toBeInTheDocument();

    await userEvent.click(within(region).getByRole('combobox', { name: 'Manifests for' }));
    await userEvent.click(await screen.findByRole('option', { name: 'staging' }));
    expect(await within(region).findByText('Both releases render the same manifests in staging.')).toBeInTheDocument();
    expect(requests).toContain(`http://backend.test${COMPARE}?from=${R1}&to=${R2}&environment=staging`);
  });

  it('says why a comparison failed, and what to do', async () => {
    renderView({ [LIST]: ok(list), [COMPARE]: [failure(403, 'NotAllowedError', 'comparing releases requires the cellplane.status.read permission')] });
    await userEvent.click(await screen.findByRole('checkbox', { name: `Compare ${R2}` }));
    await userEvent.click(screen.getByRole('checkbox', { name: `Compare ${R1}` }));
    await userEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect(await screen.findByText('Error: You may not read the comparison of these releases')).toBeInTheDocument();
    expect(screen.getByText(/requires the cellplane.status.read permission. Ask your platform team/)).toBeInTheDocument();
  });

  it('explains a list it cannot read', async () => {
    renderView({ [LIST]: failure(404, 'NotFoundError', 'Component "payments-api" not found in namespace acme') });
    expect(await screen.findByText('Error: The releases of payments-api cannot be found')).toBeInTheDocument();
    expect(screen.getByText('Component "payments-api" not found in namespace acme')).toBeInTheDocument();
  });

  it('says when a component has no releases yet, and how one is made', async () => {
    renderView({ [LIST]: ok({ ...list, items: [] }) });
    expect(await screen.findByText(/payments-api has no releases yet/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('reads the list again when a new commit reaches one of its environments', async () => {
    const promoted = { ...list, items: [{ ...list.items[0], environments: ['staging', 'production'] }, { ...list.items[1], environments: [] }] };
    const { requests, statusApi } = renderView({ [LIST]: [ok(list), ok(promoted)] });
    await screen.findByRole('table', { name: 'Releases of payments-api' });
    expect(statusApi.watches[0].filter).toEqual({ namespace: 'acme', component: 'payments-api' });
    // The first status of an environment is the baseline; a different desired release is a change.
    statusApi.emit(status({ namespace: 'acme', component: 'payments-api', environment: 'production', desired: { commit: C1, releaseHash: 'one' } }));
    statusApi.emit(status({ namespace: 'acme', component: 'payments-api', environment: 'production', desired: { commit: C3, releaseHash: 'two' } }));
    await waitFor(() => expect(requests.filter(url => url.endsWith(LIST))).toHaveLength(2));
    const [, newer] = within(await screen.findByRole('table', { name: 'Releases of payments-api' })).getAllByRole('row');
    expect(await within(newer).findByText('production')).toBeInTheDocument();
  });
});
