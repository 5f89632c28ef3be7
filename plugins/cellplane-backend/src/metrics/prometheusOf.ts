import { OBSERVABILITY_ANNOTATIONS, ObservedComponent } from './observedComponent';
import { PrometheusClient } from './PrometheusClient';
import { MetricsNotConfigured } from '@cellplane/backstage-plugin-common';

const HTTP_URL = /^https?:\/\/[^/@\s]+(\/\S*)?$/;

/**
 * The Prometheus of the component's data plane: `cellplane.dataPlanes[].prometheus.url`, else the
 * DataPlane's `cellplane.dev/prometheus-url` annotation, with the credentials of config. Or why
 * there is none: no URL, an annotation that is not a URL, or an annotation naming a host that
 * config does not allow credentials to go to (an annotation is whatever was last pushed to Git).
 */
export function prometheusOf(observed: Pick<ObservedComponent, 'dataPlane' | 'configured'>): PrometheusClient | MetricsNotConfigured {
  const { dataPlane } = observed;
  const access = observed.configured?.prometheus;
  const annotation = OBSERVABILITY_ANNOTATIONS.prometheusUrl;
  const configure = `set cellplane.dataPlanes[].prometheus.url for data plane "${dataPlane.name}" in app-config.yaml, or annotate its ${dataPlane.kind} with ${annotation}: <Prometheus base URL> (credentials, if any, in cellplane.dataPlanes[].prometheus.token or .headers)`;
  const notConfigured = (reason: string, what = configure): MetricsNotConfigured => ({ configured: false, dataPlane: dataPlane.name, reason, configure: what });
  const headers = access?.headers ?? {};
  if (access?.url) {
    return new PrometheusClient({ url: access.url, headers, description: `the Prometheus of data plane "${dataPlane.name}" (${access.url})` });
  }
  const url = dataPlane.annotations[annotation]?.trim().replace(/\/+$/, '');
  if (!url) return notConfigured(`no Prometheus is configured for data plane "${dataPlane.name}"`);
  if (!HTTP_URL.test(url)) {
    const shown = JSON.stringify(url.length > 60 ? `${url.slice(0, 57)}...` : url);
    return notConfigured(`the ${annotation} annotation of ${dataPlane.kind} ${dataPlane.name} must be an http(s) URL without credentials, got ${shown}`);
  }
  const host = new URL(url).host.toLowerCase();
  if (Object.keys(headers).length > 0 && !(access?.allowedHosts ?? []).includes(host)) {
    return notConfigured(
      `the ${annotation} annotation of ${dataPlane.kind} ${dataPlane.name} names ${host}, which is not among cellplane.dataPlanes[].prometheus.allowedHosts: the credentials of config go to no other host`,
      `add ${host} to cellplane.dataPlanes[].prometheus.allowedHosts of data plane "${dataPlane.name}" if it is your Prometheus, or set prometheus.url there`,
    );
  }
  return new PrometheusClient({ url, headers, description: `the Prometheus of data plane "${dataPlane.name}" (${url})` });
}
