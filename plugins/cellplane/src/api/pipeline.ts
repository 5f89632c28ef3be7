import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DeliveryPipeline } from '@cellplane/backstage-plugin-common';

/**
 * Reads a component's delivery pipeline from the `cellplane` backend
 * (`GET /pipeline/:namespace/:component`): its environments along the DeploymentPipeline, what
 * each runs, its publish mode and status. Throws the backend's ResponseError on 400/403/404.
 *
 * @public
 */
export async function fetchDeliveryPipeline(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  namespace: string,
  component: string,
  signal?: AbortSignal,
  options: { freshPullRequests?: boolean } = {},
): Promise<DeliveryPipeline> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('cellplane');
  const response = await apis.fetchApi.fetch(
    `${baseUrl}/pipeline/${encodeURIComponent(namespace)}/${encodeURIComponent(component)}${options.freshPullRequests ? '?pullRequests=fresh' : ''}`,
    { signal },
  );
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as DeliveryPipeline;
}
