import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ActivityKind, ActivityPage } from '@cellplane/backstage-plugin-common';

/** What part of an entity's activity to read. @public */
export interface ActivityQuery {
  /** `component:<namespace>/<name>` or `project:<namespace>/<name>`. */
  entity: string;
  kinds?: ActivityKind[];
  author?: string;
  environment?: string;
  /** ISO 8601 date or time. */
  since?: string;
  limit?: number;
  /** A page's `nextCursor`, to read on from there. */
  cursor?: string;
}

/**
 * Reads who changed a component or project, what and when (`GET /activity`), newest first.
 * Throws the backend's ResponseError on 400, 403 and 404.
 *
 * @public
 */
export async function fetchActivity(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  query: ActivityQuery,
  signal?: AbortSignal,
): Promise<ActivityPage> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('cellplane');
  const search = new URLSearchParams({ entity: query.entity });
  if (query.kinds?.length) search.set('kind', query.kinds.join(','));
  if (query.author) search.set('author', query.author);
  if (query.environment) search.set('environment', query.environment);
  if (query.since) search.set('since', query.since);
  if (query.limit) search.set('limit', String(query.limit));
  if (query.cursor) search.set('cursor', query.cursor);
  const response = await apis.fetchApi.fetch(`${baseUrl}/activity?${search}`, { signal });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as ActivityPage;
}
