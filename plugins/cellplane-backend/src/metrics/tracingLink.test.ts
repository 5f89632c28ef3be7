import { fillTracingTemplate } from './tracingLink';
import { podNamePattern } from './metricsQueries';

describe('fillTracingTemplate', () => {
  const service = { component: 'catalog-api', environment: 'development', project: 'storefront', namespace: 'acme', kubernetesNamespace: 'dp-acme-x' };

  it('fills every placeholder from the rendered OpenTelemetry attributes, percent-encoded', () => {
    expect(fillTracingTemplate('https://t.example/{namespace}/{project}/{service}?env={environment}&ns={kubernetesNamespace}', service)).toBe(
      'https://t.example/acme/storefront/catalog-api?env=development&ns=dp-acme-x',
    );
    expect(fillTracingTemplate('https://t.example/?s={service}', { ...service, component: 'a b&c' })).toBe('https://t.example/?s=a%20b%26c');
  });

  it('leaves a placeholder it has no value for as it is', () => {
    expect(fillTracingTemplate('https://t.example/{kubernetesNamespace}', { ...service, kubernetesNamespace: undefined })).toBe(
      'https://t.example/{kubernetesNamespace}',
    );
  });
});

describe('podNamePattern', () => {
  it("matches the names each workload kind gives its pods", () => {
    const pattern = new RegExp(`^(?:${podNamePattern([{ kind: 'Deployment', name: 'web' }, { kind: 'StatefulSet', name: 'db.v1' }, { kind: 'Service', name: 'web' }])})$`);
    expect(['web-5d8f7c-abcde', 'db.v1-0', 'db.v1-12'].filter(name => pattern.test(name))).toHaveLength(3);
    expect(['web-abcde', 'web-x-y-z', 'dbxv1-0', 'webshop-5d8f7c-abcde'].filter(name => pattern.test(name))).toEqual([]);
  });
});
