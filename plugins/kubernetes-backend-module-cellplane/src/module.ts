import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { ClusterDetails, kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { cellplaneDataPlanesServiceRef } from '@cellplane/backstage-plugin-node';
import { DataPlaneConnection } from '@cellplane/backstage-plugin-node';
import { dataPlaneCluster } from './dataPlaneClusters';
import { ReadOnlyVerdicts } from './readOnlyCheck';

/**
 * Gives Backstage's Kubernetes plugin Cellplane's data planes as its clusters, so the Kubernetes
 * tab of a component (found by the `backstage.io/kubernetes-label-selector` the catalog module
 * sets) shows its workloads with no `kubernetes.clusterLocatorMethods` of its own. Clusters that
 * are configured there are still listed; on a name clash the configured one wins.
 *
 * The plugin's proxy sends any request a signed-in user makes with the cluster's credentials, so
 * a data plane is handed over read-only unless configured otherwise: the sandbox with a token that
 * can only read, a configured data plane (`kubernetesPlugin.access: readOnly`, the default) only
 * while its cluster says the credentials cannot write.
 *
 * @public
 */
export const kubernetesModuleCellplane = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'cellplane-data-planes',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        dataPlanes: cellplaneDataPlanesServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ clusterSupplier, dataPlanes, config, logger }) {
        const handedOver = dataPlanes.connections
          .map(connection => ({ connection, cluster: dataPlaneCluster(connection, logger) }))
          .filter((c): c is { connection: DataPlaneConnection; cluster: ClusterDetails } => c.cluster !== undefined);
        const readOnly = new ReadOnlyVerdicts(logger);
        clusterSupplier.addClusterSupplier(async ({ getDefault }) => {
          const configured = config.has('kubernetes.clusterLocatorMethods') ? await getDefault() : undefined;
          return {
            async getClusters(options) {
              const others = configured ? await configured.getClusters(options) : [];
              const taken = new Set(others.map(cluster => cluster.name));
              const shown = await Promise.all(
                handedOver.map(async ({ connection, cluster }) => !taken.has(cluster.name) && (await readOnly.allows(connection))),
              );
              return [...others, ...handedOver.filter((_, i) => shown[i]).map(c => c.cluster)];
            },
          };
        });
      },
    });
  },
});
