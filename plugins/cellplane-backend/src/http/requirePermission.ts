import { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, BasicPermission } from '@backstage/plugin-permission-common';

/**
 * Refuses the request unless the caller holds `permission`: a NotAllowedError (403) that says
 * what was asked and which permission it needs, e.g. "reading status requires the
 * cellplane.status.read permission".
 */
export async function requirePermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission,
  doing: string,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`${doing} requires the ${permission.name} permission`);
  }
}
