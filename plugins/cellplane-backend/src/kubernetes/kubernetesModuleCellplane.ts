import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { ClusterDetails, kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { cellplaneDataPlanesServiceRef } from '../dataplanes/dataPlanesServiceRef';
import { dataPlaneCluster } from './dataPlaneClusters';

/**
 * Gives Backstage's Kubernetes plugin Cellplane's data planes as its clusters, so the Kubernetes
 * tab of a component (found by the `backstage.io/kubernetes-label-selector` the catalog module
 * sets) shows its workloads with no `kubernetes.clusterLocatorMethods` of its own. Clusters that
 * are configured there are still listed; on a name clash the configured one wins.
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
        const cellplaneClusters = dataPlanes.connections
          .map(connection => dataPlaneCluster(connection, logger))
          .filter((cluster): cluster is ClusterDetails => cluster !== undefined);
        clusterSupplier.addClusterSupplier(async ({ getDefault }) => {
          const configured = config.has('kubernetes.clusterLocatorMethods') ? await getDefault() : undefined;
          return {
            async getClusters(options) {
              const others = configured ? await configured.getClusters(options) : [];
              const taken = new Set(others.map(cluster => cluster.name));
              return [...others, ...cellplaneClusters.filter(cluster => !taken.has(cluster.name))];
            },
          };
        });
      },
    });
  },
});
