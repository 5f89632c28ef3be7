import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createDependencyAddAction } from './addDependency';

describe('cellplane:dependency:add', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const input = {
    namespace: 'acme',
    component: 'cart-api',
    dependsOn: { project: 'payments', component: 'payments-api', endpoint: 'rest' },
    envBindings: { address: 'PAYMENTS_URL' },
  };

  it('adds a namespace-visibility dependency across projects, with a new release', async () => {
    const ctx = actionContext(input);
    await createDependencyAddAction(fixture.options).handler(ctx);
    const workload = fixture.show('namespaces/acme/projects/storefront/components/cart-api/workload.yaml');
    expect(workload).toMatch(/- project: payments\n\s+component: payments-api\n\s+name: rest\n\s+visibility: namespace\n\s+envBindings:\n\s+address: PAYMENTS_URL/);
    expect(ctx.outputs.changedFiles.some((f: string) => f.includes('/releases/'))).toBe(true);
    const model = await fixture.repository.model();
    expect(model.problems.filter(p => p.severity === 'error')).toEqual([]);
  });

  it.each([
    [{ dependsOn: { component: 'payments-api', endpoint: 'soap' } }, /dependsOn.endpoint: Component payments-api has no endpoint "soap" \(it has: rest\)/],
    [{ dependsOn: { component: 'ghost', endpoint: 'rest' } }, /dependsOn.component: Component "ghost" does not exist/],
    [{ dependsOn: { project: 'storefront', component: 'payments-api', endpoint: 'rest' } }, /dependsOn.project: Component payments-api belongs to project payments/],
    [{ envBindings: { address: 'not a var' } }, /envBindings.address must be an environment variable name/],
    [{ envBindings: { address: 'CART_TTL' } }, /^envBindings.address: CART_TTL is already set by the container env; choose another variable name$/],
    [{ envBindings: { address: 'PAYMENTS', host: 'PAYMENTS' } }, /^envBindings.host: PAYMENTS is already set by envBindings.address/],
    [{ dependsOn: { project: '../x', component: 'payments-api', endpoint: 'rest' } }, /^dependsOn.project must be an RFC 1123 label/],
    [{ dependsOn: { component: 'payments-api' } }, /^dependsOn.endpoint is required$/],
  ])('refuses %j naming the field, writing nothing', async (change, message) => {
    const head = fixture.head();
    await expect(createDependencyAddAction(fixture.options).handler(actionContext({ ...input, ...change }))).rejects.toThrow(message);
    expect(fixture.head()).toBe(head);
  });
});
