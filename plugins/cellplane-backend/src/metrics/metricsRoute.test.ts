import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Server } from 'node:http';
import { join } from 'node:path';
import { cellplaneDataPlanesServiceRef } from '@cellplane/backstage-plugin-node';
import { author, exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';
import { cellplanePlugin } from '../plugin';
import { getJson } from '../__testUtils__/getJson';
import { RunningPrometheus, SeriesToLoad, startPrometheus } from './__testUtils__/startPrometheus';

const NAMESPACE = 'dp-acme-storefront-development-2ebf0c4b';
const DEPLOYMENT = 'catalog-api-development-f13d5239';
const POD_A = `${DEPLOYMENT}-7d9f8c6b5-abcde`;
const POD_B = `${DEPLOYMENT}-7d9f8c6b5-fghij`;
const DENIED_USER = 'user:default/no-status';
const user = mockCredentials.user.header('user:default/alice');

// The last sample is a minute before the test starts, on a whole minute; 30 minutes of samples every 15 s.
const END = Math.floor(Date.now() / 60_000) * 60 - 60;
const TIMES = Array.from({ length: 121 }, (_, i) => END - 1800 + i * 15);

/** A counter growing by `perSecond` every second (rate() of it is exactly that), or a constant gauge. */
const counter = (name: string, labels: Record<string, string>, perSecond: number): SeriesToLoad => ({
  name,
  labels,
  samples: TIMES.map((time, i) => [time, i * 15 * perSecond]),
});
const gauge = (name: string, labels: Record<string, string>, value: number): SeriesToLoad => ({
  name,
  labels,
  samples: TIMES.map(time => [time, value]),
});

/**
 * OpenTelemetry's HTTP server histogram for one pod and status code: `buckets` are the cumulative
 * requests per second at or under each bound (the last is +Inf, also the count).
 */
function httpHistogram(pod: string, code: string, buckets: [string, number][], namespace = NAMESPACE): SeriesToLoad[] {
  const labels = { namespace, pod, http_response_status_code: code, http_request_method: 'GET' };
  return [
    ...buckets.map(([le, perSecond]) => counter('http_server_request_duration_seconds_bucket', { ...labels, le }, perSecond)),
    counter('http_server_request_duration_seconds_count', labels, buckets[buckets.length - 1][1]),
  ];
}

/**
 * Pod A answers 0.9 requests/s with 200, pod B 0.1/s with 500: 1 request/s, 10% errors. Summed
 * over both, requests at or under 0.1 s: 0.4/s, 0.25 s: 0.8/s, 0.5 s: 0.9/s, 1 s: 1/s. So (linear
 * within a bucket, as histogram_quantile interpolates):
 * p50: rank 0.5 in (0.1, 0.25] holding 0.4, 0.1 into it → 0.1 + 0.15 × 0.1/0.4 = 0.1375;
 * p95: rank 0.95 in (0.5, 1] holding 0.1, 0.05 into it → 0.5 + 0.5 × 0.5 = 0.75;
 * p99: → 0.5 + 0.5 × 0.09/0.1 = 0.95.
 * CPU: pod A's container uses 0.2 cores, pod B's 0.1; memory 100 MiB and 50 MiB.
 * Around them, series that must not count: another component's pod in the same namespace, a pod
 * of the same name in another namespace, and each pod's cgroup total (`container=""`) and pause
 * container (`POD`).
 */
const SERIES: SeriesToLoad[] = [
  ...httpHistogram(POD_A, '200', [['0.1', 0.36], ['0.25', 0.72], ['0.5', 0.81], ['1', 0.9], ['+Inf', 0.9]]),
  ...httpHistogram(POD_B, '500', [['0.1', 0.04], ['0.25', 0.08], ['0.5', 0.09], ['1', 0.1], ['+Inf', 0.1]]),
  ...httpHistogram('cart-api-development-0a1b2c3d-5f6g7-zzzzz', '500', [['0.1', 50], ['+Inf', 50]]),
  ...httpHistogram(POD_A, '500', [['0.1', 70], ['+Inf', 70]], 'someone-else'),
  counter('container_cpu_usage_seconds_total', { namespace: NAMESPACE, pod: POD_A, container: 'app' }, 0.2),
  counter('container_cpu_usage_seconds_total', { namespace: NAMESPACE, pod: POD_A, container: '' }, 5),
  counter('container_cpu_usage_seconds_total', { namespace: NAMESPACE, pod: POD_A, container: 'POD' }, 1),
  counter('container_cpu_usage_seconds_total', { namespace: NAMESPACE, pod: POD_B, container: 'app' }, 0.1),
  counter('container_cpu_usage_seconds_total', { namespace: 'someone-else', pod: POD_B, container: 'app' }, 9),
  gauge('container_memory_working_set_bytes', { namespace: NAMESPACE, pod: POD_A, container: 'app' }, 100 * 2 ** 20),
  gauge('container_memory_working_set_bytes', { namespace: NAMESPACE, pod: POD_A, container: '' }, 999 * 2 ** 20),
  gauge('container_memory_working_set_bytes', { namespace: NAMESPACE, pod: POD_B, container: 'app' }, 50 * 2 ** 20),
];

const INFRA = 'namespaces/acme/platform/infra';
const BINDINGS = 'namespaces/acme/projects/storefront/components/catalog-api/release-bindings';

const environment = (name: string, dataPlane: string) =>
  `apiVersion: openchoreo.dev/v1alpha1\nkind: Environment\nmetadata:\n  name: ${name}\n  namespace: acme\nspec:\n  dataPlaneRef:\n    kind: DataPlane\n    name: ${dataPlane}\n  isProduction: false\n`;
const binding = (environmentName: string) =>
  `apiVersion: openchoreo.dev/v1alpha1\nkind: ReleaseBinding\nmetadata:\n  name: catalog-api-${environmentName}\n  namespace: acme\nspec:\n  owner:\n    projectName: storefront\n    componentName: catalog-api\n  environment: ${environmentName}\n`;

describe('GET /metrics and /tracing against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let overloaded: RunningPrometheus;
  let server: Server;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    [prometheus, overloaded] = await Promise.all([
      startPrometheus(SERIES),
      // Refuses any query that reads more than one sample: a failing Prometheus, in its own words.
      startPrometheus(SERIES, { flags: ['--query.max-samples=1'] }),
    ]);
    const fixture = exampleRepository();
    // The default ClusterDataPlane names its Prometheus by annotation (credentials stay in config);
    // qa runs on a data plane whose Prometheus fails, lab on one that names none.
    await fixture.repository.commit({
      message: 'data planes with and without Prometheus',
      author,
      async changes(base) {
        const dataPlanePath = 'platform-shared/infra/data-planes/default.yaml';
        const clusterDataPlane = (await base.readFile(dataPlanePath))!.toString();
        const dataPlane = (name: string, annotation: string) =>
          clusterDataPlane
            .replace('kind: ClusterDataPlane', 'kind: DataPlane')
            .replace('  name: default\n', `  name: ${name}\n  namespace: acme\n`)
            .replace('  annotations:\n', `  annotations:\n${annotation}`);
        return [
          {
            path: dataPlanePath,
            content: clusterDataPlane.replace('  annotations:\n', `  annotations:\n    cellplane.dev/prometheus-url: ${prometheus.url}/\n`),
          },
          { path: `${INFRA}/data-planes/edge.yaml`, content: dataPlane('edge', `    cellplane.dev/prometheus-url: ${overloaded.url}\n`) },
          { path: `${INFRA}/data-planes/dark.yaml`, content: dataPlane('dark', '') },
          { path: `${INFRA}/environments/qa.yaml`, content: environment('qa', 'edge') },
          { path: `${INFRA}/environments/lab.yaml`, content: environment('lab', 'dark') },
          { path: `${BINDINGS}/catalog-api-qa.yaml`, content: binding('qa') },
          { path: `${BINDINGS}/catalog-api-lab.yaml`, content: binding('lab') },
          {
            path: 'rendered/edge/acme/qa/storefront/components/catalog-api.yaml',
            content: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${DEPLOYMENT}\n  namespace: ${NAMESPACE}\n`,
          },
        ];
      },
    });
    const backend = await startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            cellplane: {
              gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') },
              dataPlanes: [
                {
                  name: 'default',
                  // The annotation names this Prometheus; credentials may go to its host only because it is listed.
                  prometheus: { token: 'not-checked-by-this-prometheus', allowedHosts: [new URL(prometheus.url).host] },
                  tracing: { preset: 'jaeger', url: 'https://jaeger.example' },
                },
              ],
            },
            events: { useEventBus: 'never' },
          },
        }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        mockServices.permissions.mock({
          async authorize(requests, { credentials }) {
            const denied = (credentials.principal as { userEntityRef?: string }).userEntityRef === DENIED_USER;
            return requests.map(() => ({ result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW }));
          },
        }).factory,
        createServiceFactory({ service: cellplaneDataPlanesServiceRef, deps: {}, factory: () => ({ connections: [] }) }),
      ],
    });
    server = backend.server;
    stopBackend = async () => {
      await backend.stop();
      fixture.cleanup();
    };
  }, 120_000);

  afterAll(async () => {
    await stopBackend?.();
    await Promise.all([prometheus?.stop(), overloaded?.stop()]);
  });

  const metrics = (query: string, component = 'catalog-api', environmentName = 'development') =>
    getJson(server, `/api/cellplane/metrics/acme/${component}/${environmentName}${query}`, user);

  it('answers request rate, error rate, latency percentiles, CPU and memory per pod, as computed by hand', async () => {
    const answer = await metrics(`?range=15m&end=${END}`);
    expect(answer.status).toBe(200);
    const body = answer.body;
    expect(body).toMatchObject({ configured: true, dataPlane: 'default', range: '15m', start: END - 900, end: END, step: 15 });
    expect(body.scope).toEqual({
      kubernetesNamespace: NAMESPACE,
      pods: `${DEPLOYMENT}-[a-z0-9]+-[a-z0-9]+`,
      workloads: [{ kind: 'Deployment', name: DEPLOYMENT }],
    });
    const chart = (id: string) => body.charts.find((c: { id: string }) => c.id === id);
    /** Each series by name, with the one value all its points have (the series are steady). */
    const values = (id: string) =>
      Object.fromEntries(
        chart(id).series.map((s: { name: string; points: Array<[number, number]> }) => {
          expect(s.points).toHaveLength(61);
          expect(s.points[0][0]).toBe(END - 900);
          const [first] = s.points.map(p => p[1]);
          for (const [, value] of s.points) expect(value).toBeCloseTo(first, 9);
          return [s.name, Number(first.toFixed(6))];
        }),
      );
    expect(values('requestRate')).toEqual({ 'requests/s': 1 });
    expect(values('errorRate')).toEqual({ '5xx share': 0.1 });
    expect(values('latency')).toEqual({ p50: 0.1375, p95: 0.75, p99: 0.95 });
    expect(values('cpu')).toEqual({ [POD_A]: 0.2, [POD_B]: 0.1 });
    expect(values('memory')).toEqual({ [POD_A]: 100 * 2 ** 20, [POD_B]: 50 * 2 ** 20 });
    expect(chart('cpu')).toMatchObject({ unit: 'cores', title: 'CPU per pod' });
    expect(chart('latency').queries[2].promql).toBe(
      `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="${NAMESPACE}", pod=~"${DEPLOYMENT}-[a-z0-9]+-[a-z0-9]+"}[60s])))`,
    );
  });

  it('answers empty series over a range with no samples', async () => {
    const answer = await metrics(`?range=1h&end=${END - 86_400}`);
    expect(answer.status).toBe(200);
    for (const chart of answer.body.charts) expect(chart.series).toEqual([]);
  });

  it('uses a given step, and the rate window grows with it', async () => {
    const answer = await metrics(`?range=15m&step=5m&end=${END}`);
    expect(answer.body.step).toBe(300);
    expect(answer.body.charts[0].queries[0].promql).toContain('[300s]');
    expect(answer.body.charts[0].series[0].points).toEqual([END - 900, END - 600, END - 300, END].map(time => [time, expect.closeTo(1, 9)]));
  });

  it("says when the data plane names no Prometheus, and what to configure", async () => {
    const answer = await metrics('', 'catalog-api', 'lab');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      configured: false,
      dataPlane: 'dark',
      reason: 'no Prometheus is configured for data plane "dark"',
      configure: expect.stringContaining('cellplane.dataPlanes[].prometheus.url for data plane "dark"'),
    });
    expect(answer.body.configure).toContain('annotate its DataPlane with cellplane.dev/prometheus-url');
  });

  it("answers 502 with Prometheus' own error when a query fails", async () => {
    const answer = await metrics(`?range=15m&end=${END}`, 'catalog-api', 'qa');
    expect(answer.status).toBe(502);
    expect(answer.body.error.name).toBe('PrometheusQueryError');
    expect(answer.body.error.message).toMatch(/^the Prometheus of data plane "edge" \(http:\/\/127\.0\.0\.1:\d+\) answered 422: execution: query processing would load too many samples into memory/);
  });

  it.each([
    ['?range=2h', 'range must be one of 15m, 1h, 6h, 24h, 7d, got "2h"'],
    ['?step=fast', 'step must be a duration such as 30s, 5m or 1h (or seconds), got "fast"'],
    ['?range=15m&step=2h', 'step must not be longer than the range 15m, got 2h'],
    ['?range=7d&step=1s', 'step 1s gives more than 11000 points over 7d: use at least 55s'],
    ['?end=tomorrow', 'end must be unix seconds or an RFC 3339 time, got "tomorrow"'],
    ['?end=99999999999', 'end must not be more than a day ahead, got "99999999999"'],
    ['?rang=1h', 'unknown query parameter "rang": this route takes range, step, end'],
    ['?range=1h&range=6h', 'range must be given once'],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    const answer = await metrics(query);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ name: 'InputError', message });
  });

  it('answers 404 for a component, environment or binding the repository lacks', async () => {
    expect((await metrics('', 'no-such-component')).body.error.message).toBe('Component "no-such-component" not found in namespace acme');
    expect((await metrics('', 'catalog-api', 'nowhere')).body.error.message).toBe('Environment "nowhere" not found in namespace acme');
    const unbound = await metrics('', 'catalog-api', 'production');
    expect(unbound.status).toBe(404);
    expect(unbound.body.error.message).toBe('Component catalog-api is not deployed to production: it has no ReleaseBinding for that environment');
  });

  it('needs cellplane.status.read, and a signed-in caller', async () => {
    const denied = await getJson(server, '/api/cellplane/metrics/acme/catalog-api/development', mockCredentials.user.header(DENIED_USER));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('reading metrics requires the cellplane.status.read permission');
    expect((await getJson(server, '/api/cellplane/metrics/acme/catalog-api/development')).status).toBe(401);
    expect((await getJson(server, '/api/cellplane/tracing/acme/catalog-api/development')).status).toBe(401);
  });

  it('links to the traces in Jaeger with the service and environment filled in', async () => {
    const answer = await getJson(server, '/api/cellplane/tracing/acme/catalog-api/development', user);
    expect(answer.body).toEqual({
      configured: true,
      dataPlane: 'default',
      ui: 'jaeger',
      service: 'catalog-api',
      environment: 'development',
      url: 'https://jaeger.example/search?service=catalog-api&tags=%7B%22deployment.environment.name%22%3A%22development%22%7D',
    });
  });

  it('says when the data plane names no tracing UI', async () => {
    const answer = await getJson(server, '/api/cellplane/tracing/acme/catalog-api/lab', user);
    expect(answer.body).toMatchObject({ configured: false, dataPlane: 'dark', reason: 'no tracing UI is configured for data plane "dark"' });
    expect(answer.body.configure).toContain('cellplane.dev/tracing-url');
  });
});
