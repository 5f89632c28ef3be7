import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { cellplaneComponentPromoteProductionPermission } from '@cellplane/backstage-plugin-common';

/** The group whose members may change what runs in production. */
export const PRODUCTION_GROUP = 'group:default/team-platform';

/**
 * Backstage's Kubernetes proxy (`/api/kubernetes/proxy`). The permission carries no attributes:
 * a policy cannot tell a GET from a PATCH, and the Kubernetes tab reads pod logs and events
 * through the proxy, so denying it hides those.
 */
const KUBERNETES_PROXY_PERMISSION = 'kubernetes.proxy';

/** Options of {@link CellplanePermissionPolicy}. */
export interface CellplanePermissionPolicyOptions {
  /**
   * Every cluster the Kubernetes plugin proxies to is reached with read-only credentials (see
   * {@link kubernetesClustersAreReadOnly}): the cluster refuses writes, so the proxy can be
   * everyone's. Default false: the proxy is team-platform's only.
   */
  kubernetesClustersReadOnly?: boolean;
}

/**
 * The example app's policy: everything is allowed (as with the allow-all policy), except
 * - promoting, rolling back or overriding a component in an environment marked `isProduction`,
 *   which only members of team-platform may do;
 * - Backstage's Kubernetes proxy, which can write to a cluster whatever the request: everyone's
 *   while the clusters are handed over read-only (pod logs and events keep working for all), and
 *   team-platform's only as soon as one may be written to.
 * Copy it and tighten it for a real organisation.
 */
export class CellplanePermissionPolicy implements PermissionPolicy {
  constructor(private readonly options: CellplanePermissionPolicyOptions = {}) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const inProductionGroup = (user?.info.ownershipEntityRefs ?? []).includes(PRODUCTION_GROUP);
    if (request.permission.name === cellplaneComponentPromoteProductionPermission.name) {
      return { result: inProductionGroup ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (request.permission.name === KUBERNETES_PROXY_PERMISSION) {
      const allowed = this.options.kubernetesClustersReadOnly || inProductionGroup;
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/**
 * Whether every cluster of Backstage's Kubernetes plugin is handed over read-only: only
 * Cellplane's data planes (or its sandbox, always read-only), none of them with
 * `kubernetesPlugin.access: readWrite`. Clusters from `kubernetes.clusterLocatorMethods` come
 * with credentials nothing here can vouch for.
 */
export function kubernetesClustersAreReadOnly(config: Config): boolean {
  // app-config.yaml lists none (`[]`, as the Kubernetes plugin's schema requires the key).
  if ((config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []).length > 0) return false;
  const dataPlanes = config.getOptionalConfigArray('cellplane.dataPlanes') ?? [];
  return dataPlanes.every(plane => plane.getOptionalString('kubernetesPlugin.access') !== 'readWrite');
}

/** Installs {@link CellplanePermissionPolicy} as the permission backend's policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'cellplane-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(new CellplanePermissionPolicy({ kubernetesClustersReadOnly: kubernetesClustersAreReadOnly(config) }));
      },
    });
  },
});
