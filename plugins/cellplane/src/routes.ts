import { createRouteRef } from '@backstage/frontend-plugin-api';

/**
 * The commit page, `/cellplane/commits/:sha`: one commit of the GitOps repository, as the
 * write path's "Commit" link opens it for a repository with no web UI of its own.
 *
 * @public
 */
export const commitRouteRef = createRouteRef({ params: ['sha'] });
