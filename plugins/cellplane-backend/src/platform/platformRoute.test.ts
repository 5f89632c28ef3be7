import { PlatformOverview } from '@cellplane/backstage-plugin-common';
import { eventually } from '@cellplane/backstage-plugin-node/testUtils';
import { getJson } from '../__testUtils__/getJson';
import { CellplaneTestBackend, callers, startCellplaneBackend } from '../__testUtils__/startCellplaneBackend';

/** The example repository, with no data plane configured (so none is connected). */
describe('GET /api/cellplane/platform', () => {
  let backend: CellplaneTestBackend;
  let overview: PlatformOverview;
  beforeAll(async () => {
    backend = await startCellplaneBackend();
    // Status answers once it has read the repository: until then the overview has no statuses.
    overview = await eventually(async () => {
      const answer = await getJson(backend.server, '/api/cellplane/platform', callers.user);
      if (answer.status !== 200 || answer.body.statuses.length === 0) throw new Error(`platform answered ${answer.status}`);
      return answer.body as PlatformOverview;
    });
  });
  afterAll(() => backend.stop());

  it('lists the environments with production and publish mode, and the pipeline in promotion order with its projects', () => {
    expect(overview.environments.map(e => `${e.namespace}/${e.name} production=${e.isProduction} publish=${e.publish}`)).toEqual([
      'acme/development production=false publish=commit',
      // The example's production publishes by pull request (cellplane.dev/publish).
      'acme/production production=true publish=pull-request',
      'acme/staging production=false publish=commit',
    ]);
    expect(overview.pipelines).toEqual([
      expect.objectContaining({
        namespace: 'acme',
        name: 'standard',
        displayName: 'Standard',
        order: ['development', 'staging', 'production'],
        promotionPaths: [
          { source: 'development', targets: ['staging'] },
          { source: 'staging', targets: ['production'] },
        ],
        projects: ['payments', 'platform-data', 'storefront'],
      }),
    ]);
  });

  it('lists the data plane the environments deploy to, not connected when no cluster is configured for it', () => {
    expect(overview.dataPlanes).toEqual([
      expect.objectContaining({
        kind: 'ClusterDataPlane',
        name: 'default',
        declared: true,
        environments: ['acme/development', 'acme/production', 'acme/staging'],
        connection: { connected: false, sandbox: false, reason: expect.stringContaining('no cluster named "default" under cellplane.dataPlanes') },
      }),
    ]);
    expect(overview.otherClusters).toEqual([]);
    expect(overview.sandbox).toBe(false);
  });

  it('lists component types and traits with their readable schemas and the components that use them', () => {
    const service = overview.componentTypes.find(t => t.name === 'service')!;
    expect(service).toMatchObject({ kind: 'ClusterComponentType', displayName: 'Service', workloadType: 'deployment' });
    expect(service.allowedTraits).toContain('ClusterTrait horizontal-pod-autoscaler');
    expect(service.parameters).toContainEqual(
      expect.objectContaining({ path: 'terminationGracePeriodSeconds', type: 'integer', default: '30', description: expect.stringContaining('drain') }),
    );
    expect(service.parameters).toContainEqual(expect.objectContaining({ path: 'healthCheck.port', type: 'integer', required: true }));
    expect(service.components).toContainEqual({ namespace: 'acme', project: 'storefront', name: 'cart-api' });
    expect(overview.componentTypes.map(t => t.name).sort()).toEqual(['scheduled-task', 'service', 'web-application', 'worker']);
    const serviceAccount = overview.traits.find(t => t.name === 'service-account')!;
    expect(serviceAccount.kind).toBe('ClusterTrait');
    expect(serviceAccount.parameters.map(f => f.path)).toEqual(['automountServiceAccountToken', 'annotations']);
    expect(serviceAccount.environmentConfigs).toEqual([expect.objectContaining({ path: 'annotations', type: 'map of string' })]);
  });

  it('carries every component in every environment, Unknown while its data plane cannot be read', () => {
    expect(overview.statuses.length).toBeGreaterThanOrEqual(11 * 3);
    expect(overview.statuses.find(s => s.component === 'cart-api' && s.environment === 'development')).toMatchObject({
      project: 'storefront',
      health: 'Unknown',
    });
  });

  it.each([
    ['no token', undefined, 401],
    ['a user without cellplane.status.read', callers['user without cellplane.status.read'], 403],
    ['a service', callers.service, 200],
  ])('answers %s with %d', async (_who, authorization, expected) => {
    expect((await getJson(backend.server, '/api/cellplane/platform', authorization)).status).toBe(expected);
  });

  it('answers an unknown query parameter with a 400 naming it', async () => {
    const answer = await getJson(backend.server, '/api/cellplane/platform?namespace=acme', callers.user);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/unknown query parameter "namespace": this route takes none/);
    expect(answer.body.error.stack).toBeUndefined();
  });
});
