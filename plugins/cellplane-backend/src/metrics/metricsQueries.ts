import { MetricsChart, MetricsScope } from '@cellplane/backstage-plugin-common';

/**
 * The PromQL behind the Metrics tab. Every query is scoped to the component's pods in its cell:
 * `namespace` (the cell's Kubernetes namespace) and `pod` (the names its workloads give their
 * pods), the labels both cAdvisor (through the kubelet) and a PodMonitor's scrape put on series.
 *
 * HTTP metrics are OpenTelemetry's `http.server.request.duration` histogram (semantic
 * conventions 1.2x, unit seconds), which the OpenTelemetry SDKs and the operator's
 * auto-instrumentation that Cellplane wires in (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
 * the `instrumentation.opentelemetry.io/inject-*` annotation) record, as Prometheus names it:
 * `http_server_request_duration_seconds_{bucket,count,sum}`, with the status in
 * `http_response_status_code`.
 *
 * - request rate: `sum(rate(..._count[w]))`
 * - error rate: the 5xx share of that, `sum(rate(...{http_response_status_code=~"5.."}[w])) / sum(rate(...[w]))`
 * - latency: `histogram_quantile(q, sum by (le) (rate(..._bucket[w])))` for q = 0.5, 0.95, 0.99
 * - CPU per pod: `sum by (pod) (rate(container_cpu_usage_seconds_total{..., container!="", container!="POD"}[w]))`
 * - memory per pod: `sum by (pod) (container_memory_working_set_bytes{..., container!="", container!="POD"})`
 *
 * (`container=""` is the pod's cgroup total and `POD` the pause container: both would count twice.)
 * The rate window w is the step, but at least 1m (four scrapes at Prometheus' usual 15 s), so a
 * short step never leaves a window with fewer than two samples.
 */

export const HTTP_DURATION = 'http_server_request_duration_seconds';
export const CPU_SECONDS = 'container_cpu_usage_seconds_total';
export const MEMORY_BYTES = 'container_memory_working_set_bytes';

const LATENCY_QUANTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

/** A PromQL string literal. */
const quoted = (value: string) => JSON.stringify(value);

/** The rate window for a step, as PromQL writes a duration. */
export function rateWindow(stepSeconds: number): string {
  return `${Math.max(60, Math.ceil(stepSeconds))}s`;
}

/** The charts the Metrics tab draws, each with its queries (series are filled in by the route). */
export function metricsQueries(scope: MetricsScope, stepSeconds: number): Array<Omit<MetricsChart, 'series'>> {
  const selector = `namespace=${quoted(scope.kubernetesNamespace)}, pod=~${quoted(scope.pods)}`;
  const w = rateWindow(stepSeconds);
  const requests = `sum(rate(${HTTP_DURATION}_count{${selector}}[${w}]))`;
  const containers = `${selector}, container!="", container!="POD"`;
  return [
    { id: 'requestRate', title: 'Request rate', unit: 'requests/s', queries: [{ legend: 'requests/s', promql: requests }] },
    {
      id: 'errorRate',
      title: 'Error rate (5xx share)',
      unit: 'ratio',
      queries: [
        {
          legend: '5xx share',
          promql: `sum(rate(${HTTP_DURATION}_count{${selector}, http_response_status_code=~"5.."}[${w}])) / ${requests}`,
        },
      ],
    },
    {
      id: 'latency',
      title: 'Latency',
      unit: 'seconds',
      queries: LATENCY_QUANTILES.map(([legend, q]) => ({
        legend,
        promql: `histogram_quantile(${q}, sum by (le) (rate(${HTTP_DURATION}_bucket{${selector}}[${w}])))`,
      })),
    },
    {
      id: 'cpu',
      title: 'CPU per pod',
      unit: 'cores',
      queries: [{ legend: '{{pod}}', promql: `sum by (pod) (rate(${CPU_SECONDS}{${containers}}[${w}]))` }],
    },
    {
      id: 'memory',
      title: 'Memory per pod (working set)',
      unit: 'bytes',
      queries: [{ legend: '{{pod}}', promql: `sum by (pod) (${MEMORY_BYTES}{${containers}})` }],
    },
  ];
}

/** What a workload calls its pods, as a regular expression (RE2, anchored by PromQL). */
const POD_NAME_SUFFIX: Record<string, string> = {
  Deployment: '-[a-z0-9]+-[a-z0-9]+', // <deployment>-<replicaset hash>-<random>
  StatefulSet: '-[0-9]+',
  DaemonSet: '-[a-z0-9]+',
  Job: '-[a-z0-9]+',
  CronJob: '-[0-9]+-[a-z0-9]+', // <cronjob>-<scheduled minute>-<random>
};

/** The kinds whose pods the Metrics tab looks at. */
export const WORKLOAD_KINDS = Object.keys(POD_NAME_SUFFIX);

/** The `pod` regular expression of a component's workloads ('' matches nothing: no workload). */
export function podNamePattern(workloads: Array<{ kind: string; name: string }>): string {
  const alternatives = workloads
    .filter(workload => POD_NAME_SUFFIX[workload.kind])
    .map(workload => `${workload.name.replace(/[.\\]/g, '\\$&')}${POD_NAME_SUFFIX[workload.kind]}`);
  return alternatives.length === 1 ? alternatives[0] : alternatives.map(alternative => `(${alternative})`).join('|');
}
