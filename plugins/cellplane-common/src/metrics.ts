/*
 * The answers of the `cellplane` backend's metrics and tracing routes, for the backend and the
 * browser alike.
 */

/** The ranges the Metrics tab offers, and the only ones the route takes. @public */
export const METRICS_RANGES = { '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800 } as const;

/** @public */
export type MetricsRange = keyof typeof METRICS_RANGES;

/** One line of a chart: a name for the legend and [unix seconds, value] points; null where Prometheus has no number (NaN). @public */
export interface MetricsSeries {
  name: string;
  points: Array<[number, number | null]>;
}

/** One chart: what it shows, in which unit, the PromQL behind each of its lines, and the lines. @public */
export interface MetricsChart {
  id: 'requestRate' | 'errorRate' | 'latency' | 'cpu' | 'memory';
  title: string;
  /** `requests/s`, `ratio` (0 to 1), `seconds`, `cores` or `bytes`. */
  unit: 'requests/s' | 'ratio' | 'seconds' | 'cores' | 'bytes';
  queries: Array<{ legend: string; promql: string }>;
  series: MetricsSeries[];
}

/** Who the queries are about in the data plane: the cell's Kubernetes namespace and the component's pods. @public */
export interface MetricsScope {
  kubernetesNamespace: string;
  /** A PromQL regular expression on the `pod` label matching the pods of the component's workloads. */
  pods: string;
  workloads: Array<{ kind: string; name: string }>;
}

/** Nothing to ask: what is missing and what to configure. @public */
export interface MetricsNotConfigured {
  configured: false;
  dataPlane: string;
  reason: string;
  /** What to set, in the platform team's words (config key or annotation). */
  configure: string;
}

/** @public */
export interface ComponentMetrics {
  configured: true;
  namespace: string;
  component: string;
  environment: string;
  dataPlane: string;
  range: MetricsRange;
  /** Unix seconds. */
  start: number;
  end: number;
  /** Seconds between points. */
  step: number;
  scope: MetricsScope;
  charts: MetricsChart[];
}

/** @public */
export type MetricsAnswer = ComponentMetrics | MetricsNotConfigured;

/** @public */
export type TracingAnswer =
  | {
      configured: true;
      dataPlane: string;
      /** The tracing UI's URL with the component's service name and environment filled in. */
      url: string;
      ui: 'jaeger' | 'tempo' | 'custom';
      /** The OpenTelemetry resource attributes the link filters on. */
      service: string;
      environment: string;
    }
  | MetricsNotConfigured;
