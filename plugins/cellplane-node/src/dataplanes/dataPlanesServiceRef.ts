import { coreServices, createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import type { ObservedObject } from '@cellplane/backstage-plugin-common';
import { DataPlaneConnection, readDataPlanesConfig } from './readDataPlanesConfig';

/** The data planes of a backend: what Cellplane watches and what Backstage's Kubernetes tab reads. @public */
export interface CellplaneDataPlanes {
  /** The data planes to watch: those of `cellplane.dataPlanes`, or what a replacement factory provides. */
  connections: DataPlaneConnection[];
  /**
   * Set by a data plane that applies the repository's rendered objects itself instead of an Argo CD
   * or Flux in the cluster (the sandbox): the status backend hands it every new head it reads.
   */
  applyRevision?(commit: string, rendered: ObservedObject[]): Promise<void>;
}

/**
 * The data planes of `cellplane.dataPlanes` (none when the key is not set). Root-scoped, so
 * Cellplane's status backend and its module for Backstage's Kubernetes plugin read the same
 * clusters in one backend. A backend replaces the factory to bring its own: the example backend
 * adds `@cellplane/sandbox`, which starts an embedded data plane when none is configured.
 *
 * @public
 */
export const cellplaneDataPlanesServiceRef = createServiceRef<CellplaneDataPlanes>({
  id: 'cellplane.data-planes',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
      async factory({ config, logger }) {
        // Read before anything starts: a bad data plane config stops the backend with the key named.
        const configured = readDataPlanesConfig(config);
        if (!configured) {
          logger.warn(
            'No cellplane.dataPlanes configured: status shows what Git wants and nothing that runs. ' +
              'Configure cellplane.dataPlanes, or add @cellplane/sandbox to the backend for an embedded data plane.',
          );
        }
        return { connections: configured ?? [] };
      },
    }),
});
