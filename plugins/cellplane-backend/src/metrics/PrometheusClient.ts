import { MetricsSeries } from '@cellplane/backstage-plugin-common';

/** Prometheus answered with an error, or could not be asked: the message names Prometheus' own words. */
export class PrometheusQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

/** A range query: PromQL from `start` to `end` (unix seconds) every `step` seconds. */
export interface RangeQuery {
  promql: string;
  start: number;
  end: number;
  step: number;
}

/** How long one query may take before it counts as failed. */
const QUERY_TIMEOUT_MS = 15_000;

/**
 * Asks one Prometheus (or anything with its HTTP API: Thanos, Mimir, VictoriaMetrics) over
 * `/api/v1/query_range`. The headers carry the credentials from config: they are sent and never
 * repeated in an error.
 */
export class PrometheusClient {
  constructor(
    readonly options: {
      url: string;
      headers: Record<string, string>;
      /** Who this Prometheus is, for messages (`Prometheus of data plane "eu"`). */
      description: string;
    },
  ) {}

  /** The series of a range query, `legend` naming each (`{{label}}` is the label's value). */
  async queryRange(query: RangeQuery, legend: string): Promise<MetricsSeries[]> {
    const body = new URLSearchParams({
      query: query.promql,
      start: String(query.start),
      end: String(query.end),
      step: `${query.step}s`,
    });
    let response: Response;
    try {
      response = await fetch(`${this.options.url}/api/v1/query_range`, {
        method: 'POST',
        headers: { ...this.options.headers, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new PrometheusQueryError(
        `${this.options.description} could not be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new PrometheusQueryError(
        `${this.options.description} answered ${response.status} ${response.statusText} that is not Prometheus' JSON: ${JSON.stringify(text.slice(0, 200))}`,
      );
    }
    if (parsed?.status !== 'success') {
      throw new PrometheusQueryError(
        `${this.options.description} answered ${response.status}: ${parsed?.errorType ?? 'error'}: ${parsed?.error ?? 'no message'}`,
      );
    }
    if (parsed.data?.resultType !== 'matrix' || !Array.isArray(parsed.data.result)) {
      throw new PrometheusQueryError(`${this.options.description} answered a ${parsed.data?.resultType ?? 'missing'} result, not a matrix`);
    }
    return parsed.data.result.map((result: { metric: Record<string, string>; values: Array<[number, string]> }) => ({
      name: legend.replace(/\{\{(\w+)\}\}/g, (_, label) => result.metric?.[label] ?? ''),
      points: (result.values ?? []).map(([time, value]) => [time, toNumber(value)]),
    }));
  }
}

/** Prometheus writes numbers as strings, NaN and ±Inf included: a chart draws a gap for those. */
function toNumber(value: string): number | null {
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
