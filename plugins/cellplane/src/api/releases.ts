import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ComponentReleaseComparison, ComponentReleaseList } from '@cellplane/backstage-plugin-common';

/**
 * Reads a component's ComponentReleases, newest first, from the `cellplane` backend
 * (`GET /releases/:namespace/:component`). Throws the backend's ResponseError on 400/404.
 *
 * @public
 */
export async function fetchComponentReleases(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  namespace: string,
  component: string,
  signal?: AbortSignal,
): Promise<ComponentReleaseList> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('cellplane');
  const response = await apis.fetchApi.fetch(
    `${baseUrl}/releases/${encodeURIComponent(namespace)}/${encodeURIComponent(component)}`,
    { signal },
  );
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as ComponentReleaseList;
}

/** Which two releases to compare, and for which environment (default: the backend's choice). @public */
export interface ReleaseComparisonQuery {
  from: string;
  to: string;
  environment?: string;
}

/**
 * Compares two releases of a component (`GET /releases/:namespace/:component/compare`): their
 * snapshots and the manifests each renders to in an environment. Throws the backend's
 * ResponseError on 400, 403 and 404.
 *
 * @public
 */
export async function fetchReleaseComparison(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  namespace: string,
  component: string,
  query: ReleaseComparisonQuery,
  signal?: AbortSignal,
): Promise<ComponentReleaseComparison> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('cellplane');
  const search = new URLSearchParams({ from: query.from, to: query.to, ...(query.environment ? { environment: query.environment } : {}) });
  const response = await apis.fetchApi.fetch(
    `${baseUrl}/releases/${encodeURIComponent(namespace)}/${encodeURIComponent(component)}/compare?${search}`,
    { signal },
  );
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as ComponentReleaseComparison;
}
