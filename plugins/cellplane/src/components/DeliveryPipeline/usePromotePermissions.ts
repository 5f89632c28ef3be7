import { usePermission } from '@backstage/plugin-permission-react';
import {
  cellplaneComponentPromotePermission,
  cellplaneComponentPromoteProductionPermission,
} from '@cellplane/backstage-plugin-common';

/** Whether the user may point a binding at a release: anywhere, and in production. */
export interface PromotePermissions {
  loading: boolean;
  promote: boolean;
  production: boolean;
}

/** Read once per card, not per button: every column asks the same two questions. */
export function usePromotePermissions(): PromotePermissions {
  const promote = usePermission({ permission: cellplaneComponentPromotePermission });
  const production = usePermission({ permission: cellplaneComponentPromoteProductionPermission });
  return {
    loading: promote.loading || production.loading,
    promote: promote.allowed,
    production: production.allowed,
  };
}

/** Why the user may not change what an environment runs; undefined when they may. */
export function deniedReason(permissions: PromotePermissions, target: { name: string; isProduction: boolean }): string | undefined {
  if (permissions.loading) return 'Checking your permissions…';
  if (!permissions.promote) return 'You lack the cellplane.component.promote permission';
  if (target.isProduction && !permissions.production) {
    return `${target.name} is a production environment: changing it needs the cellplane.component.promote.production permission`;
  }
  return undefined;
}
