import { mockServices } from '@backstage/backend-test-utils';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { DataPlaneWatcher } from '../dataplanes/DataPlaneWatcher';
import { StatusService } from './StatusService';
import {
  author,
  cellNamespace,
  eventually,
  exampleRepository,
  renderedComponent,
  renderedFile,
  renderedPath,
} from '@cellplane/backstage-plugin-node/testUtils';
import { SandboxDataPlane, startSandboxDataPlane } from '@cellplane/sandbox';

describe('status of a component the sandbox runs, across updates', () => {
  const logger = mockServices.logger.mock();
  const fixture = exampleRepository();
  let sandbox: SandboxDataPlane;
  let watcher: DataPlaneWatcher;
  let status: StatusService;

  beforeAll(async () => {
    sandbox = await startSandboxDataPlane({ logger, podStartMs: 30 });
    status = new StatusService({ repository: fixture.repository, dataPlanes: [], logger, refreshIntervalMs: 60_000 });
    watcher = new DataPlaneWatcher({
      connection: sandbox.connection,
      logger,
      onChange: scopes => status.planeChanged(sandbox.connection.name, scopes),
      backoff: { initialMs: 20, maxMs: 200 },
    });
    status.addDataPlane(watcher);
    status.onRevision((commit, rendered) => void sandbox.sync.sync(commit, rendered));
    watcher.start();
    await status.start();
  });

  afterAll(async () => {
    await status.stop();
    await watcher.stop();
    await sandbox.stop();
    fixture.cleanup();
  });

  const cart = { project: 'storefront', component: 'cart-api', environment: 'development', replicas: 2 };
  const development = (): ComponentEnvironmentStatus => status.componentStatus('acme', 'cart-api').find(s => s.environment === 'development')!;

  async function deploy(release: string, image: string) {
    const target = { ...cart, releaseHash: release, image };
    const { commit } = await fixture.repository.commit({
      message: `Deploy cart-api ${release}`,
      author,
      changes: () => [{ path: renderedPath(target), content: renderedFile(renderedComponent(target)) }],
    });
    await status.refresh();
    return commit!;
  }

  async function expectHealthyAt(commit: string, release: string) {
    await eventually(() => {
      const current = development();
      try {
        expect(current).toMatchObject({
          health: 'Healthy',
          desired: { commit, releaseHash: release },
          runningReleaseHash: release,
          pods: { ready: 2, total: 2 },
          causes: [],
        });
      } catch (error) {
        (error as Error).message += `\n${JSON.stringify(current, null, 1)}`;
        throw error;
      }
    });
  }

  it('is Healthy at the new release after a second commit changes the component, with the old ReplicaSet kept at 0', async () => {
    const first = await deploy('rel-one', 'registry.example/cart-api:1.0');
    await expectHealthyAt(first, 'rel-one');

    const second = await deploy('rel-two', 'registry.example/cart-api:2.0');
    await expectHealthyAt(second, 'rel-two');
    expect(development().reason).toBe('2/2 replicas ready');

    // The update left history behind, as a Deployment in a cluster does: it no longer counts.
    const replicaSets = sandbox.server.objects.list<any>('apps/v1', 'ReplicaSet', cellNamespace(cart));
    expect(replicaSets.map(rs => [rs.metadata.labels['cellplane.dev/release-hash'], rs.spec.replicas]).sort()).toEqual([
      ['rel-one', 0],
      ['rel-two', 2],
    ]);
  }, 300_000);
});
