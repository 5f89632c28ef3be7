import { DiscoveryApi, FetchApi, createApiRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { METRICS_RANGES, MetricsAnswer, MetricsRange, TracingAnswer } from '@cellplane/backstage-plugin-common';

/** The time ranges the Metrics tab offers: the ones the route takes. */
export const METRICS_RANGE_NAMES = Object.keys(METRICS_RANGES) as MetricsRange[];

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
