import { LoggerService } from '@backstage/backend-plugin-api';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { randomBytes } from 'node:crypto';
import { DataPlaneConnection } from '@cellplane/backstage-plugin-node';
import { sandboxPodLog } from './SandboxRollouts';
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
  // The sync loop (Argo CD's part) writes with the admin token; Backstage's Kubernetes plugin,
  // whose proxy any signed-in user may call, gets a token that can only read (pod logs included).
  const readOnlyToken = randomBytes(16).toString('hex');
  const server = await KubernetesTestServer.start({
    host: '127.0.0.1',
    tokens: { [readOnlyToken]: { user: 'cellplane:kubernetes-plugin', rules: [{ verbs: ['get', 'list', 'watch'] }] } },
    podLogs: sandboxPodLog,
    // Every sandbox pod writes a line every few seconds for as long as the portal runs: keep the
    // last couple of thousand, which is what the Logs tab shows anyway.
    maxLogLinesPerContainer: 2000,
  });
  const kubeConfig = server.kubeConfig();
  const sync = new SandboxSync({ kubeConfig, logger: options.logger, podStartMs: options.podStartMs, logs: server.logs });
  options.logger.info(
    `Sandbox data plane at ${server.url} (no cellplane.dataPlanes configured): rendered/ is applied there at each commit`,
  );
  return {
    connection: {
      name: SANDBOX_DATA_PLANE_NAME,
      kubeConfig,
      server: server.url,
      sandbox: true,
      kubernetesPlugin: { access: 'readOnly', serviceAccountToken: readOnlyToken },
    },
    server,
    sync,
    async stop() {
      sync.stop();
      await server.close();
    },
  };
}
