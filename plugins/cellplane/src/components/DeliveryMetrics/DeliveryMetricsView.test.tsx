import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { DeliveryMetrics, EnvironmentDeliveryMetrics } from '@cellplane/backstage-plugin-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { DeliveryMetricsView } from './DeliveryMetricsView';

// recharts' ResponsiveContainer watches its size; jsdom has no ResizeObserver (nor layout).
class StillResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= StillResizeObserver;

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const days = (deployments: number[]) =>
  deployments.map((count, index) => ({ day: `2026-03-0${index + 2}`, deployments: count, failures: index === 1 ? 1 : 0 }));

const production: EnvironmentDeliveryMetrics = {
  environment: 'production',
  production: true,
  deploymentFrequency: { deployments: 2, perDay: 0.286 },
  leadTime: { changes: 1, medianSeconds: 22800 },
  changeFailureRate: { deployments: 2, failed: 1, rate: 0.5 },
  timeToRestore: { restores: 1, unresolved: 1, medianSeconds: 4200 },
  daily: days([1, 1, 0]),
  evidence: {
    deployments: [
      { commit: sha(5), at: '2026-03-03T11:00:00Z', component: 'payments-api', environment: 'production', kind: 'binding', release: 'payments-api-r3', summary: 'Promote', failure: { cause: 'rollback', at: '2026-03-03T13:00:00Z', commit: sha(6) } },
      { commit: sha(3), at: '2026-03-02T15:00:00Z', component: 'payments-api', environment: 'production', kind: 'rollback', release: 'payments-api-r2', summary: 'Roll back' },
    ],
    leadTimes: [
      { commit: sha(2), committedAt: '2026-03-02T09:00:00Z', component: 'payments-api', environment: 'production', summary: 'Change image', deployedBy: sha(3), healthyAt: '2026-03-02T15:20:00Z', seconds: 22800 },
    ],
    restores: [
      { component: 'payments-api', environment: 'production', degradedAt: '2026-03-03T12:00:00Z', restoredAt: '2026-03-03T13:10:00Z', seconds: 4200, reason: 'CrashLoopBackOff' },
      { component: 'payments-api', environment: 'production', degradedAt: '2026-03-04T12:00:00Z', reason: 'ImagePullBackOff' },
    ],
  },
};
const development: EnvironmentDeliveryMetrics = {
  environment: 'development',
  production: false,
  deploymentFrequency: { deployments: 0, perDay: 0 },
  leadTime: { changes: 0 },
  changeFailureRate: { deployments: 0, failed: 0 },
  timeToRestore: { restores: 0, unresolved: 0 },
  daily: days([0, 0, 0]),
  evidence: { deployments: [], leadTimes: [], restores: [] },
};

const metrics = (environments: EnvironmentDeliveryMetrics[], overrides: Partial<DeliveryMetrics> = {}): DeliveryMetrics => ({
  scope: { kind: 'component', namespace: 'acme', name: 'payments-api' },
  from: '2026-03-02T00:00:00Z',
  to: '2026-03-05T00:00:00Z',
  revision: sha(9),
  failureWindowSeconds: 86400,
  evidenceLimit: 200,
  statusHistorySince: '2026-01-01T00:00:00Z',
  environments,
  ...overrides,
});

type Answer = { status: number; body: unknown };

function renderView(answer: (url: URL) => Answer | Promise<Answer>) {
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
  renderInTestApp(<DeliveryMetricsView scope={{ kind: 'component', namespace: 'acme', name: 'payments-api' }} />, {
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, fetchApi],
      [cellplaneStatusApiRef, statusApi],
    ],
  });
  return { requests, statusApi };
}

