import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createResourceClaimAction } from './claimResource';

const PROJECT = 'namespaces/acme/projects/storefront';

describe('cellplane:resource:claim', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    // about the claim's files: production (which a claim binds too) publishes by commit here
    fixture = repositoryFixture({ productionPublishes: 'commit' });
  });
  afterEach(() => fixture.cleanup());

  const input = {
    namespace: 'acme',
    project: 'storefront',
    name: 'cart-db',
    resourceType: 'postgres',
    parameters: { version: '16', database: 'cart', username: 'cart_app' },
    consumer: { component: 'cart-api', envBindings: { host: 'DB_HOST', port: 'DB_PORT' } },
  };

  it('claims the database in every environment and wires it into the component, in one commit', async () => {
    const ctx = actionContext(input);
    await createResourceClaimAction(fixture.options).handler(ctx);
    const files = fixture.filesOf(ctx.outputs.commitSha);
    expect(files).toEqual(
      expect.arrayContaining([
        `${PROJECT}/resources/cart-db/resource.yaml`,
        `${PROJECT}/resources/cart-db/release-bindings/cart-db-development.yaml`,
        `${PROJECT}/resources/cart-db/release-bindings/cart-db-staging.yaml`,
        `${PROJECT}/resources/cart-db/release-bindings/cart-db-production.yaml`,
        `${PROJECT}/components/cart-api/workload.yaml`,
      ]),
    );
    expect(fixture.show(`${PROJECT}/components/cart-api/workload.yaml`)).toMatch(/- ref: cart-db\n\s+envBindings:\n\s+host: DB_HOST/);
    const model = await fixture.repository.model();
    expect(model.problems.filter(p => p.severity === 'error')).toEqual([]);
  });

  it.each([
    [{ resourceType: 'mysql' }, /resourceType: no ResourceType "mysql" \(known: postgres\)/],
    [{ parameters: { version: '9' } }, /parameters.version: must be equal to one of the allowed values/],
    [{ name: 'payments-db' }, /name: Resource payments-db already exists/],
    [{ consumer: { component: 'payments-api', envBindings: {} } }, /consumer.component: payments-api belongs to project payments/],
    [{ consumer: { component: 'cart-api', envBindings: { hostname: 'DB_HOST' } } }, /^consumer.envBindings.hostname: ClusterResourceType postgres has no output "hostname" \(it has: host, port, database, username, password\)$/],
    [{ consumer: { component: 'cart-api', envBindings: { host: 'CART_TTL' } } }, /^consumer.envBindings.host: CART_TTL is already set by the container env/],
    [{ consumer: { component: 'cart-api', envBindings: { host: 'DB', port: 'DB' } } }, /^consumer.envBindings.port: DB is already set by consumer.envBindings.host/],
    [{ consumer: { component: 'cart-api', envBindings: { host: 'not a var' } } }, /^consumer.envBindings.host must be an environment variable name/],
    [{ description: 'x'.repeat(5000) }, /^description must be at most 4096 characters, got 5000$/],
    [{ resourceTypeKind: 'Database' }, /^resourceTypeKind must be one of "ResourceType", "ClusterResourceType", got "Database"$/],
  ])('refuses %j naming the field, writing nothing', async (change, message) => {
    const head = fixture.head();
    await expect(createResourceClaimAction(fixture.options).handler(actionContext({ ...input, ...change }))).rejects.toThrow(message);
    expect(fixture.head()).toBe(head);
  });
});
