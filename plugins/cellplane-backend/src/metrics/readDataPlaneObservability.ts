import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * How the backend reaches the Prometheus of a data plane (`cellplane.dataPlanes[].prometheus`).
 * The headers carry credentials: they go to Prometheus and nowhere else (never a log line or a
 * response).
 */
export interface PrometheusAccess {
  /** Prometheus' base URL; when unset, the DataPlane's `cellplane.dev/prometheus-url` annotation names it. */
  url?: string;
  /** Sent with every query: `Authorization: Bearer <token>` from `token`, plus `headers`. */
  headers: Record<string, string>;
  /**
   * The hosts (`host[:port]`) a `cellplane.dev/prometheus-url` annotation may name while the
   * headers carry credentials. Anyone who can push to Git can change an annotation: without
   * this list, credentials go only to `url`.
   */
  allowedHosts: string[];
}

/**
 * Where a data plane's traces are looked at (`cellplane.dataPlanes[].tracing`): a URL template
 * with the placeholders of {@link TRACING_PLACEHOLDERS}, and which UI it opens (for the button's
 * words).
 */
export interface TracingAccess {
  urlTemplate: string;
  ui: 'jaeger' | 'tempo' | 'custom';
}

/** What a data plane's config says about its metrics and traces. */
export interface DataPlaneObservability {
  prometheus?: PrometheusAccess;
  tracing?: TracingAccess;
}

/**
 * The placeholders of a tracing URL template, filled in (percent-encoded) from the OpenTelemetry
 * resource attributes Cellplane renders into every container: `{service}` is `OTEL_SERVICE_NAME`
 * (the component), `{environment}` `deployment.environment.name`, `{project}`
 * `service.namespace`, `{namespace}` `openchoreo.namespace`, `{kubernetesNamespace}`
 * `k8s.namespace.name`.
 */
export const TRACING_PLACEHOLDERS = ['service', 'environment', 'project', 'namespace', 'kubernetesNamespace'] as const;

/** The tracing UIs with a preset URL (`tracing.preset`). */
export const TRACING_PRESETS = ['jaeger', 'tempo'] as const;

/**
 * The URL template of a preset, for the UI at `baseUrl`:
 * - `jaeger`: Jaeger UI's search, by service and the `deployment.environment.name` tag;
 * - `tempo`: Grafana's Explore with a TraceQL query on the Tempo data source `datasource`
 *   (its uid, default `tempo`), over the last hour.
 */
export function tracingPresetTemplate(preset: (typeof TRACING_PRESETS)[number], baseUrl: string, datasource = 'tempo'): string {
  const base = baseUrl.replace(/\/+$/, '');
  // Placeholders are encoded with the rest, then put back as they were, to be filled in later.
  const keepPlaceholders = (encoded: string) => encoded.replace(/%7B(\w+)%7D/g, (match, name) => ((TRACING_PLACEHOLDERS as readonly string[]).includes(name) ? `{${name}}` : match));
  if (preset === 'jaeger') {
    return `${base}/search?service={service}&tags=${keepPlaceholders(encodeURIComponent('{"deployment.environment.name":"{environment}"}'))}`;
  }
  const pane = {
    datasource,
    queries: [
      {
        refId: 'A',
        datasource: { type: 'tempo', uid: datasource },
        queryType: 'traceql',
        query: '{resource.service.name="{service}" && resource.deployment.environment.name="{environment}"}',
      },
    ],
    range: { from: 'now-1h', to: 'now' },
  };
  return `${base}/explore?schemaVersion=1&panes=${keepPlaceholders(encodeURIComponent(JSON.stringify({ traces: pane })))}`;
}

