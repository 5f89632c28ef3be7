import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DeliveryMetrics, DeliveryScope } from '@cellplane/backstage-plugin-common';

/** The request parameter naming a scope: `entity=component:<ns>/<name>`, `project:...`, or `namespace=<ns>`. */
export function scopeParameters(scope: DeliveryScope): Record<string, string> {
  return scope.kind === 'namespace' ? { namespace: scope.namespace } : { entity: `${scope.kind}:${scope.namespace}/${scope.name}` };
}

/**
 * Reads the delivery metrics of a scope over the period from `from` to now
 * (`GET /delivery-metrics`). Throws the backend's ResponseError on 400, 403 and 404.
 */
export async function fetchDeliveryMetrics(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  query: { scope: DeliveryScope; from: string },
  signal?: AbortSignal,
): Promise<DeliveryMetrics> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('cellplane');
  const search = new URLSearchParams({ ...scopeParameters(query.scope), from: query.from });
  const response = await apis.fetchApi.fetch(`${baseUrl}/delivery-metrics?${search}`, { signal });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as DeliveryMetrics;
}
