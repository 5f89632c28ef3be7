import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ComponentReleaseList } from '@cellplane/backstage-plugin-common';

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
