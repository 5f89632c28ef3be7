import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEndpointAddAction } from '../actions/addEndpoint';

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

  it('has no link when the portal address is unknown', async () => {
    const ctx = actionContext(input);
    await createEndpointAddAction(fixture.options).handler(ctx);
    expect(ctx.outputs.commitSha).toBe(fixture.head());
    expect(ctx.outputs.commitUrl).toBeUndefined();
  });
});
