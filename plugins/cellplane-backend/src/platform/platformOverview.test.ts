import { author, exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';
import { WatchedCluster, platformOverview } from './platformOverview';

const STAGING = 'namespaces/acme/platform/infra/environments/staging.yaml';

describe('platformOverview', () => {
  const fixture = exampleRepository();
  afterAll(() => fixture.cleanup());

  const cluster = (name: string, more: Partial<WatchedCluster> = {}): WatchedCluster => ({
    name,
    sandbox: false,
    available: true,
    openChoreoControlPlane: false,
    ...more,
  });

  it('says a data plane is connected through the cluster of its name, and lists a control-plane cluster no environment uses apart', async () => {
    const model = await fixture.repository.model();
    const overview = platformOverview({
      model,
      clusters: [cluster('default'), cluster('openchoreo', { available: false, reason: 'Unauthorized', openChoreoControlPlane: true })],
      statuses: [],
    });
    expect(overview.dataPlanes.map(p => [p.name, p.connection])).toEqual([['default', { connected: true, sandbox: false, cluster: 'default' }]]);
    expect(overview.otherClusters).toEqual([
      { name: 'openchoreo', connected: false, sandbox: false, reason: 'Unauthorized', openChoreoControlPlane: true },
    ]);
  });

  it('says the sandbox stands in for every data plane', async () => {
    const overview = platformOverview({ model: await fixture.repository.model(), clusters: [cluster('sandbox', { sandbox: true })], statuses: [] });
    expect(overview.sandbox).toBe(true);
    expect(overview.dataPlanes[0].connection).toEqual({ connected: true, sandbox: true, cluster: 'sandbox' });
    expect(overview.otherClusters).toEqual([]);
  });

  it('reads the publish mode of an environment from cellplane.dev/publish, and lists a data plane an environment names but the repository lacks', async () => {
    await fixture.repository.commit({
      message: 'staging by pull request, on its own data plane',
      author,
      async changes(base) {
        const staging = (await base.readFile(STAGING))!.toString();
        return [
          {
            path: STAGING,
            content: staging
              .replace('  annotations:\n', '  annotations:\n    cellplane.dev/publish: pull-request\n')
              .replace('kind: ClusterDataPlane\n    name: default', 'kind: ClusterDataPlane\n    name: staging-cluster'),
          },
        ];
      },
    });
    const overview = platformOverview({ model: await fixture.repository.model(), clusters: [], statuses: [] });
    const publish = Object.fromEntries(overview.environments.map(e => [e.name, e.publish]));
    expect(publish).toMatchObject({ development: 'commit', staging: 'pull-request' });
    expect(overview.dataPlanes.map(p => `${p.kind} ${p.name} declared=${p.declared} ${p.environments.join(',')}`)).toEqual([
      'ClusterDataPlane default declared=true acme/development,acme/production',
      'ClusterDataPlane staging-cluster declared=false acme/staging',
    ]);
  });
});
