import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the live status of components (revisions, rollouts, pods, causes).
 *
 * @public
 */
export const cellplaneStatusReadPermission = createPermission({
  name: 'cellplane.status.read',
  attributes: { action: 'read' },
});

/** @public */
export const cellplaneStatusPermissions = [cellplaneStatusReadPermission];
