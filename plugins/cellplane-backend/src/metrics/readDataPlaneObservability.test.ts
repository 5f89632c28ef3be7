import { ConfigReader } from '@backstage/config';
import { explainInvalidTracingTemplate, readDataPlaneObservabilityConfig } from './readDataPlaneObservability';

const read = (...entries: any[]) => readDataPlaneObservabilityConfig(new ConfigReader({ cellplane: { dataPlanes: entries } }));

describe('readDataPlaneObservabilityConfig', () => {
  it('is empty when no data plane is configured, or none names a Prometheus or tracing UI', () => {
    expect(readDataPlaneObservabilityConfig(new ConfigReader({})).size).toBe(0);
    expect(read({ name: 'default', auth: { inCluster: true } }).size).toBe(0);
  });

  it("reads Prometheus' URL, a bearer token and more headers", () => {
    const planes = read({
      name: 'eu',
      prometheus: { url: 'https://prometheus.eu.example/', token: 'secret', headers: { 'X-Scope-OrgID': 'team-a' } },
    });
    expect(planes.get('eu')).toEqual({
      prometheus: {
        url: 'https://prometheus.eu.example',
        headers: { Authorization: 'Bearer secret', 'X-Scope-OrgID': 'team-a' },
        allowedHosts: [],
      },
    });
  });

  it('takes credentials without a URL (the DataPlane annotation names Prometheus)', () => {
    expect(read({ name: 'eu', prometheus: { token: 't', allowedHosts: ['Prometheus.eu.example:9090'] } }).get('eu')).toEqual({
      prometheus: { headers: { Authorization: 'Bearer t' }, allowedHosts: ['prometheus.eu.example:9090'] },
    });
    expect(() => read({ name: 'eu', prometheus: { allowedHosts: ['https://x.example/'] } })).toThrow(
      'cellplane.dataPlanes[0].prometheus.allowedHosts: "https://x.example/" is not a host[:port]',
    );
  });

  it('refuses a bad Prometheus entry, naming the key and never the secret', () => {
    expect(() => read({ name: 'eu', prometheus: { url: 'https://user:pw@prometheus.example' } })).toThrow(
      'cellplane.dataPlanes[0].prometheus.url must be an http(s) URL of Prometheus without credentials',
    );
    expect(() => read({ name: 'eu', prometheus: { token: ' ' } })).toThrow('cellplane.dataPlanes[0].prometheus.token must not be empty');
    expect(() => read({ name: 'eu', prometheus: { headers: { 'Bad Header': 'x' } } })).toThrow(
      'cellplane.dataPlanes[0].prometheus.headers: "Bad Header" is not an HTTP header name',
    );
    const multiLine = () => read({ name: 'eu', prometheus: { headers: { 'X-Key': 'hunter2\nX-Other: 1' } } });
    expect(multiLine).toThrow('cellplane.dataPlanes[0].prometheus.headers.X-Key must be one line');
    expect(multiLine).not.toThrow(/hunter2/);
  });

  it('reads a tracing URL template, or a Jaeger or Tempo preset', () => {
    expect(read({ name: 'a', tracing: { urlTemplate: 'https://traces.example/s?svc={service}&env={environment}' } }).get('a')?.tracing).toEqual({
      urlTemplate: 'https://traces.example/s?svc={service}&env={environment}',
      ui: 'custom',
    });
    expect(read({ name: 'a', tracing: { preset: 'jaeger', url: 'https://jaeger.example/' } }).get('a')?.tracing).toEqual({
      urlTemplate: 'https://jaeger.example/search?service={service}&tags=%7B%22deployment.environment.name%22%3A%22{environment}%22%7D',
      ui: 'jaeger',
    });
    const tempo = read({ name: 'a', tracing: { preset: 'tempo', url: 'https://grafana.example', datasource: 'tempo-eu' } }).get('a')!.tracing!;
    expect(tempo.ui).toBe('tempo');
    expect(tempo.urlTemplate.startsWith('https://grafana.example/explore?schemaVersion=1&panes=')).toBe(true);
    const panes = JSON.parse(decodeURIComponent(tempo.urlTemplate.split('panes=')[1]));
    expect(panes.traces.datasource).toBe('tempo-eu');
    expect(panes.traces.queries[0].query).toBe('{resource.service.name="{service}" && resource.deployment.environment.name="{environment}"}');
  });

  it('refuses a bad tracing entry, naming the key', () => {
    expect(() => read({ name: 'a', tracing: {} })).toThrow('cellplane.dataPlanes[0].tracing must set urlTemplate, or preset (jaeger or tempo) and url');
    expect(() => read({ name: 'a', tracing: { preset: 'zipkin', url: 'https://z.example' } })).toThrow(
      'cellplane.dataPlanes[0].tracing.preset must be one of jaeger, tempo, got "zipkin"',
    );
    expect(() => read({ name: 'a', tracing: { preset: 'jaeger' } })).toThrow('cellplane.dataPlanes[0].tracing.url must be the http(s) URL of the Jaeger UI');
    expect(() => read({ name: 'a', tracing: { urlTemplate: 'https://t.example/{svc}' } })).toThrow(
      'cellplane.dataPlanes[0].tracing.urlTemplate has unknown placeholder {svc}',
    );
    expect(() => read({ name: 'a', tracing: { urlTemplate: 'https://t.example/', preset: 'jaeger' } })).toThrow(
      'cellplane.dataPlanes[0].tracing: set urlTemplate or preset (with url), not both',
    );
  });

  it('explains a template that is not an http(s) URL', () => {
    expect(explainInvalidTracingTemplate(['javascript', 'alert(1)'].join(':'))).toMatch(/must be an http\(s\) URL/);
    expect(explainInvalidTracingTemplate('https://jaeger.example/search?service={service}')).toBeUndefined();
  });
});
