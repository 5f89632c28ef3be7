import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CommitDetails } from '@cellplane/backstage-plugin-common';

/**
 * Reads one commit of the GitOps repository's branch from the `cellplane` backend
 * (`GET /repository/commits/:sha`): message, author, date, parents and the changed files with
 * their diff. Throws the backend's ResponseError on 400 (not a commit id) and 404 (unknown).
 *
 * @public
 */
export async function fetchCommit(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  sha: string,
  signal?: AbortSignal,
): Promise<CommitDetails> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('cellplane');
  const response = await apis.fetchApi.fetch(`${baseUrl}/repository/commits/${encodeURIComponent(sha)}`, { signal });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as CommitDetails;
}
