import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { buildComponentRelease } from '@cellplane/backstage-plugin-node';
import yaml from 'js-yaml';
import { setupServer } from 'msw/node';
import { fakeGithubApi, githubIntegrations, githubStandIn } from '../__testUtils__/fakeGithub';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEndpointAddAction } from './addEndpoint';
import { createComponentPromoteAction } from './promoteComponent';
import { createComponentRollbackAction } from './rollbackComponent';

const BINDINGS = 'namespaces/acme/projects/payments/components/payments-api/release-bindings';
const WEB_SHOP = 'namespaces/acme/projects/storefront/components/web-shop';

describe('cellplane:component:promote and cellplane:component:rollback', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let fixture: ReturnType<typeof repositoryFixture>;
  let firstRelease: string;
  beforeEach(async () => {
    fixture = repositoryFixture();
    // payments-api has autoDeploy: a change makes a release and deploys it to development.
    const ctx = actionContext({ namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } });
    await createEndpointAddAction(fixture.options).handler(ctx);
    firstRelease = /releaseName: (\S+)/.exec(fixture.show(`${BINDINGS}/payments-api-development.yaml`))![1];
  });
  afterEach(() => fixture.cleanup());

  it('promotes along the pipeline: development → staging by commit → production by pull request (the example says so)', async () => {
    const promote = createComponentPromoteAction(fixture.options);
    const toStaging = actionContext({ namespace: 'acme', component: 'payments-api', to: 'staging' });
    await promote.handler(toStaging);
    expect(fixture.filesOf(toStaging.outputs.commitSha)).toEqual([
      `${BINDINGS}/payments-api-staging.yaml`,
      'rendered/default/acme/staging/payments/components/payments-api.yaml',
      'rendered/index.txt',
    ]);
    expect(toStaging.outputs.releaseName).toBe(firstRelease);
    const staging = fixture.show(`${BINDINGS}/payments-api-staging.yaml`);
    expect(staging).toContain(`releaseName: ${firstRelease}`);
    expect(staging).toContain('replicas: 2'); // the environment's overrides stay

    const github = fakeGithubApi(server);
    const head = fixture.head();
    const toProduction = actionContext({ namespace: 'acme', component: 'payments-api', from: 'staging', to: 'production' });
    await createComponentPromoteAction({ ...fixture.options, repository: githubStandIn(fixture.repository), integrations: githubIntegrations }).handler(
      toProduction,
    );
    expect(fixture.head()).toBe(head);
    expect(toProduction.outputs.pullRequestUrl).toBe('https://github.com/acme/gitops/pull/7');
    const production = github.requests.tree[0].tree.find((entry: any) => entry.path === `${BINDINGS}/payments-api-production.yaml`);
    expect(production.content).toContain(`releaseName: ${firstRelease}`);
  });

  it('promotes what runs: development follows web-shop (no release pinned), so staging pins a snapshot of it (issue #14)', async () => {
    const runsInDevelopment = buildComponentRelease(await fixture.repository.model(), 'acme', 'web-shop');
    expect(fixture.show(`${WEB_SHOP}/release-bindings/web-shop-development.yaml`)).not.toContain('releaseName');
    const promote = createComponentPromoteAction(fixture.options);

    const first = actionContext({ namespace: 'acme', component: 'web-shop', to: 'staging' });
    await promote.handler(first);
    const releaseName = first.outputs.releaseName;
    expect(releaseName).toBe(runsInDevelopment.name);
    expect(fixture.filesOf(first.outputs.commitSha)).toEqual(
      expect.arrayContaining([`${WEB_SHOP}/release-bindings/web-shop-staging.yaml`, `${WEB_SHOP}/releases/${releaseName}.yaml`]),
    );
    const staging = yaml.load(fixture.show(`${WEB_SHOP}/release-bindings/web-shop-staging.yaml`)) as any;
    expect(staging.spec.releaseName).toBe(releaseName);
    const release = yaml.load(fixture.show(`${WEB_SHOP}/releases/${releaseName}.yaml`)) as any;
    expect(release.spec).toEqual(runsInDevelopment.resource.spec);
    // development still follows the component
    expect(fixture.show(`${WEB_SHOP}/release-bindings/web-shop-development.yaml`)).not.toContain('releaseName');

    // The same state promoted again reuses that release: no second snapshot, nothing to commit.
    const head = fixture.head();
    const second = actionContext({ namespace: 'acme', component: 'web-shop', to: 'staging' });
    await promote.handler(second);
    expect(second.outputs.releaseName).toBe(releaseName);
    expect(fixture.head()).toBe(head);
  });

  it('reuses an existing release with the content that runs, whatever its name', async () => {
    const promote = createComponentPromoteAction(fixture.options);
    await promote.handler(actionContext({ namespace: 'acme', component: 'web-shop', to: 'staging' }));
    const snapshot = buildComponentRelease(await fixture.repository.model(), 'acme', 'web-shop');
    // Another tool wrote the same content under its own name; the content-named copy is gone.
    await fixture.repository.commit({
      message: 'Rename the release as another tool names it',
      author: { name: 'Ada', email: 'ada@acme.example' },
      changes: () => [
        { path: `${WEB_SHOP}/releases/${snapshot.name}.yaml`, content: null },
        {
          path: `${WEB_SHOP}/releases/web-shop-v1.yaml`,
          content: yaml.dump({ ...snapshot.resource, metadata: { ...snapshot.resource.metadata, name: 'web-shop-v1' } }),
        },
        {
          path: `${WEB_SHOP}/release-bindings/web-shop-staging.yaml`,
          content: fixture.show(`${WEB_SHOP}/release-bindings/web-shop-staging.yaml`).replace(snapshot.name, 'web-shop-v1'),
        },
      ],
    });
    const again = actionContext({ namespace: 'acme', component: 'web-shop', to: 'staging' });
    await promote.handler(again);
    expect(again.outputs.releaseName).toBe('web-shop-v1');
    // no second copy of the same content (the commit only brings rendered/ up to date)
    expect(fixture.filesOf(fixture.head()).filter(path => !path.startsWith('rendered/'))).toEqual([]);
  });

  it('refuses a promotion that skips an environment, or from where nothing runs', async () => {
    const promote = createComponentPromoteAction(fixture.options);
    const head = fixture.head();
    await expect(
      promote.handler(actionContext({ namespace: 'acme', component: 'payments-api', from: 'development', to: 'production' })),
    ).rejects.toThrow(/to: production is not next after development in DeploymentPipeline standard; from development a release may go to staging/);
    await expect(
      promote.handler(actionContext({ namespace: 'acme', component: 'web-shop', from: 'staging', to: 'production' })),
    ).rejects.toThrow(/from: web-shop has no release deployed in staging/);
    await expect(promote.handler(actionContext({ namespace: 'acme', component: 'payments-api', to: 'development' }))).rejects.toThrow(
      /to: nothing promotes to development/,
    );
    expect(fixture.head()).toBe(head);
  });

  it('needs cellplane.component.promote.production to reach production, but not staging', async () => {
    const permissions = fixture.denying('cellplane.component.promote.production');
    const promote = createComponentPromoteAction({ ...fixture.options, permissions });
    await promote.handler(actionContext({ namespace: 'acme', component: 'payments-api', to: 'staging' }));
    const head = fixture.head();
    await expect(promote.handler(actionContext({ namespace: 'acme', component: 'payments-api', to: 'production' }))).rejects.toThrow(
      NotAllowedError,
    );
    expect(fixture.head()).toBe(head);
  });

  it('rolls back to any earlier release, and refuses one that does not exist', async () => {
    await createEndpointAddAction(fixture.options).handler(
      actionContext({ namespace: 'acme', component: 'payments-api', name: 'metrics', endpoint: { type: 'HTTP', port: 9100 } }),
    );
    expect(fixture.show(`${BINDINGS}/payments-api-development.yaml`)).not.toContain(firstRelease);
    const rollback = createComponentRollbackAction(fixture.options);
    const ctx = actionContext({ namespace: 'acme', component: 'payments-api', environment: 'development', release: firstRelease });
    await rollback.handler(ctx);
    expect(fixture.filesOf(ctx.outputs.commitSha)).toEqual([
      `${BINDINGS}/payments-api-development.yaml`,
      'rendered/default/acme/development/payments/components/payments-api.yaml',
      'rendered/index.txt',
    ]);
    expect(fixture.show(`${BINDINGS}/payments-api-development.yaml`)).toContain(`releaseName: ${firstRelease}`);

    const head = fixture.head();
    await expect(
      rollback.handler(actionContext({ namespace: 'acme', component: 'payments-api', environment: 'development', release: 'payments-api-0000000000' })),
    ).rejects.toThrow(/release: ComponentRelease "payments-api-0000000000" of payments-api does not exist/);
    await expect(
      rollback.handler(actionContext({ namespace: 'acme', component: 'payments-api', environment: 'qa', release: firstRelease })),
    ).rejects.toThrow(/environment: Environment "qa" does not exist/);
    expect(fixture.head()).toBe(head);
  });
});
