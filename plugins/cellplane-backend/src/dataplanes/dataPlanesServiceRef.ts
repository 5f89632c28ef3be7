import { coreServices, createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { SandboxDataPlane, startSandboxDataPlane } from '../sandbox/startSandboxDataPlane';
import { DataPlaneConnection, readDataPlanesConfig } from './readDataPlanesConfig';

/** The data planes of a backend: what Cellplane watches and what Backstage's Kubernetes tab reads. @public */
export interface CellplaneDataPlanes {
  /** The configured data planes, or the sandbox's one connection when none are configured. */
  connections: DataPlaneConnection[];
  /** The embedded sandbox, when `cellplane.dataPlanes` is not set. */
  sandbox?: SandboxDataPlane;
}

/**
 * The data planes of `cellplane.dataPlanes`, or, with none configured, the embedded sandbox data
 * plane. Root-scoped, so Cellplane's status backend and its module for Backstage's Kubernetes
 * plugin read the same clusters (and the same sandbox) in one backend.
 *
 * @public
 */
export const cellplaneDataPlanesServiceRef = createServiceRef<CellplaneDataPlanes>({
  id: 'cellplane.data-planes',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger, lifecycle: coreServices.rootLifecycle },
      async factory({ config, logger, lifecycle }) {
        // Read before anything starts: a bad data plane config stops the backend with the key named.
        const configured = readDataPlanesConfig(config);
        if (configured) return { connections: configured };
        const sandbox = await startSandboxDataPlane({ logger: logger.child({ plugin: 'cellplane' }) });
        lifecycle.addShutdownHook(() => sandbox.stop());
        return { connections: [sandbox.connection], sandbox };
      },
    }),
});
