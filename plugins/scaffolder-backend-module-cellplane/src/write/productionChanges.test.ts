import { NotAllowedError } from '@backstage/errors';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { join } from 'node:path';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEndpointAddAction } from '../actions/addEndpoint';
import { createResourceClaimAction } from '../actions/claimResource';
import { createComponentRollbackAction } from '../actions/rollbackComponent';
import { renderedEnvironmentOf } from './productionChanges';

const PRODUCTION = 'cellplane.component.promote.production';
const PAYMENTS_API = 'namespaces/acme/projects/payments/components/payments-api';

/**
 * Issue #11, item 2: the production permission follows what a change does to production, not
 * which action made it. payments-api's production ReleaseBinding pins no release, so it runs
 * the live Component and Workload: any change to them changes production.
 */
describe('changes that reach production need cellplane.component.promote.production', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    // about the permission, not the publish mode: production publishes by commit here
    fixture = repositoryFixture({ productionPublishes: 'commit' });
  });
  afterEach(() => fixture.cleanup());

  const addAdminEndpoint = { namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } };
  const claimDatabase = {
    namespace: 'acme',
    project: 'storefront',
    name: 'cart-db',
    resourceType: 'postgres',
    parameters: { version: '16', database: 'cart', username: 'cart_app' },
  };

  it.each([
    ['cellplane:endpoint:add on a component running live in production', createEndpointAddAction, addAdminEndpoint],
    ['cellplane:resource:claim, which binds the resource in production', createResourceClaimAction, claimDatabase],
  ])('%s: refused without the permission, naming the environment; nothing written', async (_, create, input) => {
    const head = fixture.head();
    const action = create({ ...fixture.options, permissions: fixture.denying(PRODUCTION) });
    const error = await action.handler(actionContext(input as any)).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/alters the production environment acme\/production \(/);
    expect(error.message).toContain(`needs the permission ${PRODUCTION}`);
    expect(fixture.head()).toBe(head);
    expect(fixture.events.publish).not.toHaveBeenCalled();
  });

  it.each([
    ['cellplane:endpoint:add', createEndpointAddAction, addAdminEndpoint, 'rendered/default/acme/production/payments/components/payments-api.yaml'],
    ['cellplane:resource:claim', createResourceClaimAction, claimDatabase, 'rendered/default/acme/production/storefront/resources/cart-db.yaml'],
  ])('%s: committed with the permission, and says which production environment it changed', async (_, create, input, renderedFile) => {
    const ctx = actionContext(input as any);
    await create(fixture.options).handler(ctx);
    expect(fixture.filesOf(ctx.outputs.commitSha)).toContain(renderedFile);
    expect(ctx.outputs.productionEnvironments).toEqual(['acme/production']);
  });

  it('refuses a dry run the same way, so the dry run predicts the run', async () => {
    const action = createEndpointAddAction({ ...fixture.options, permissions: fixture.denying(PRODUCTION) });
    await expect(action.handler(actionContext(addAdminEndpoint, { isDryRun: true }))).rejects.toThrow(NotAllowedError);
    const allowed = actionContext(addAdminEndpoint, { isDryRun: true });
    await createEndpointAddAction(fixture.options).handler(allowed);
    expect(allowed.outputs.productionEnvironments).toEqual(['acme/production']);
    expect(allowed.outputs.diff).toContain('+++ b/rendered/default/acme/production/payments/components/payments-api.yaml');
  });

  it('does not ask for it when production is untouched: a component only in development, or one production pins', async () => {
    const permissions = fixture.denying(PRODUCTION);
    // cart-api runs in development only
    const cart = actionContext({ ...addAdminEndpoint, component: 'cart-api' });
    await createEndpointAddAction({ ...fixture.options, permissions }).handler(cart);
    expect(fixture.filesOf(cart.outputs.commitSha).some(f => f.includes('/production/'))).toBe(false);
    expect(cart.outputs.productionEnvironments).toBeUndefined();

    // Pin payments-api's production binding to its current release: later changes make new
    // releases that production does not run until someone promotes them.
    const first = actionContext(addAdminEndpoint);
    await createEndpointAddAction(fixture.options).handler(first);
    const release = /releaseName: (\S+)/.exec(fixture.show(`${PAYMENTS_API}/release-bindings/payments-api-development.yaml`))![1];
    await createComponentRollbackAction(fixture.options).handler(
      actionContext({ namespace: 'acme', component: 'payments-api', environment: 'production', release }),
    );
    const pinned = actionContext({ ...addAdminEndpoint, name: 'metrics', endpoint: { type: 'HTTP', port: 9100 } });
    await createEndpointAddAction({ ...fixture.options, permissions }).handler(pinned);
    expect(fixture.filesOf(pinned.outputs.commitSha)).toContain(`${PAYMENTS_API}/workload.yaml`);
    expect(fixture.filesOf(pinned.outputs.commitSha).some(f => f.includes('/production/'))).toBe(false);
  });

  it('re-derives the check when another writer got there first: a race that puts the component in production refuses the change', async () => {
    const permissions = fixture.denying(PRODUCTION);
    const before = fixture.commitCount();
    // Another replica binds cart-api in production while this change is being computed.
    const other = new GitOpsRepository({ url: fixture.bare, branch: 'main', cacheDir: join(fixture.bare, '..', 'other-mirror') });
    let raced = false;
    const rerender = fixture.options.rerender!;
    const options = {
      ...fixture.options,
      permissions,
      rerender: async (base: any, changes: any) => {
        if (!raced) {
          raced = true;
          await other.commit({
            message: 'Bind cart-api in production',
            author: { name: 'Other', email: 'other@acme.example' },
            changes: () => [
              {
                path: 'namespaces/acme/projects/storefront/components/cart-api/release-bindings/cart-api-production.yaml',
                content:
                  'apiVersion: openchoreo.dev/v1alpha1\nkind: ReleaseBinding\nmetadata:\n  name: cart-api-production\n  namespace: acme\n' +
                  'spec:\n  owner:\n    projectName: storefront\n    componentName: cart-api\n  environment: production\n',
              },
            ],
          });
        }
        return rerender(base, changes);
      },
    };
    const error = await createEndpointAddAction(options)
      .handler(actionContext({ ...addAdminEndpoint, component: 'cart-api' }))
      .catch(e => e);
    expect(raced).toBe(true);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/acme\/production/);
    // only the other writer's commit landed
    expect(fixture.commitCount()).toBe(before + 1);
  });

  it('reads the environment of a rendered path', () => {
    expect(renderedEnvironmentOf('rendered/default/acme/production/payments/cell.yaml')).toEqual({ namespace: 'acme', environment: 'production' });
    expect(renderedEnvironmentOf('rendered/_observability-plane/acme/production/payments/api.yaml')).toEqual({ namespace: 'acme', environment: 'production' });
    expect(renderedEnvironmentOf('rendered/_bootstrap/default.yaml')).toBeUndefined();
    expect(renderedEnvironmentOf('rendered/index.txt')).toBeUndefined();
  });
});
