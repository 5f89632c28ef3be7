import { parseDataPlaneFeatures } from '../dataPlaneFeatures';
import type { RenderedObject } from '../template/types';
import { metricsPathOf, wireMetrics, wireTelemetry } from './observability';

const identity = { namespace: 'acme', project: 'shop', component: 'api', environment: 'dev', kubernetesNamespace: 'dp-acme-shop-dev-1' };
const features = (annotations: Record<string, string> = {}) =>
  parseDataPlaneFeatures({ apiVersion: 'openchoreo.dev/v1alpha1', kind: 'ClusterDataPlane', metadata: { name: 'dp', annotations }, spec: {} })
    .features;
const cronJob = (): RenderedObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'job' },
  spec: {
    jobTemplate: {
      spec: { template: { spec: { containers: [{ name: 'main', env: [{ name: 'OTEL_SERVICE_NAME', value: 'custom' }] }] } } },
    },
  },
});

describe('metricsPathOf', () => {
  it.each([
    ['metrics', { type: 'HTTP' as const }, '/metrics'],
    ['prometheus', { type: 'TCP' as const }, '/metrics'],
    ['http', { type: 'HTTP' as const, basePath: '/internal/metrics/' }, '/internal/metrics'],
    ['http', { type: 'HTTP' as const, basePath: '/api' }, undefined],
    ['grpc', { type: 'gRPC' as const, basePath: '/metrics' }, undefined],
  ])('endpoint %s %j → %s', (name, endpoint, path) => {
    expect(metricsPathOf(name, endpoint)).toBe(path);
  });
});

describe('wireTelemetry', () => {
  it('adds OTEL_* env vars to every container of a CronJob without overriding what the workload set', () => {
    const job = cronJob();
    wireTelemetry([job, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }], identity, features());
    const template = (job.spec as any).jobTemplate.spec.template;
    expect(template.spec.containers[0].env).toEqual([
      { name: 'OTEL_SERVICE_NAME', value: 'custom' },
      {
        name: 'OTEL_RESOURCE_ATTRIBUTES',
        value:
          'service.namespace=shop,deployment.environment.name=dev,k8s.namespace.name=dp-acme-shop-dev-1,openchoreo.namespace=acme,openchoreo.project=shop,openchoreo.component=api,openchoreo.environment=dev',
      },
    ]);
    expect(template.metadata).toBeUndefined(); // no operator declared: no inject annotation
  });

  it("adds the OpenTelemetry operator's inject annotation for the declared language", () => {
    const job = cronJob();
    wireTelemetry([job], identity, features({ 'cellplane.dev/otel-instrumentation': 'otel/java', 'cellplane.dev/otel-inject': 'java' }));
    expect((job.spec as any).jobTemplate.spec.template.metadata.annotations).toEqual({
      'instrumentation.opentelemetry.io/inject-java': 'otel/java',
    });
  });
});

describe('wireMetrics', () => {
  const endpoints = [{ name: 'metrics', port: 9090, path: '/metrics' }];
  it('renders a PodMonitor with the prometheus-operator', () => {
    expect(wireMetrics([cronJob()], endpoints, { 'openchoreo.dev/component': 'api' }, identity, features({ 'cellplane.dev/prometheus-operator': 'true' }))).toEqual([
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'api-metrics', namespace: 'dp-acme-shop-dev-1' },
        spec: { selector: { matchLabels: { 'openchoreo.dev/component': 'api' } }, podMetricsEndpoints: [{ portNumber: 9090, path: '/metrics' }] },
      },
    ]);
  });

  it('annotates pod templates without it', () => {
    const job = cronJob();
    expect(wireMetrics([job], endpoints, {}, identity, features())).toEqual([]);
    expect((job.spec as any).jobTemplate.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9090',
      'prometheus.io/path': '/metrics',
    });
  });
});
