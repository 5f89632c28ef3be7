import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { ComponentMetrics, MetricsChart as MetricsChartData } from '@cellplane/backstage-plugin-common';
import { CellplaneMetricsClient, cellplaneMetricsApiRef } from './metricsApi';
import { METRICS_DOCS_URL, MetricsView } from './MetricsView';

// recharts' ResponsiveContainer watches its size; jsdom has no ResizeObserver (nor layout), so
// the container keeps its initialDimension.
(globalThis as any).ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

const T = 1_796_620_000;
const steady = (value: number): Array<[number, number]> => [0, 1, 2].map(i => [T + i * 30, value]);
const chart = (id: MetricsChartData['id'], title: string, unit: MetricsChartData['unit'], series: Record<string, number>): MetricsChartData => ({
  id,
  title,
  unit,
  queries: [{ legend: id === 'cpu' ? '{{pod}}' : 'value', promql: `promql_of_${id}{namespace="dp-acme"}` }],
  series: Object.entries(series).map(([name, value]) => ({ name, points: steady(value) })),
});
const metrics = (charts: MetricsChartData[]): ComponentMetrics => ({
  configured: true,
  namespace: 'acme',
  component: 'cart-api',
  environment: 'development',
  dataPlane: 'default',
  range: '1h',
  start: T - 3600,
  end: T,
  step: 30,
  scope: { kubernetesNamespace: 'dp-acme-storefront-development-1234', pods: 'cart-api-development-[a-z0-9]+-[a-z0-9]+', workloads: [] },
  charts,
});
const FULL = metrics([
  chart('requestRate', 'Request rate', 'requests/s', { 'requests/s': 1.25 }),
  chart('errorRate', 'Error rate (5xx share)', 'ratio', { '5xx share': 0.1 }),
  chart('latency', 'Latency', 'seconds', { p50: 0.1375, p95: 0.75, p99: 1.5 }),
  chart('cpu', 'CPU per pod', 'cores', { 'cart-api-1': 0.2, 'cart-api-2': 1.5 }),
  chart('memory', 'Memory per pod (working set)', 'bytes', { 'cart-api-1': 100 * 2 ** 20 }),
]);
const JAEGER = { configured: true, dataPlane: 'default', ui: 'jaeger', service: 'cart-api', environment: 'development', url: 'https://jaeger.example/search?service=cart-api' };

type Answer = { status: number; body: unknown };
const statuses = ['development', 'staging'].map(environment => status({ component: 'cart-api', environment }));

function renderMetrics(answer: (url: URL) => Answer | Promise<Answer>, statusApi = new FakeStatusApi(statuses), tracing: unknown = JAEGER) {
  const requests: URL[] = [];
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      requests.push(url);
      const reply = url.pathname.startsWith('/api/cellplane/tracing/') ? { status: 200, body: tracing } : await answer(url);
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
    },
  });
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend.test' });
  renderInTestApp(<MetricsView namespace="acme" component="cart-api" />, {
    apis: [
      [cellplaneStatusApiRef, statusApi],
      [cellplaneMetricsApiRef, new CellplaneMetricsClient({ discoveryApi, fetchApi })],
    ],
  });
  const metricsRequests = () => requests.filter(url => url.pathname.startsWith('/api/cellplane/metrics/'));
  return { metricsRequests, statusApi };
}

