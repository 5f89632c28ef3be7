import { createBackendModule } from '@backstage/backend-plugin-api';
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
 * The example app's policy: everything is allowed (as with the allow-all policy), except
 * promoting, rolling back or overriding a component in an environment marked `isProduction`,
 * which only members of team-platform may do. Copy it and tighten it for a real organisation.
 */
export class CellplanePermissionPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (request.permission.name === cellplaneComponentPromoteProductionPermission.name) {
      const groups = user?.info.ownershipEntityRefs ?? [];
      return { result: groups.includes(PRODUCTION_GROUP) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link CellplanePermissionPolicy} as the permission backend's policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'cellplane-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CellplanePermissionPolicy());
      },
    });
  },
});
