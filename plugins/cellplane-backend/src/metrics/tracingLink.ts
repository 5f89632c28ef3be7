import { TRACING_PLACEHOLDERS } from './readDataPlaneObservability';

/** The OpenTelemetry resource attributes Cellplane renders, by the placeholder that stands for each. */
export interface TracedService {
  /** `OTEL_SERVICE_NAME`: the component. */
  component: string;
  /** `deployment.environment.name`. */
  environment: string;
  /** `service.namespace`. */
  project: string;
  /** `openchoreo.namespace`. */
  namespace: string;
  /** `k8s.namespace.name`, when known. */
  kubernetesNamespace?: string;
}

/**
 * A tracing URL template with the service's attributes filled in, each percent-encoded (names
 * are RFC 1123 labels, so encoding changes nothing today, but a template never gets to inject).
 */
export function fillTracingTemplate(template: string, service: TracedService): string {
  const values: Record<(typeof TRACING_PLACEHOLDERS)[number], string | undefined> = {
    service: service.component,
    environment: service.environment,
    project: service.project,
    namespace: service.namespace,
    kubernetesNamespace: service.kubernetesNamespace,
  };
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = values[name as keyof typeof values];
    return value === undefined ? placeholder : encodeURIComponent(value);
  });
}
