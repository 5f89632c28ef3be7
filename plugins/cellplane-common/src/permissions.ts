import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permissions Cellplane's write path checks. Creating, changing and promoting are separate,
 * and promoting into an environment marked `isProduction` is its own permission, so a policy
 * can let everyone deploy to development and staging while only a platform team reaches
 * production.
 */

/** Create a Project. @public */
export const cellplaneProjectCreatePermission = createPermission({
  name: 'cellplane.project.create',
  attributes: { action: 'create' },
});

/** Create a Component (and its Workload). @public */
export const cellplaneComponentCreatePermission = createPermission({
  name: 'cellplane.component.create',
  attributes: { action: 'create' },
});

/**
 * Change an existing Component, its Workload or its ReleaseBindings (endpoints, dependencies,
 * per-environment overrides). @public
 */
export const cellplaneComponentUpdatePermission = createPermission({
  name: 'cellplane.component.update',
  attributes: { action: 'update' },
});

/** Point a ReleaseBinding at a release: promote or roll back in a non-production environment. @public */
export const cellplaneComponentPromotePermission = createPermission({
  name: 'cellplane.component.promote',
  attributes: { action: 'update' },
});

/**
 * Point a ReleaseBinding of an environment marked `isProduction` at a release. Checked in
 * addition to `cellplane.component.promote`. @public
 */
export const cellplaneComponentPromoteProductionPermission = createPermission({
  name: 'cellplane.component.promote.production',
  attributes: { action: 'update' },
});

/** Claim a managed Resource (e.g. a PostgreSQL database) for a project. @public */
export const cellplaneResourceClaimPermission = createPermission({
  name: 'cellplane.resource.claim',
  attributes: { action: 'create' },
});

/** Every Cellplane permission, for a permission integration's listing. @public */
export const cellplanePermissions = [
  cellplaneProjectCreatePermission,
  cellplaneComponentCreatePermission,
  cellplaneComponentUpdatePermission,
  cellplaneComponentPromotePermission,
  cellplaneComponentPromoteProductionPermission,
  cellplaneResourceClaimPermission,
];
