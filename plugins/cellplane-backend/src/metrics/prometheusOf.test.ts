import { PrometheusClient } from './PrometheusClient';
import { prometheusOf } from './prometheusOf';

const plane = (annotations: Record<string, string> = {}) => ({ kind: 'ClusterDataPlane' as const, name: 'default', annotations });
const token = { headers: { Authorization: 'Bearer secret' }, allowedHosts: ['prometheus.example:9090'] };

describe('prometheusOf', () => {
  it("takes config's URL first, with config's credentials", () => {
    const client = prometheusOf({
      dataPlane: plane({ 'cellplane.dev/prometheus-url': 'https://elsewhere.example' }),
      configured: { prometheus: { ...token, url: 'https://configured.example' } },
    });
    expect(client).toBeInstanceOf(PrometheusClient);
    expect((client as PrometheusClient).options).toMatchObject({ url: 'https://configured.example', headers: token.headers });
  });

  it('takes the annotation without credentials, or with them when config allows its host', () => {
    const open = prometheusOf({ dataPlane: plane({ 'cellplane.dev/prometheus-url': 'https://anywhere.example/' }) }) as PrometheusClient;
    expect(open.options).toMatchObject({ url: 'https://anywhere.example', headers: {} });
    const allowed = prometheusOf({ dataPlane: plane({ 'cellplane.dev/prometheus-url': 'http://Prometheus.example:9090' }), configured: { prometheus: token } });
    expect((allowed as PrometheusClient).options.headers).toEqual(token.headers);
  });

  it('never sends credentials to a host a pushed annotation names and config does not list', () => {
    const answer = prometheusOf({ dataPlane: plane({ 'cellplane.dev/prometheus-url': 'https://attacker.example' }), configured: { prometheus: token } });
    expect(answer).toEqual({
      configured: false,
      dataPlane: 'default',
      reason:
        'the cellplane.dev/prometheus-url annotation of ClusterDataPlane default names attacker.example, which is not among cellplane.dataPlanes[].prometheus.allowedHosts: the credentials of config go to no other host',
      configure: 'add attacker.example to cellplane.dataPlanes[].prometheus.allowedHosts of data plane "default" if it is your Prometheus, or set prometheus.url there',
    });
  });

  it('says when there is no URL, or the annotation is not one', () => {
    expect(prometheusOf({ dataPlane: plane() })).toMatchObject({ configured: false, reason: 'no Prometheus is configured for data plane "default"' });
    expect(prometheusOf({ dataPlane: plane({ 'cellplane.dev/prometheus-url': 'https://user:pw@prometheus.example' }) })).toMatchObject({
      configured: false,
      reason: expect.stringContaining('must be an http(s) URL without credentials'),
    });
  });
});
