import { DiscoveryApi, FetchApi, createApiRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { PlatformOverview } from '@cellplane/backstage-plugin-common';

/** Reads the platform page's overview from the `cellplane` backend (`GET /platform`). */
export interface CellplanePlatformApi {
  getPlatform(): Promise<PlatformOverview>;
}

export const cellplanePlatformApiRef = createApiRef<CellplanePlatformApi>({ id: 'plugin.cellplane.platform' });

/** The platform API over HTTP, with the user's token (fetchApi) like every other request. */
export class CellplanePlatformClient implements CellplanePlatformApi {
  constructor(private readonly options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  async getPlatform(): Promise<PlatformOverview> {
    const base = await this.options.discoveryApi.getBaseUrl('cellplane');
    const response = await this.options.fetchApi.fetch(`${base}/platform`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as PlatformOverview;
  }
}
