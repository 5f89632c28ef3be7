import { createRouteRef } from '@backstage/frontend-plugin-api';

/**
 * The commit page, `/cellplane/commits/:sha`: one commit of the GitOps repository, as the
 * write path's "Commit" link opens it for a repository with no web UI of its own.
 *
 * @public
 */
export const commitRouteRef = createRouteRef({ params: ['sha'] });

/**
 * The platform page, `/cellplane/platform`: environments and pipelines, data planes, component
 * types and traits, and health across all projects, for the platform team.
 *
 * @public
 */
export const platformRouteRef = createRouteRef();
