import { mockServices } from '@backstage/backend-test-utils';
import { KubeConfig } from '@kubernetes/client-node';
import { DataPlaneConnection } from '../dataplanes/readDataPlanesConfig';
import { dataPlaneCluster } from './dataPlaneClusters';

function connection(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): DataPlaneConnection {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://api.dp.example:6443', skipTLSVerify: false, ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return { name: 'production-plane', kubeConfig, server: 'https://api.dp.example:6443', sandbox: false };
}

describe('dataPlaneCluster', () => {
  it('passes a token data plane on with its token, CA and TLS setting', () => {
    const logger = mockServices.logger.mock();
    expect(dataPlaneCluster(connection({ token: 'sa-token' }, { caData: 'Q0E=' }), logger)).toEqual({
      name: 'production-plane',
      title: 'production-plane',
      url: 'https://api.dp.example:6443',
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: 'sa-token' },
      caData: 'Q0E=',
      skipMetricsLookup: true,
    });
  });

  it("lets an in-cluster data plane use the pod's mounted token", () => {
    const cluster = dataPlaneCluster(
      connection({ authProvider: { name: 'tokenFile', config: { tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' } } }),
      mockServices.logger.mock(),
    );
    expect(cluster?.authMetadata).toEqual({ 'kubernetes.io/auth-provider': 'serviceAccount' });
  });

  it('leaves out a data plane reached with client certificates, and says what to configure', () => {
    const logger = mockServices.logger.mock();
    expect(dataPlaneCluster(connection({ certData: 'Y2VydA==', keyData: 'a2V5' }), logger)).toBeUndefined();
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(/production-plane .*serviceAccountToken in cellplane\.dataPlanes/));
  });
});
