import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { cellplaneDataPlanesServiceRef, readDataPlanesConfig } from '@cellplane/backstage-plugin-node';
import { startSandboxDataPlane } from './startSandboxDataPlane';

/**
 * Cellplane's data planes with a fallback for a portal with no cluster: the data planes of
 * `cellplane.dataPlanes` when the key is set, otherwise the embedded sandbox data plane, which
 * every environment deploys to and which applies `rendered/` at each commit itself.
 *
 * ```ts
 * backend.add(import('@cellplane/sandbox'));
 * ```
 *
 * @public
 */
export const sandboxDataPlanesServiceFactory = createServiceFactory({
  service: cellplaneDataPlanesServiceRef,
  deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger, lifecycle: coreServices.rootLifecycle },
  async factory({ config, logger, lifecycle }) {
    const configured = readDataPlanesConfig(config);
    if (configured) return { connections: configured };
    const sandbox = await startSandboxDataPlane({ logger: logger.child({ plugin: 'cellplane' }) });
    lifecycle.addShutdownHook(() => sandbox.stop());
    return {
      connections: [sandbox.connection],
      applyRevision: (commit, rendered) => sandbox.sync.sync(commit, rendered),
    };
  },
});