describe('DeliveryMetricsView', () => {
  it('shows a loading state, then the four figures per environment, a chart, and the commits behind each figure on demand', async () => {
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const { requests } = renderView(async () => {
      await held;
      return { status: 200, body: metrics([development, production]) };
    });
    expect(await screen.findByRole('progressbar', { name: 'Loading the delivery metrics of payments-api' })).toBeInTheDocument();
    expect(requests[0].pathname).toBe('/api/cellplane/delivery-metrics');
    expect(requests[0].searchParams.get('entity')).toBe('component:acme/payments-api');
    release();

    const table = await screen.findByRole('table', { name: 'Delivery metrics of payments-api' });
    const row = within(table).getByRole('row', { name: /^production/ });
    expect(within(row).getByText('2 deployments (0.286 a day)')).toBeInTheDocument();
    expect(within(row).getByText('6 h 20 min over 1 changes')).toBeInTheDocument();
    expect(within(row).getByText('50 % (1 of 2)')).toBeInTheDocument();
    expect(within(row).getByText('1 h 10 min over 1 restores, 1 still Degraded')).toBeInTheDocument();
    const quiet = within(table).getByRole('row', { name: /^development/ });
    expect(within(quiet).getByText('0 deployments (0 a day)')).toBeInTheDocument();
    expect(within(quiet).getAllByText('—')).toHaveLength(3);
    expect(screen.getByRole('figure', { name: 'Deployments per day of payments-api, last 30 days' })).toBeInTheDocument();

    const show = within(row).getByRole('button', { name: 'Show commits and status changes of production' });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(show);
    expect(within(row).getByRole('button', { name: 'Hide commits and status changes of production' })).toHaveAttribute('aria-expanded', 'true');
    const deployments = await screen.findByRole('region', { name: 'Deployments to production' });
    expect(within(deployments).getByRole('link', { name: sha(5).slice(0, 7) })).toHaveAttribute('href', `/cellplane/commits/${sha(5)}`);
    expect(within(deployments).getByText('Failed: rolled back')).toBeInTheDocument();
    expect(within(deployments).getByText(/Rollback \(payments-api-r2\)/)).toBeInTheDocument();
    const leadTimes = screen.getByRole('region', { name: 'Lead times to production' });
    expect(within(leadTimes).getByText(/6 h 20 min/)).toBeInTheDocument();
    expect(within(leadTimes).getAllByRole('link').map(link => link.getAttribute('href'))).toEqual([`/cellplane/commits/${sha(2)}`, `/cellplane/commits/${sha(3)}`]);
    const restores = screen.getByRole('region', { name: 'Restores in production' });
    expect(within(restores).getByText(/CrashLoopBackOff\), Healthy after 1 h 10 min/)).toBeInTheDocument();
    expect(within(restores).getByText(/ImagePullBackOff\), not Healthy again yet/)).toBeInTheDocument();
  });

  it('reads the figures again for another period, and when a component of the scope changes health', async () => {
    const { requests, statusApi } = renderView(() => ({ status: 200, body: metrics([production]) }));
    await screen.findByRole('table', { name: 'Delivery metrics of payments-api' });
    const first = Date.parse(requests[0].searchParams.get('from')!);
    await userEvent.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    // 7 days before now instead of 30.
    expect(Date.parse(requests[1].searchParams.get('from')!) - first).toBeGreaterThan(22 * 86_400_000);
    expect(await screen.findByRole('figure', { name: 'Deployments per day of payments-api, last 7 days' })).toBeInTheDocument();

    expect(statusApi.watches.at(-1)!.filter).toEqual({ namespace: 'acme', component: 'payments-api' });
    statusApi.emit(status({ component: 'payments-api', project: 'payments', environment: 'production', health: 'Degraded' }));
    await waitFor(() => expect(requests).toHaveLength(3));
  });

  it('says when there is no deployment in the period, and when the status history starts late', async () => {
    renderView(() => ({ status: 200, body: metrics([development], { statusHistorySince: '2026-03-04T00:00:00Z' }) }));
    expect(await screen.findByText(/No deployment of payments-api in the last 30 days/)).toBeInTheDocument();
    expect(screen.getByText(/The status history starts .*: lead time, failures by Degraded and time to restore count only what it has seen since/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says what to do when the backend refuses', async () => {
    renderView(() => ({
      status: 403,
      body: { error: { name: 'NotAllowedError', message: 'reading delivery metrics requires the cellplane.status.read permission' }, response: { statusCode: 403 } },
    }));
    expect(await screen.findByText('Error: You may not read the delivery metrics of payments-api')).toBeInTheDocument();
    expect(screen.getByText(/requires the cellplane.status.read permission. Ask your platform team for the permission./)).toBeInTheDocument();
  });
});