/** Why a tracing URL template cannot be used, or undefined when it can. */
export function explainInvalidTracingTemplate(template: string): string | undefined {
  if (!/^https?:\/\/[^/@\s]+(\/\S*)?$/.test(template)) return `must be an http(s) URL without credentials, got ${JSON.stringify(template)}`;
  const unknown = [...template.matchAll(/\{(\w+)\}/g)]
    .map(match => match[1])
    .filter(name => !(TRACING_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length) {
    return `has unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map(name => `{${name}}`).join(', ')}; use ${TRACING_PLACEHOLDERS.map(name => `{${name}}`).join(', ')}`;
  }
  return undefined;
}

const HTTP_URL = /^https?:\/\/[^/@\s]+(\/\S*)?$/;
/** RFC 7230 token: what an HTTP header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Reads the `prometheus` and `tracing` keys of each `cellplane.dataPlanes` entry, by data plane
 * name (none when the list is not set: the sandbox's planes are then described by annotations
 * only). Read apart from the connections, so a backend that brings its own data planes still
 * gets them. Every mistake is an InputError naming the key.
 */
export function readDataPlaneObservabilityConfig(config: Config): Map<string, DataPlaneObservability> {
  const result = new Map<string, DataPlaneObservability>();
  if (!Array.isArray(config.getOptional('cellplane.dataPlanes'))) return result;
  config.getConfigArray('cellplane.dataPlanes').forEach((entry, index) => {
    const name = entry.getOptionalString('name');
    if (!name) return; // readDataPlanesConfig names that mistake
    const key = `cellplane.dataPlanes[${index}]`;
    const prometheus = entry.has('prometheus') ? readPrometheus(entry.getConfig('prometheus'), `${key}.prometheus`) : undefined;
    const tracing = entry.has('tracing') ? readTracing(entry.getConfig('tracing'), `${key}.tracing`) : undefined;
    if (prometheus || tracing) result.set(name, { ...(prometheus ? { prometheus } : {}), ...(tracing ? { tracing } : {}) });
  });
  return result;
}

function readPrometheus(config: Config, key: string): PrometheusAccess {
  const url = config.getOptionalString('url');
  if (url !== undefined && !HTTP_URL.test(url)) {
    throw new InputError(`${key}.url must be an http(s) URL of Prometheus without credentials, got ${JSON.stringify(url)}`);
  }
  const headers: Record<string, string> = {};
  const token = config.getOptionalString('token');
  if (token !== undefined) {
    if (!token.trim()) throw new InputError(`${key}.token must not be empty`);
    headers.Authorization = `Bearer ${token.trim()}`;
  }
  const extra = config.getOptionalConfig('headers');
  for (const name of extra?.keys() ?? []) {
    if (!HEADER_NAME.test(name)) throw new InputError(`${key}.headers: ${JSON.stringify(name)} is not an HTTP header name`);
    const value = extra!.getString(name);
    // The value is a secret: the message names the header, never what it holds.
    if (/[\r\n]/.test(value)) throw new InputError(`${key}.headers.${name} must be one line`);
    headers[name] = value;
  }
  const allowedHosts = config.getOptionalStringArray('allowedHosts') ?? [];
  for (const host of allowedHosts) {
    if (!/^[a-z0-9.-]+(:[0-9]{1,5})?$/i.test(host)) throw new InputError(`${key}.allowedHosts: ${JSON.stringify(host)} is not a host[:port]`);
  }
  return { ...(url ? { url: url.replace(/\/+$/, '') } : {}), headers, allowedHosts: allowedHosts.map(host => host.toLowerCase()) };
}

function readTracing(config: Config, key: string): TracingAccess {
  const urlTemplate = config.getOptionalString('urlTemplate');
  const preset = config.getOptionalString('preset');
  if (urlTemplate !== undefined && preset !== undefined) {
    throw new InputError(`${key}: set urlTemplate or preset (with url), not both`);
  }
  if (urlTemplate !== undefined) {
    const problem = explainInvalidTracingTemplate(urlTemplate);
    if (problem) throw new InputError(`${key}.urlTemplate ${problem}`);
    return { urlTemplate, ui: 'custom' };
  }
  if (preset === undefined) throw new InputError(`${key} must set urlTemplate, or preset (${TRACING_PRESETS.join(' or ')}) and url`);
  if (!(TRACING_PRESETS as readonly string[]).includes(preset)) {
    throw new InputError(`${key}.preset must be one of ${TRACING_PRESETS.join(', ')}, got ${JSON.stringify(preset)}`);
  }
  const url = config.getOptionalString('url');
  if (!url || !HTTP_URL.test(url)) {
    throw new InputError(`${key}.url must be the http(s) URL of the ${preset === 'jaeger' ? 'Jaeger UI' : 'Grafana with the Tempo data source'}, got ${JSON.stringify(url ?? null)}`);
  }
  const datasource = config.getOptionalString('datasource');
  if (datasource !== undefined && preset !== 'tempo') throw new InputError(`${key}.datasource is only for preset tempo`);
  const typed = preset as (typeof TRACING_PRESETS)[number];
  return { urlTemplate: tracingPresetTemplate(typed, url, datasource), ui: typed };
}
