import { LoggerService } from '@backstage/backend-plugin-api';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { DataPlaneConnection } from '../dataplanes/readDataPlanesConfig';
import { SandboxSync } from './SandboxSync';

/** The embedded sandbox data plane: a Kubernetes API in this process and its Argo CD stand-in. @public */
export interface SandboxDataPlane {
  connection: DataPlaneConnection;
  server: KubernetesTestServer;
  sync: SandboxSync;
  stop(): Promise<void>;
}

/** The name the sandbox data plane goes by in the API. @public */
export const SANDBOX_DATA_PLANE_NAME = 'sandbox';

/**
 * Starts the sandbox data plane: `@cellplane/kubernetes-test-server` on a free loopback port
 * (Gateway API, Argo CD, Flux and OpenChoreo types installed), and the SandboxSync that applies
 * the GitOps repository's rendered/ tree to it. Status watches it with the same informers as a
 * real cluster.
 *
 * @public
 */
export async function startSandboxDataPlane(options: {
  logger: LoggerService;
  podStartMs?: number;
}): Promise<SandboxDataPlane> {
  const server = await KubernetesTestServer.start({ host: '127.0.0.1' });
  const kubeConfig = server.kubeConfig();
  const sync = new SandboxSync({ kubeConfig, logger: options.logger, podStartMs: options.podStartMs });
  options.logger.info(
    `Sandbox data plane at ${server.url} (no cellplane.dataPlanes configured): rendered/ is applied there at each commit`,
  );
  return {
    connection: { name: SANDBOX_DATA_PLANE_NAME, kubeConfig, server: server.url, sandbox: true },
    server,
    sync,
    async stop() {
      sync.stop();
      await server.close();
    },
  };
}
