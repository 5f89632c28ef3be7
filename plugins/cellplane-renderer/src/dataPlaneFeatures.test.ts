import { ClusterDataPlane } from '@cellplane/backstage-plugin-common';
import { GATEWAY_NAME_LABEL, parseDataPlaneFeatures } from './dataPlaneFeatures';

const dataPlane = (annotations?: Record<string, string>): ClusterDataPlane => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'ClusterDataPlane',
  metadata: { name: 'default', annotations },
  spec: {
    gateway: {
      ingress: {
        external: { name: 'gateway-default', namespace: 'openchoreo-data-plane' },
        internal: { name: 'gateway-internal', namespace: 'openchoreo-data-plane' },
      },
    },
  },
});

describe('parseDataPlaneFeatures', () => {
  it('defaults to plain Kubernetes: network policies, no mTLS, annotations for Prometheus, no delivery', () => {
    const { features, problems } = parseDataPlaneFeatures(dataPlane());
    expect(problems).toEqual([]);
    expect(features).toEqual({
      networkPolicy: 'kubernetes',
      mtls: 'none',
      prometheusOperator: false,
      prometheus: { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
      otelInject: 'sdk',
      delivery: { tool: 'none', namespace: 'argocd', branch: 'main' },
      gateways: {
        external: { namespace: 'openchoreo-data-plane', labels: { [GATEWAY_NAME_LABEL]: 'gateway-default' } },
        internal: { namespace: 'openchoreo-data-plane', labels: { [GATEWAY_NAME_LABEL]: 'gateway-internal' } },
      },
    });
  });

  it('reads every annotation', () => {
    const { features, problems } = parseDataPlaneFeatures(
      dataPlane({
        'cellplane.dev/network-policy': 'cilium',
        'cellplane.dev/mtls': 'cilium',
        'cellplane.dev/prometheus-operator': 'true',
        'cellplane.dev/otel-instrumentation': 'observability/default',
        'cellplane.dev/otel-inject': 'java',
        'cellplane.dev/delivery': 'flux',
        'cellplane.dev/delivery-repository': 'https://github.com/acme/gitops.git',
        'cellplane.dev/delivery-branch': 'release/1',
        'cellplane.dev/external-gateway-pods': 'app.kubernetes.io/name=envoy,tier=edge',
        'cellplane.dev/external-gateway-pods-namespace': 'envoy-gateway-system',
      }),
    );
    expect(problems).toEqual([]);
    expect(features).toMatchObject({
      networkPolicy: 'cilium',
      mtls: 'cilium',
      prometheusOperator: true,
      otelInstrumentation: 'observability/default',
      otelInject: 'java',
      delivery: { tool: 'flux', namespace: 'flux-system', repository: 'https://github.com/acme/gitops.git', branch: 'release/1' },
      gateways: {
        external: { namespace: 'envoy-gateway-system', labels: { 'app.kubernetes.io/name': 'envoy', tier: 'edge' } },
      },
    });
  });

  it.each([
    ['cellplane.dev/network-policy', 'calico', 'must be one of kubernetes, cilium (got "calico")'],
    ['cellplane.dev/mtls', 'linkerd', 'must be one of none, cilium, istio (got "linkerd")'],
    ['cellplane.dev/mtls', 'cilium', 'set cellplane.dev/network-policy: cilium as well'],
    ['cellplane.dev/prometheus-operator', 'yes', 'must be "true" or "false" (got "yes")'],
    ['cellplane.dev/otel-instrumentation', 'a/b/c', 'must name an OpenTelemetry Instrumentation'],
    ['cellplane.dev/otel-inject', 'ruby', 'must be one of sdk, java'],
    ['cellplane.dev/delivery', 'spinnaker', 'must be one of none, argocd, flux'],
    ['cellplane.dev/delivery-namespace', 'Argo CD', 'must be an RFC 1123 label'],
    ['cellplane.dev/delivery-repository', 'https://user:token@github.com/acme/gitops.git', 'without credentials'],
    ['cellplane.dev/delivery-branch', 'a..b', 'must be a Git branch name'],
    ['cellplane.dev/external-gateway-pods', 'app', 'must be label pairs'],
  ])('reports a bad %s (%s) by annotation and keeps the default', (annotation, value, message) => {
    const { features, problems } = parseDataPlaneFeatures(dataPlane({ [annotation]: value }));
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        resource: { kind: 'ClusterDataPlane', name: 'default' },
        field: `metadata.annotations["${annotation}"]`,
        message: expect.stringContaining(message),
      }),
    ]);
    expect(features.mtls).toBe('none');
    expect(features.networkPolicy).toBe('kubernetes');
  });
});
