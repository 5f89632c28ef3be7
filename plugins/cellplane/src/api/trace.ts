import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CommitTrace } from '@cellplane/backstage-plugin-common';

/**
 * Reads the trace of a commit from the `cellplane` backend (`GET /trace/:sha`): for each
 * component and environment it changed, committed → rendered → synced → rolled out → ready, with
 * times and why a step is stuck. `component` (`<namespace>/<name>`) narrows it to one component.
 * Throws the backend's ResponseError (400 not a commit id, 403 no `cellplane.status.read`, 404
 * unknown commit).
 *
 * @public
 */
export async function fetchCommitTrace(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  sha: string,
  options: { component?: string; signal?: AbortSignal } = {},
): Promise<CommitTrace> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('cellplane');
  const query = options.component ? `?${new URLSearchParams({ component: options.component })}` : '';
  const response = await apis.fetchApi.fetch(`${baseUrl}/trace/${encodeURIComponent(sha)}${query}`, { signal: options.signal });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as CommitTrace;
}
