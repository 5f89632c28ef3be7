import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEndpointAddAction } from '../actions/addEndpoint';
import { createComponentCreateAction } from '../actions/createComponent';
import { changedComponent, traceUrl } from './commitLink';

/**
 * Issue #11, item 10: the "Commit" link of a write to the on-disk repository pointed at a backend
 * route that answers 401 in a browser and ignored its revision. It now opens the portal's page of
 * that commit.
 */
describe('the commit link of a write', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const input = { namespace: 'acme', component: 'cart-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } };

  it("opens the portal's commit page for a repository with no web host", async () => {
    const ctx = actionContext(input);
    await createEndpointAddAction({ ...fixture.options, appBaseUrl: 'https://portal.acme.example/' }).handler(ctx);
    expect(ctx.outputs.commitSha).toBe(fixture.head());
    expect(ctx.outputs.commitUrl).toBe(`https://portal.acme.example/cellplane/commits/${fixture.head()}`);
  });

  it("links the commit's trace in the portal, focused on the component it changed", async () => {
    const ctx = actionContext(input);
    await createEndpointAddAction(fixture.options).handler(ctx);
    expect(ctx.outputs.traceUrl).toBe(`/cellplane/commits/${fixture.head()}?component=acme/cart-api`);
  });

  it('has no trace when nothing was committed (the head already held the change)', async () => {
    const create = createComponentCreateAction(fixture.options);
    const component = { namespace: 'acme', project: 'payments', name: 'refunds-api', componentType: 'deployment/service', image: 'ghcr.io/acme/refunds-api:1.0.0', endpoints: { rest: { type: 'HTTP', port: 8080 } } };
    const first = actionContext(component);
    await create.handler(first);
    expect(first.outputs.traceUrl).toBe(`/cellplane/commits/${fixture.head()}?component=acme/refunds-api`);
    const again = actionContext(component);
    await create.handler(again);
    expect(again.outputs.commitSha).toBe(fixture.head());
    expect(again.outputs.traceUrl).toBeUndefined();
  });

  it('has no link when the portal address is unknown', async () => {
    const ctx = actionContext(input);
    await createEndpointAddAction(fixture.options).handler(ctx);
    expect(ctx.outputs.commitSha).toBe(fixture.head());
    expect(ctx.outputs.commitUrl).toBeUndefined();
  });
});

describe('traceUrl', () => {
  const sha = 'a'.repeat(40);
  it('focuses on the one component whose spec or rendered manifests a change writes', () => {
    expect(
      traceUrl(sha, [
        'namespaces/acme/projects/storefront/components/cart-api/workload.yaml',
        'rendered/default/acme/development/storefront/components/cart-api.yaml',
        'rendered/index.txt',
      ]),
    ).toBe(`/cellplane/commits/${sha}?component=acme/cart-api`);
  });

  it('is the whole commit for a change of several components or of none', () => {
    expect(
      changedComponent([
        'rendered/default/acme/development/storefront/components/cart-api.yaml',
        'rendered/default/acme/development/storefront/components/search-api.yaml',
      ]),
    ).toBeUndefined();
    expect(traceUrl(sha, ['namespaces/acme/projects/storefront/project.yaml'])).toBe(`/cellplane/commits/${sha}`);
    // The bootstrap folder is not a data plane's.
    expect(changedComponent(['rendered/_observability-plane/acme/development/storefront/cart-api.yaml'])).toBeUndefined();
  });
});
