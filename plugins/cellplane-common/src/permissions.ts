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

/** Point a ReleaseBinding at a release: promote or roll back (production also needs the next one). @public */
export const cellplaneComponentPromotePermission = createPermission({
  name: 'cellplane.component.promote',
  attributes: { action: 'update' },
});

/**
 * Change what an environment marked `isProduction` runs: point its ReleaseBinding at a release,
 * override its settings, or change a component or resource it runs live (a binding that pins
 * no release), whatever the action. Checked in addition to the action's own permission; the
 * write path works out from the files a change writes whether it reaches production. @public
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