describe('MetricsView', () => {
  it('loads, then draws each chart with its latest values, its PromQL on demand, and links to the traces', async () => {
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const { metricsRequests } = renderMetrics(async () => {
      await held;
      return { status: 200, body: FULL };
    });
    expect(await screen.findByRole('progressbar', { name: 'Loading metrics' })).toBeInTheDocument();
    expect(metricsRequests()[0].pathname).toBe('/api/cellplane/metrics/acme/cart-api/development');
    expect(metricsRequests()[0].searchParams.get('range')).toBe('1h');
    release();

    const latency = await screen.findByRole('region', { name: 'Latency' });
    expect(within(latency).getByText('Latest: p50 137.5 ms, p95 750 ms, p99 1.5 s')).toBeInTheDocument();
    expect(screen.getByTestId('latest-requestRate')).toHaveTextContent('Latest: requests/s 1.25 req/s');
    expect(screen.getByTestId('latest-errorRate')).toHaveTextContent('Latest: 5xx share 10%');
    expect(screen.getByTestId('latest-cpu')).toHaveTextContent('Latest: cart-api-1 200m cores, cart-api-2 1.5 cores');
    expect(screen.getByTestId('latest-memory')).toHaveTextContent('Latest: cart-api-1 100 MiB');
    expect(within(latency).getByRole('figure', { name: 'Latency over time' })).toBeInTheDocument();

    const cpu = screen.getByRole('region', { name: 'CPU per pod' });
    const show = within(cpu).getByRole('button', { name: 'Show PromQL' });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(show);
    expect(within(cpu).getByLabelText('PromQL of CPU per pod')).toHaveTextContent('{{pod}}: promql_of_cpu{namespace="dp-acme"}');
    expect(within(cpu).getByRole('button', { name: 'Hide PromQL' })).toHaveAttribute('aria-expanded', 'true');

    const traces = await screen.findByRole('link', { name: 'Open traces in Jaeger' });
    expect(traces).toHaveAttribute('href', 'https://jaeger.example/search?service=cart-api');
  });

  it('asks again for another range or environment', async () => {
    const { metricsRequests } = renderMetrics(() => ({ status: 200, body: FULL }));
    await screen.findByRole('region', { name: 'Latency' });
    await userEvent.click(screen.getByRole('button', { name: 'Last 6h' }));
    await waitFor(() => expect(metricsRequests().at(-1)!.searchParams.get('range')).toBe('6h'));
    expect(screen.getByRole('button', { name: 'Last 6h' })).toHaveAttribute('aria-pressed', 'true');

    await userEvent.click(screen.getByRole('combobox', { name: 'Environment' }));
    await userEvent.click(await screen.findByRole('option', { name: 'staging' }));
    await waitFor(() => expect(metricsRequests().at(-1)!.pathname).toBe('/api/cellplane/metrics/acme/cart-api/staging'));
    expect(metricsRequests().at(-1)!.searchParams.get('range')).toBe('6h');
  });

  it('reads the metrics again when the status stream says the component changed (a rollout brings new pods)', async () => {
    const { metricsRequests, statusApi } = renderMetrics(() => ({ status: 200, body: FULL }));
    await screen.findByRole('region', { name: 'Latency' });
    expect(metricsRequests()).toHaveLength(1);
    act(() => statusApi.emit(status({ component: 'cart-api', environment: 'development', health: 'Progressing' })));
    await waitFor(() => expect(metricsRequests()).toHaveLength(2));
    expect(screen.getByRole('region', { name: 'Latency' })).toBeInTheDocument();
  });

  it('says when Prometheus has no data for the component, chart by chart', async () => {
    renderMetrics(() => ({ status: 200, body: metrics([chart('requestRate', 'Request rate', 'requests/s', {}), chart('cpu', 'CPU per pod', 'cores', {})]) }));
    expect(await screen.findByText(/Prometheus has no metrics of cart-api in development in the last 1h/)).toBeInTheDocument();
    const requests = screen.getByRole('region', { name: 'Request rate' });
    expect(within(requests).getByText(/No data in this range\. Prometheus has no http_server_request_duration_seconds series/)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'CPU per pod' })).getByText(/container_cpu_usage_seconds_total/)).toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });

  it('says what to configure when the data plane names no Prometheus', async () => {
    renderMetrics(() => ({
      status: 200,
      body: {
        configured: false,
        dataPlane: 'dark',
        reason: 'no Prometheus is configured for data plane "dark"',
        configure: 'set cellplane.dataPlanes[].prometheus.url for data plane "dark" in app-config.yaml, or annotate its DataPlane with cellplane.dev/prometheus-url',
      },
    }));
    expect(await screen.findByText('No Prometheus for data plane dark')).toBeInTheDocument();
    expect(screen.getByText(/To see metrics here, set cellplane.dataPlanes\[\].prometheus.url for data plane "dark"/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'How to configure metrics and traces' })).toHaveAttribute('href', METRICS_DOCS_URL);
  });

  it("shows Prometheus' error with a way to try again, which then draws the charts", async () => {
    let fail = true;
    renderMetrics(() =>
      fail
        ? {
            status: 502,
            body: {
              error: { name: 'PrometheusQueryError', message: 'the Prometheus of data plane "default" (http://prometheus:9090) answered 422: execution: query timed out' },
              response: { statusCode: 502 },
            },
          }
        : { status: 200, body: FULL },
    );
    expect(await screen.findByText('Error: Prometheus could not answer')).toBeInTheDocument();
    expect(screen.getByText(/answered 422: execution: query timed out/)).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('region', { name: 'Latency' })).toBeInTheDocument();
  });

  it('says which permission is missing', async () => {
    renderMetrics(() => ({
      status: 403,
      body: { error: { name: 'NotAllowedError', message: 'reading metrics requires the cellplane.status.read permission' }, response: { statusCode: 403 } },
    }));
    expect(await screen.findByText('Error: You may not read the metrics of cart-api in development')).toBeInTheDocument();
    expect(screen.getByText(/requires the cellplane.status.read permission/)).toBeInTheDocument();
  });

  it('names Tempo on the traces button', async () => {
    renderMetrics(() => ({ status: 200, body: FULL }), undefined, { ...JAEGER, ui: 'tempo', url: 'https://grafana.example/explore' });
    expect(await screen.findByRole('link', { name: 'Open traces in Tempo' })).toHaveAttribute('href', 'https://grafana.example/explore');
  });

  it('says when the data plane names no tracing UI', async () => {
    renderMetrics(() => ({ status: 200, body: FULL }), undefined, {
      configured: false,
      dataPlane: 'dark',
      reason: 'no tracing UI is configured for data plane "dark"',
      configure: 'set cellplane.dataPlanes[].tracing',
    });
    expect(await screen.findByText('No tracing UI for data plane dark')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Open traces/ })).not.toBeInTheDocument();
  });

  it('says when the component is in no environment', async () => {
    renderMetrics(() => ({ status: 200, body: FULL }), new FakeStatusApi([]));
    expect(await screen.findByText(/cart-api is in no environment yet/)).toBeInTheDocument();
  });
});
