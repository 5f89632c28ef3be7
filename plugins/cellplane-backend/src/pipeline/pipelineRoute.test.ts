import { DeliveryPipeline } from '@cellplane/backstage-plugin-common';
import { buildComponentRelease, resourceToYaml } from '@cellplane/backstage-plugin-node';
import { author, eventually } from '@cellplane/backstage-plugin-node/testUtils';
import { CellplaneTestBackend, callers, startCellplaneBackend } from '../__testUtils__/startCellplaneBackend';
import { getJson } from '../__testUtils__/getJson';

const ENVIRONMENTS = 'namespaces/acme/platform/infra/environments';
const PIPELINE = 'namespaces/acme/platform/infra/deployment-pipelines/standard.yaml';
const WEB_SHOP = 'namespaces/acme/projects/storefront/components/web-shop';

const pipelineOf = async (backend: CellplaneTestBackend, component: string): Promise<DeliveryPipeline> => {
  const answer = await getJson(backend.server, `/api/cellplane/pipeline/acme/${component}`, callers.user);
  if (answer.status !== 200) throw new Error(`pipeline answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
};

const environment = (pipeline: DeliveryPipeline, name: string) => pipeline.environments.find(e => e.name === name)!;

describe('GET /api/cellplane/pipeline/:namespace/:component', () => {
  let backend: CellplaneTestBackend;
  beforeAll(async () => {
    backend = await startCellplaneBackend();
  });
  afterAll(() => backend.stop());

  it('orders the environments along the promotion paths, with the binding, release and status of each', async () => {
    // The status backend reads the repository at start; the pipeline carries its status once it has.
    const pipeline = await eventually(async () => {
      const read = await pipelineOf(backend, 'web-shop');
      if (!environment(read, 'development').status) throw new Error('no status yet');
      return read;
    });
    expect(pipeline).toMatchObject({ namespace: 'acme', component: 'web-shop', project: 'storefront', pipeline: 'standard' });
    expect(pipeline.environments.map(e => [e.name, e.stage, e.next.map(n => n.environment), e.previous])).toEqual([
      ['development', 0, ['staging'], []],
      ['staging', 1, ['production'], ['development']],
      ['production', 2, [], ['staging']],
    ]);

    const development = environment(pipeline, 'development');
    // web-shop's development binding pins no release: it runs the component as it is at head.
    expect(development.binding).toEqual({ followsComponent: true, state: 'Active' });
    expect(development.release).toMatchObject({
      name: expect.stringMatching(/^web-shop-/),
      images: [expect.stringContaining('web-shop')],
      commit: pipeline.revision,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(development.status).toMatchObject({ component: 'web-shop', environment: 'development' });
    expect(development).toMatchObject({ isProduction: false, publish: 'commit', requiresApproval: false, pullRequests: [] });

    // Not deployed to staging or production: no binding, no release, but still a column.
    expect(environment(pipeline, 'staging').binding).toBeUndefined();
    expect(environment(pipeline, 'staging').release).toBeUndefined();
    expect(environment(pipeline, 'production')).toMatchObject({ isProduction: true });
  });

  it('follows a branching pipeline, the publish mode of each environment, approvals and pinned releases', async () => {
    let releaseName = '';
    const { commit } = await backend.fixture.repository.commit({
      message: 'qa beside staging, production by pull request after an approval, web-shop pinned in staging',
      author,
      async changes(base) {
        const production = (await base.readFile(`${ENVIRONMENTS}/production.yaml`))!.toString();
        const release = buildComponentRelease(await base.model(), 'acme', 'web-shop');
        releaseName = release.name;
        return [
          {
            path: `${ENVIRONMENTS}/qa.yaml`,
            content: [
              'apiVersion: openchoreo.dev/v1alpha1',
              'kind: Environment',
              'metadata:',
              '  name: qa',
              '  namespace: acme',
              'spec:',
              '  dataPlaneRef:',
              '    kind: ClusterDataPlane',
              '    name: default',
              '  isProduction: false',
              '',
            ].join('\n'),
          },
          {
            path: `${ENVIRONMENTS}/production.yaml`,
            content: production.includes('cellplane.dev/publish')
              ? production
              : production.replace('  annotations:\n', '  annotations:\n    cellplane.dev/publish: pull-request\n'),
          },
          {
            path: PIPELINE,
            content: [
              'apiVersion: openchoreo.dev/v1alpha1',
              'kind: DeploymentPipeline',
              'metadata:',
              '  name: standard',
              '  namespace: acme',
              'spec:',
              '  promotionPaths:',
              '    - sourceEnvironmentRef: { name: development }',
              '      targetEnvironmentRefs: [{ name: staging }, { name: qa }]',
              '    - sourceEnvironmentRef: { name: staging }',
              '      targetEnvironmentRefs: [{ name: production, requiresApproval: true }]',
              '    - sourceEnvironmentRef: { name: qa }',
              '      targetEnvironmentRefs: [{ name: production }]',
              '',
            ].join('\n'),
          },
          { path: release.path, content: resourceToYaml(release.resource) },
          {
            path: `${WEB_SHOP}/release-bindings/web-shop-staging.yaml`,
            content: [
              'apiVersion: openchoreo.dev/v1alpha1',
              'kind: ReleaseBinding',
              'metadata:',
              '  name: web-shop-staging',
              '  namespace: acme',
              'spec:',
              '  owner:',
              '    projectName: storefront',
              '    componentName: web-shop',
              '  environment: staging',
              `  releaseName: ${release.name}`,
              '',
            ].join('\n'),
          },
        ];
      },
    });

    const pipeline = await pipelineOf(backend, 'web-shop');
    expect(pipeline.revision).toBe(commit);
    expect(pipeline.environments.map(e => [e.name, e.stage])).toEqual([
      ['development', 0],
      ['qa', 1],
      ['staging', 1],
      ['production', 2],
    ]);
    expect(environment(pipeline, 'development').next).toEqual([
      { environment: 'staging', requiresApproval: false },
      { environment: 'qa', requiresApproval: false },
    ]);
    expect(environment(pipeline, 'production')).toMatchObject({
      previous: ['staging', 'qa'],
      requiresApproval: true,
      publish: 'pull-request',
      isProduction: true,
    });
    expect(environment(pipeline, 'qa')).toMatchObject({ publish: 'commit', requiresApproval: false });

    const staging = environment(pipeline, 'staging');
    expect(staging.binding).toEqual({ releaseName, followsComponent: false, state: 'Active' });
    expect(staging.release).toMatchObject({ name: releaseName, commit, images: [expect.stringContaining('web-shop')] });
    // The release exists as a file now, so the development column names the same release and commit.
    expect(environment(pipeline, 'development').release).toMatchObject({ name: releaseName, commit });
    expect(pipeline.releases.map(r => r.name)).toEqual([releaseName]);
  });

  it('shows a binding that says Undeploy as running no release', async () => {
    const path = 'namespaces/acme/projects/storefront/components/search-api/release-bindings/search-api-staging.yaml';
    await backend.fixture.repository.commit({
      message: 'search-api leaves staging',
      author,
      async changes(base) {
        const binding = (await base.readFile(path))!.toString();
        return [{ path, content: binding.replace('  environment: staging\n', '  environment: staging\n  state: Undeploy\n') }];
      },
    });
    const staging = environment(await pipelineOf(backend, 'search-api'), 'staging');
    expect(staging.binding).toEqual({ followsComponent: true, state: 'Undeploy' });
    expect(staging.release).toBeUndefined();
  });

  it('keeps a pipeline with a cycle in columns, the path back still listed as next', async () => {
    await backend.fixture.repository.commit({
      message: 'production promotes back into development',
      author,
      changes: () => [
        {
          path: PIPELINE,
          content: [
            'apiVersion: openchoreo.dev/v1alpha1',
            'kind: DeploymentPipeline',
            'metadata:',
            '  name: standard',
            '  namespace: acme',
            'spec:',
            '  promotionPaths:',
            '    - sourceEnvironmentRef: { name: development }',
            '      targetEnvironmentRefs: [{ name: staging }]',
            '    - sourceEnvironmentRef: { name: staging }',
            '      targetEnvironmentRefs: [{ name: production }]',
            '    - sourceEnvironmentRef: { name: production }',
            '      targetEnvironmentRefs: [{ name: development }]',
            '',
          ].join('\n'),
        },
      ],
    });
    const pipeline = await pipelineOf(backend, 'web-shop');
    expect(pipeline.environments.map(e => [e.name, e.stage])).toEqual([
      ['development', 0],
      ['staging', 1],
      ['production', 2],
    ]);
    expect(environment(pipeline, 'production').next).toEqual([{ environment: 'development', requiresApproval: false }]);
  });

  it('answers 404 for a component the repository does not hold', async () => {
    const answer = await getJson(backend.server, '/api/cellplane/pipeline/acme/no-such-component', callers.user);
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ name: 'NotFoundError', message: expect.stringContaining('no-such-component') });
  });

  it('answers bad names and unknown query parameters with 400 naming them', async () => {
    const badComponent = await getJson(backend.server, '/api/cellplane/pipeline/acme/Web_Shop', callers.user);
    expect(badComponent.status).toBe(400);
    expect(badComponent.body.error.message).toMatch(/^component /);
    const badNamespace = await getJson(backend.server, '/api/cellplane/pipeline/ACME/web-shop', callers.user);
    expect(badNamespace.status).toBe(400);
    expect(badNamespace.body.error.message).toMatch(/^namespace /);
    const unknown = await getJson(backend.server, '/api/cellplane/pipeline/acme/web-shop?environment=staging', callers.user);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('"environment"');
    expect(unknown.body.error.stack).toBeUndefined();
    const stale = await getJson(backend.server, '/api/cellplane/pipeline/acme/web-shop?pullRequests=stale', callers.user);
    expect(stale.status).toBe(400);
    expect(stale.body.error.message).toMatch(/^pullRequests must be "fresh"/);
  });

  it('needs a token, and cellplane.status.read', async () => {
    expect((await getJson(backend.server, '/api/cellplane/pipeline/acme/web-shop')).status).toBe(401);
    const denied = await getJson(backend.server, '/api/cellplane/pipeline/acme/web-shop', callers['user without cellplane.status.read']);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('cellplane.status.read');
  });
});
