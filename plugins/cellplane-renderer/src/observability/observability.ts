import type { Endpoint } from '@cellplane/backstage-plugin-common';
import type { DataPlaneFeatures } from '../dataPlaneFeatures';
import type { RenderedObject } from '../template/types';
import { containersOf, podTemplateOf } from '../workloads';

/**
 * Observability every workload gets without asking:
 *
 * - OpenTelemetry: `OTEL_SERVICE_NAME` (the component) and `OTEL_RESOURCE_ATTRIBUTES` (OpenChoreo
 *   namespace, project, component, environment, and the Kubernetes namespace) in every container
 *   that does not set them itself; and, when the data plane runs the OpenTelemetry operator
 *   (`cellplane.dev/otel-instrumentation`), its `instrumentation.opentelemetry.io/inject-<x>`
 *   annotation on the pod template.
 * - Prometheus: an endpoint **exposes metrics** when it is named `metrics` or `prometheus`, or is
 *   an HTTP endpoint whose basePath ends in `/metrics` (the path is then its basePath, else
 *   `/metrics`). With the prometheus-operator, each such endpoint gets a PodMonitor; without it,
 *   the pod template gets the `prometheus.io/scrape|port|path` annotations of the first one (the
 *   annotation convention has room for one). Network policies let the data plane's Prometheus in
 *   on that port.
 */

/** Who a workload is, for telemetry. */
export interface TelemetryIdentity {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  kubernetesNamespace: string;
}

/** Where an endpoint serves Prometheus metrics, or undefined. */
export function metricsPathOf(name: string, endpoint: Pick<Endpoint, 'type' | 'basePath'>): string | undefined {
  const basePath = endpoint.basePath?.replace(/\/+$/, '');
  if (endpoint.type === 'HTTP' && basePath?.endsWith('/metrics')) return basePath;
  if (name === 'metrics' || name === 'prometheus') return basePath && basePath.endsWith('/metrics') ? basePath : '/metrics';
  return undefined;
}

/** `key=value,...` in OpenTelemetry's resource attribute syntax (values percent-encoded). */
export function resourceAttributes(identity: TelemetryIdentity): string {
  return Object.entries({
    'service.namespace': identity.project,
    'deployment.environment.name': identity.environment,
    'k8s.namespace.name': identity.kubernetesNamespace,
    'openchoreo.namespace': identity.namespace,
    'openchoreo.project': identity.project,
    'openchoreo.component': identity.component,
    'openchoreo.environment': identity.environment,
  })
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join(',');
}

/** Adds the OpenTelemetry env vars and annotations to every workload among `objects` (in place). */
export function wireTelemetry(objects: RenderedObject[], identity: TelemetryIdentity, features: DataPlaneFeatures): void {
  const attributes = resourceAttributes(identity);
  for (const object of objects) {
    const template = podTemplateOf(object);
    if (!template) continue;
    for (const container of containersOf(template)) {
      const env = (container.env ??= []);
      const has = (name: string) => env.some(variable => variable.name === name);
      if (!has('OTEL_SERVICE_NAME')) env.push({ name: 'OTEL_SERVICE_NAME', value: identity.component });
      if (!has('OTEL_RESOURCE_ATTRIBUTES')) env.push({ name: 'OTEL_RESOURCE_ATTRIBUTES', value: attributes });
    }
    if (features.otelInstrumentation) {
      template.metadata ??= {};
      template.metadata.annotations = {
        ...(template.metadata.annotations ?? {}),
        [`instrumentation.opentelemetry.io/inject-${features.otelInject}`]: features.otelInstrumentation,
      };
    }
  }
}

/** A metrics endpoint of a component: its pod port and path. */
export interface MetricsEndpoint {
  name: string;
  port: number;
  path: string;
}

/**
 * Prometheus scraping for a component's metrics endpoints: PodMonitors with the operator
 * (returned, to be rendered next to the workload), annotations on its pod templates otherwise.
 */
export function wireMetrics(
  objects: RenderedObject[],
  endpoints: MetricsEndpoint[],
  podLabels: Record<string, string>,
  identity: TelemetryIdentity,
  features: DataPlaneFeatures,
): RenderedObject[] {
  if (endpoints.length === 0) return [];
  if (features.prometheusOperator) {
    return endpoints.map(endpoint => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: `${identity.component}-${endpoint.name}`, namespace: identity.kubernetesNamespace },
      spec: {
        selector: { matchLabels: podLabels },
        podMetricsEndpoints: [{ portNumber: endpoint.port, path: endpoint.path }],
      },
    }));
  }
  const [first] = endpoints;
  for (const object of objects) {
    const template = podTemplateOf(object);
    if (!template) continue;
    template.metadata ??= {};
    template.metadata.annotations = {
      ...(template.metadata.annotations ?? {}),
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(first.port),
      'prometheus.io/path': first.path,
    };
  }
  return [];
}
