import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Server } from 'node:http';
import { join } from 'node:path';
import { cellplaneDataPlanesServiceRef } from '@cellplane/backstage-plugin-node';
import { cellplanePlugin } from '../plugin';
import { exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';

/** A user the example permission policy of these tests denies `cellplane.status.read`. */
export const USER_WITHOUT_STATUS = 'user:default/no-status';

/** Authorization headers of each kind of caller. */
export const callers = {
  none: undefined,
  user: mockCredentials.user.header('user:default/alice'),
  service: mockCredentials.service.header(),
  'user without cellplane.status.read': mockCredentials.user.header(USER_WITHOUT_STATUS),
} as const;

export type Caller = keyof typeof callers;

/**
 * The cellplane plugin on the example repository, with no data plane (no sandbox: routes answer
 * from the repository alone), requests without a token unauthenticated, and a permission policy
 * that allows everything except `cellplane.status.read` for USER_WITHOUT_STATUS.
 */
export interface CellplaneTestBackend {
  server: Server;
  fixture: ReturnType<typeof exampleRepository>;
  stop(): Promise<void>;
}

export async function startCellplaneBackend(): Promise<CellplaneTestBackend> {
  const fixture = exampleRepository();
  const backend = await startTestBackend({
    features: [
      cellplanePlugin,
      mockServices.rootConfig.factory({
        data: {
          cellplane: { gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') } },
          events: { useEventBus: 'never' },
        },
      }),
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      mockServices.permissions.mock({
        async authorize(requests, { credentials }) {
          const denied =
            credentials.principal && (credentials.principal as { userEntityRef?: string }).userEntityRef === USER_WITHOUT_STATUS;
          return requests.map(() => ({ result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW }));
        },
      }).factory,
      createServiceFactory({
        service: cellplaneDataPlanesServiceRef,
        deps: {},
        factory: () => ({ connections: [] }),
      }),
    ],
  });
  return {
    server: backend.server,
    fixture,
    async stop() {
      await backend.stop();
      fixture.cleanup();
    },
  };
}
