import { ConfigReader } from '@backstage/config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataPlanesConfig } from './readDataPlanesConfig';

const read = (dataPlanes: any) => readDataPlanesConfig(new ConfigReader({ cellplane: { dataPlanes } }));

describe('readDataPlanesConfig', () => {
  it('is undefined when cellplane.dataPlanes is not set (the sandbox is used)', () => {
    expect(readDataPlanesConfig(new ConfigReader({}))).toBeUndefined();
    expect(readDataPlanesConfig(new ConfigReader({ cellplane: { gitops: {} } }))).toBeUndefined();
  });

  it('builds a KubeConfig from a URL, a CA and a service-account token', () => {
    const [plane] = read([
      { name: 'default', url: 'https://10.0.0.1:6443', caData: 'Q0E=', auth: { serviceAccountToken: 'secret-token' } },
    ])!;
    expect(plane).toMatchObject({ name: 'default', server: 'https://10.0.0.1:6443', sandbox: false });
    expect(plane.kubeConfig.getCurrentCluster()).toMatchObject({ server: 'https://10.0.0.1:6443', caData: 'Q0E=', skipTLSVerify: false });
    expect(plane.kubeConfig.getCurrentUser()?.token).toBe('secret-token');
  });

  it("reads what Backstage's Kubernetes plugin gets: read-only by default, a token of its own, or other access", () => {
    const plane = (kubernetesPlugin?: unknown) =>
      read([{ name: 'default', url: 'https://10.0.0.1:6443', auth: { serviceAccountToken: 't' }, ...(kubernetesPlugin ? { kubernetesPlugin } : {}) }])![0];
    expect(plane().kubernetesPlugin).toEqual({ access: 'readOnly' });
    expect(plane({ serviceAccountToken: 'viewer' }).kubernetesPlugin).toEqual({ access: 'readOnly', serviceAccountToken: 'viewer' });
    expect(plane({ access: 'readWrite' }).kubernetesPlugin).toEqual({ access: 'readWrite' });
    expect(plane({ access: 'none' }).kubernetesPlugin).toEqual({ access: 'none' });
    expect(() => plane({ access: 'write' })).toThrow(
      'cellplane.dataPlanes[0].kubernetesPlugin.access must be one of readOnly, readWrite, none, got "write"',
    );
    expect(() => plane({ serviceAccountToken: ' ' })).toThrow('cellplane.dataPlanes[0].kubernetesPlugin.serviceAccountToken must not be empty');
  });

  it('reads a kubeconfig file and context, with URL and CA overrides from app-config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    try {
      const file = join(dir, 'config');
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            { name: 'kind', cluster: { server: 'https://127.0.0.1:40000' } },
            { name: 'k3d', cluster: { server: 'https://127.0.0.1:50000' } },
          ],
          users: [{ name: 'me', user: { token: 't' } }],
          contexts: [
            { name: 'kind-cellplane', context: { cluster: 'kind', user: 'me' } },
            { name: 'k3d-cellplane', context: { cluster: 'k3d', user: 'me' } },
          ],
          'current-context': 'kind-cellplane',
        }),
      );
      const [k3d, overridden] = read([
        { name: 'k3d', auth: { kubeconfig: { file, context: 'k3d-cellplane' } } },
        { name: 'eu', url: 'https://eu.example:6443', skipTLSVerify: true, auth: { kubeconfig: { file } } },
      ])!;
      expect(k3d.server).toBe('https://127.0.0.1:50000');
      expect(overridden.kubeConfig.getCurrentCluster()).toMatchObject({ server: 'https://eu.example:6443', skipTLSVerify: true });
      expect(() => read([{ name: 'x', auth: { kubeconfig: { file, context: 'nope' } } }])).toThrow(
        `cellplane.dataPlanes[0].auth.kubeconfig.context: no context "nope" in ${file}`,
      );
      expect(() => read([{ name: 'x', auth: { kubeconfig: { file: join(dir, 'missing') } } }])).toThrow(
        /^cellplane\.dataPlanes\[0\]\.auth\.kubeconfig\.file: cannot read .*missing/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses in-cluster auth outside a cluster, naming the key', () => {
    expect(() => read([{ name: 'default', auth: { inCluster: true } }])).toThrow(/^cellplane\.dataPlanes\[0\]\.auth\.inCluster: not running in a cluster/);
    expect(() => read([{ name: 'default', auth: { inCluster: false } }])).toThrow('cellplane.dataPlanes[0].auth.inCluster must be true when set');
  });

  it.each([
    [{ dataPlanes: 'default' }, 'cellplane.dataPlanes must be a list of data planes'],
    [[{ url: 'https://a:6443', auth: { serviceAccountToken: 't' } }], 'cellplane.dataPlanes[0].name must be the name of a DataPlane or ClusterDataPlane (RFC 1123 label), got null'],
    [[{ name: 'Prod_EU', auth: { serviceAccountToken: 't' } }], 'cellplane.dataPlanes[0].name must be the name of a DataPlane or ClusterDataPlane (RFC 1123 label), got "Prod_EU"'],
    [
      [
        { name: 'a', url: 'https://a:6443', auth: { serviceAccountToken: 't' } },
        { name: 'a', url: 'https://b:6443', auth: { serviceAccountToken: 't' } },
      ],
      'cellplane.dataPlanes[1].name: data plane "a" is configured twice',
    ],
    [[{ name: 'a', url: 'ftp://a', auth: { serviceAccountToken: 't' } }], 'cellplane.dataPlanes[0].url must be an http(s) URL of the API server without credentials, got "ftp://a"'],
    [[{ name: 'a', url: 'https://user:pw@a:6443', auth: { serviceAccountToken: 't' } }], /^cellplane\.dataPlanes\[0\]\.url must be an http\(s\) URL of the API server without credentials/],
    [[{ name: 'a', url: 'https://a:6443', caData: 'x', caFile: '/ca.pem', auth: { serviceAccountToken: 't' } }], 'cellplane.dataPlanes[0]: set caData or caFile, not both'],
    [[{ name: 'a', url: 'https://a:6443' }], 'cellplane.dataPlanes[0].auth must set exactly one of serviceAccountToken, kubeconfig, inCluster'],
    [
      [{ name: 'a', url: 'https://a:6443', auth: { serviceAccountToken: 't', inCluster: true } }],
      'cellplane.dataPlanes[0].auth must set exactly one of serviceAccountToken, kubeconfig, inCluster, got serviceAccountToken and inCluster',
    ],
    [[{ name: 'a', auth: { serviceAccountToken: 't' } }], 'cellplane.dataPlanes[0].url is required with auth.serviceAccountToken'],
    [[{ name: 'a', url: 'https://a:6443', auth: { serviceAccountToken: ' ' } }], 'cellplane.dataPlanes[0].auth.serviceAccountToken must not be empty'],
    [[{ name: 'a', url: 'https://a:6443', skipTLSVerify: 3, auth: { serviceAccountToken: 't' } }], /cellplane\.dataPlanes\[0\]\.skipTLSVerify/],
  ])('refuses %j with an error naming the key', (value, message) => {
    const config = Array.isArray(value) ? value : (value as any).dataPlanes;
    expect(() => read(config)).toThrow(message);
  });
});
