import { LoggerService } from '@backstage/backend-plugin-api';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { DataPlaneConnection } from '@cellplane/backstage-plugin-node';

/**
 * A data plane as a cluster of Backstage's Kubernetes plugin, so its Kubernetes tab reads the
 * same clusters Cellplane watches (with nothing configured: the sandbox). Backstage's plugin
 * authenticates with a bearer token ("serviceAccount"): a data plane reached with a token, or
 * from inside the cluster, becomes a cluster; one reached with client certificates or an exec
 * plugin cannot, and is left out with a log line saying what to configure.
 */
export function dataPlaneCluster(connection: DataPlaneConnection, logger: LoggerService): ClusterDetails | undefined {
  if (connection.kubernetesPlugin?.access === 'none') return undefined;
  const cluster = connection.kubeConfig.getCurrentCluster();
  const user = connection.kubeConfig.getCurrentUser();
  if (!cluster) {
    logger.warn(`Data plane ${connection.name} has no current cluster in its kubeconfig; Backstage's Kubernetes tab will not show it`);
    return undefined;
  }
  // The Kubernetes plugin's own token (read-only, in the sandbox) wins over the data plane's.
  const token = connection.kubernetesPlugin?.serviceAccountToken ?? user?.token;
  const inCluster = !token && Boolean(user?.authProvider?.config?.tokenFile);
  if (!token && !inCluster) {
    logger.info(
      `Data plane ${connection.name} is not shown in Backstage's Kubernetes tab: it authenticates with client certificates or an exec plugin; give it kubernetesPlugin.serviceAccountToken in cellplane.dataPlanes to show it there`,
    );
    return undefined;
  }
  return {
    name: connection.name,
    title: connection.sandbox ? `${connection.name} (Cellplane sandbox)` : connection.name,
    url: cluster.server,
    authMetadata: {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'serviceAccount',
      // Without a token Backstage's serviceAccount strategy reads the pod's mounted token.
      ...(token ? { serviceAccountToken: token } : {}),
    },
    ...(cluster.skipTLSVerify ? { skipTLSVerify: true } : {}),
    ...(cluster.caData ? { caData: cluster.caData } : {}),
    ...(cluster.caFile ? { caFile: cluster.caFile } : {}),
    // Data planes need not run metrics-server (the sandbox does not).
    skipMetricsLookup: true,
  };
}
