import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEndpointAddAction } from './addEndpoint';

const DIR = 'namespaces/acme/projects/storefront/components/cart-api';

describe('cellplane:endpoint:add', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const input = { namespace: 'acme', component: 'cart-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000, basePath: '/admin' } };

  it('adds the endpoint and writes the new release in the same commit', async () => {
    const ctx = actionContext(input);
    await createEndpointAddAction(fixture.options).handler(ctx);
    const files = fixture.filesOf(ctx.outputs.commitSha);
    expect(files).toContain(`${DIR}/workload.yaml`);
    expect(files.filter(f => f.startsWith(`${DIR}/releases/`))).toHaveLength(1);
    expect(files).not.toContain(`${DIR}/component.yaml`); // unchanged, so not in the commit
    expect(fixture.show(`${DIR}/workload.yaml`)).toMatch(/admin:\n\s+type: HTTP\n\s+port: 9000\n\s+basePath: \/admin/);
  });

  it('refuses an endpoint name already taken by another endpoint', async () => {
    const head = fixture.head();
    const taken = { ...input, name: 'http', endpoint: { type: 'HTTP', port: 1234 } };
    const workload = fixture.show(`${DIR}/workload.yaml`);
    const name = /endpoints:\n\s+([a-z0-9-]+):/.exec(workload)![1];
    await expect(createEndpointAddAction(fixture.options).handler(actionContext({ ...taken, name }))).rejects.toThrow(
      new RegExp(`name: component cart-api already has an endpoint ${name}`),
    );
    expect(fixture.head()).toBe(head);
  });

  it('keeps the existing endpoint when another asks for its port', async () => {
    const head = fixture.head();
    const before = fixture.show(`${DIR}/workload.yaml`);
    const ctx = actionContext({ ...input, endpoint: { type: 'HTTP', port: 9090 } });
    await expect(createEndpointAddAction(fixture.options).handler(ctx)).rejects.toThrow(/already used by endpoint grpc/);
    expect(fixture.head()).toBe(head);
    expect(fixture.show(`${DIR}/workload.yaml`)).toBe(before);
  });

  it.each([
    [{ component: 'nope' }, /component: Component "nope" does not exist/],
    [{ endpoint: { type: 'HTTP', port: 0 } }, /endpoint.port must be a whole number 1-65535/],
    [{ endpoint: { type: 'HTTP', port: 80, basePath: 'admin' } }, /endpoint.basePath must start with '\/'/],
    [{ endpoint: { type: 'HTTP', port: 80, visibility: ['world'] } }, /endpoint.visibility\[0\] must be one of project, namespace/],
    [{ endpoint: { type: 'HTTP', port: 9090 } }, /^endpoint.port: port 9090 is already used by endpoint grpc; give endpoint admin another port$/],
    [{ endpoint: { type: 'HTTP', port: 80, basePath: '/admin\nX-Injected: 1' } }, /endpoint.basePath must be a URL path: no whitespace/],
    [{ endpoint: { type: 'HTTP', port: '80' } }, /^endpoint.port must be a number, got "80"$/],
    [{ endpoint: { type: 'HTTP', port: 80, colour: 'red' } }, /^endpoint: unknown field "colour" \(it takes type, port, visibility, basePath, displayName, schema\)$/],
    [{ namespace: undefined }, /^namespace is required$/],
  ])('refuses %j naming the field', async (change, message) => {
    const head = fixture.head();
    await expect(createEndpointAddAction(fixture.options).handler(actionContext({ ...input, ...change }))).rejects.toThrow(message);
    expect(fixture.head()).toBe(head);
  });
});
