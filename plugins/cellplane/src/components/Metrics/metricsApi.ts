import { DiscoveryApi, FetchApi, createApiRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * The answers of the backend's `/metrics` and `/tracing` routes (the same shapes as
 * plugins/cellplane-backend/src/metrics/types.ts).
 */

/** The time ranges the Metrics tab offers. */
export const METRICS_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;
export type MetricsRange = (typeof METRICS_RANGES)[number];

export interface MetricsSeries {
  name: string;
  /** [unix seconds, value]; null where Prometheus has no number. */
  points: Array<[number, number | null]>;
}

export interface MetricsChartData {
  id: 'requestRate' | 'errorRate' | 'latency' | 'cpu' | 'memory';
  title: string;
  unit: 'requests/s' | 'ratio' | 'seconds' | 'cores' | 'bytes';
  queries: Array<{ legend: string; promql: string }>;
  series: MetricsSeries[];
}

/** No Prometheus (or tracing UI) for the data plane: why, and what to configure. */
export interface NotConfigured {
  configured: false;
  dataPlane: string;
  reason: string;
  configure: string;
}

export interface ComponentMetrics {
  configured: true;
  namespace: string;
  component: string;
  environment: string;
  dataPlane: string;
  range: MetricsRange;
  start: number;
  end: number;
  step: number;
  scope: { kubernetesNamespace: string; pods: string; workloads: Array<{ kind: string; name: string }> };
  charts: MetricsChartData[];
}

export type MetricsAnswer = ComponentMetrics | NotConfigured;

export type TracingAnswer =
  | { configured: true; dataPlane: string; url: string; ui: 'jaeger' | 'tempo' | 'custom'; service: string; environment: string }
  | NotConfigured;

/** A component in an environment. */
export interface MetricsTarget {
  namespace: string;
  component: string;
  environment: string;
}

/** Reads a component's metrics and its tracing link from the `cellplane` backend. */
export interface CellplaneMetricsApi {
  getMetrics(target: MetricsTarget, range: MetricsRange): Promise<MetricsAnswer>;
  getTracingLink(target: MetricsTarget): Promise<TracingAnswer>;
}

export const cellplaneMetricsApiRef = createApiRef<CellplaneMetricsApi>({ id: 'plugin.cellplane.metrics' });

const path = (t: MetricsTarget) => [t.namespace, t.component, t.environment].map(encodeURIComponent).join('/');

/** The metrics API over HTTP, with the user's token (fetchApi). */
export class CellplaneMetricsClient implements CellplaneMetricsApi {
  constructor(private readonly options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  getMetrics(target: MetricsTarget, range: MetricsRange) {
    return this.get<MetricsAnswer>(`metrics/${path(target)}?range=${encodeURIComponent(range)}`);
  }

  getTracingLink(target: MetricsTarget) {
    return this.get<TracingAnswer>(`tracing/${path(target)}`);
  }

  private async get<T>(url: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('cellplane');
    const response = await this.options.fetchApi.fetch(`${base}/${url}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
