import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { DataPlaneConnection } from '@cellplane/backstage-plugin-node';

/** RBAC can change: a verdict is asked again after this long (sooner after a failed check). */
const RECHECK_MS = 5 * 60_000;
const RETRY_MS = 30_000;

/**
 * Writes probed before a data plane's credentials go to Backstage's Kubernetes plugin: what its
 * proxy would let any signed-in user do to the workloads (the Kubernetes tab itself offers deleting
 * pods and a terminal into them), and the broadest harm (deleting namespaces).
 */
export const WRITE_PROBES = [
  { verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
  { verb: 'delete', group: '', resource: 'pods' },
  { verb: 'create', group: 'apps', resource: 'deployments' },
  { verb: 'patch', group: 'apps', resource: 'deployments' },
  { verb: 'patch', group: '', resource: 'services' },
  { verb: 'delete', group: '', resource: 'namespaces' },
] as const;

/** The KubeConfig that acts as Backstage's Kubernetes plugin will for this data plane. */
export function kubernetesPluginKubeConfig(connection: DataPlaneConnection): KubeConfig {
  const token = connection.kubernetesPlugin?.serviceAccountToken;
  if (!token) return connection.kubeConfig;
  const cluster = connection.kubeConfig.getCurrentCluster()!;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'kubernetes-plugin', token }],
    contexts: [{ name: 'kubernetes-plugin', cluster: cluster.name, user: 'kubernetes-plugin' }],
    currentContext: 'kubernetes-plugin',
  });
  return kubeConfig;
}

/**
 * Asks the cluster (SelfSubjectAccessReview, in every namespace) which of WRITE_PROBES the
 * credentials may do, e.g. `patch deployments.apps`. Empty: read-only as far as cluster-wide
 * grants go; a RoleBinding limited to some namespaces is not seen (see config.d.ts).
 */
export async function writesAllowed(kubeConfig: KubeConfig): Promise<string[]> {
  const api = kubeConfig.makeApiClient(AuthorizationV1Api);
  const answers = await Promise.all(
    WRITE_PROBES.map(async probe => {
      const review = await api.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { ...probe } } } });
      const resource = `${probe.resource}${'subresource' in probe ? `/${probe.subresource}` : ''}${probe.group ? `.${probe.group}` : ''}`;
      return review.status?.allowed ? `${probe.verb} ${resource}` : undefined;
    }),
  );
  return answers.filter((answer): answer is string => answer !== undefined);
}

/** Whether each data plane may be handed over, asked of its cluster and remembered for a while. */
export class ReadOnlyVerdicts {
  private readonly verdicts = new Map<string, { until: number; allows: Promise<boolean> }>();

  constructor(private readonly logger: LoggerService) {}

  allows(connection: DataPlaneConnection): Promise<boolean> {
    if (connection.kubernetesPlugin?.access === 'readWrite') return Promise.resolve(true);
    const cached = this.verdicts.get(connection.name);
    if (cached && cached.until > Date.now()) return cached.allows;
    const entry = { until: Date.now() + RECHECK_MS, allows: Promise.resolve(false) };
    entry.allows = this.check(connection, () => {
      entry.until = Date.now() + RETRY_MS;
    });
    this.verdicts.set(connection.name, entry);
    return entry.allows;
  }

  private async check(connection: DataPlaneConnection, retrySoon: () => void): Promise<boolean> {
    const entry = `the cellplane.dataPlanes entry ${connection.name}`;
    try {
      const writes = await writesAllowed(kubernetesPluginKubeConfig(connection));
      if (writes.length === 0) return true;
      this.logger.error(
        `Data plane ${connection.name} is not shown in Backstage's Kubernetes tab: its credentials may ${writes.join(', ')}, and the Kubernetes plugin's proxy would let any user with kubernetes.proxy do the same. Set kubernetesPlugin.serviceAccountToken of ${entry} to a read-only token (e.g. bound to the view ClusterRole), or its kubernetesPlugin.access to readWrite to accept this.`,
      );
      return false;
    } catch (error) {
      retrySoon();
      this.logger.warn(
        `Data plane ${connection.name} is not shown in Backstage's Kubernetes tab for now: could not check that its credentials are read-only: ${(error as Error).message?.split('\n')[0]}`,
      );
      return false;
    }
  }
}
