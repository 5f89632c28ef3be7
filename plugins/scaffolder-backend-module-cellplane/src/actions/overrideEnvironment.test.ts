import { NotAllowedError } from '@backstage/errors';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEnvironmentOverrideAction } from './overrideEnvironment';

const BINDINGS = 'namespaces/acme/projects/payments/components/payments-api/release-bindings';

describe('cellplane:environment:override', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const input = {
    namespace: 'acme',
    component: 'payments-api',
    environment: 'staging',
    componentTypeEnvironmentConfigs: { replicas: 3 },
    traitEnvironmentConfigs: { autoscaler: { minReplicas: 3, maxReplicas: 6 } },
    env: [
      { key: 'LOG_LEVEL', value: 'debug' },
      { key: 'GATEWAY_KEY', secretRef: { name: 'payment-gateway-credentials', key: 'api-key' } },
    ],
  };

  it('writes the overrides into the environment’s binding only, keeping the rest', async () => {
    const ctx = actionContext(input);
    await createEnvironmentOverrideAction(fixture.options).handler(ctx);
    expect(fixture.filesOf(ctx.outputs.commitSha)).toEqual([
      `${BINDINGS}/payments-api-staging.yaml`,
      'rendered/default/acme/staging/payments/components/payments-api.yaml',
      'rendered/index.txt',
    ]);
    expect(fixture.show('rendered/default/acme/staging/payments/components/payments-api.yaml')).toMatch(/LOG_LEVEL: debug/);
    const binding = fixture.show(`${BINDINGS}/payments-api-staging.yaml`);
    expect(binding).toContain('replicas: 3');
    expect(binding).toMatch(/autoscaler:\n\s+minReplicas: 3\n\s+maxReplicas: 6/);
    expect(binding).toContain('key: PAYMENT_GATEWAY_BASE_URL'); // earlier override kept
    expect(binding).toMatch(/key: LOG_LEVEL\n\s+value: debug/);
    // a secret reaches Git only as a reference to the secret store
    expect(binding).toMatch(/key: GATEWAY_KEY\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: payment-gateway-credentials\n\s+key: api-key/);
  });

  it.each([
    [{ environment: 'qa' }, /environment: Environment "qa" does not exist/],
    [{ traitEnvironmentConfigs: { scaler: {} } }, /traitEnvironmentConfigs.scaler: component payments-api has no trait instance "scaler"/],
    [{ componentTypeEnvironmentConfigs: { replicas: 'three' } }, /componentTypeEnvironmentConfigs.replicas: must be integer/],
    [{ env: [{ key: '1BAD', value: 'x' }] }, /env\[0\].key must be an environment variable name/],
    [{ env: [{ key: 'A' }] }, /env\[0\]: give exactly one of value and secretRef/],
    [{ traitEnvironmentConfigs: { autoscaler: { minReplicas: 1, maxReplicas: 1e9 } } }, /^traitEnvironmentConfigs.autoscaler.maxReplicas must be a whole number 0-1000, got 1000000000$/],
    [{ componentTypeEnvironmentConfigs: { replicas: 1e9 } }, /^componentTypeEnvironmentConfigs.replicas must be a whole number 0-1000, got 1000000000$/],
    [{ env: [{ key: 'LOG_LEVEL', value: 'debug' }, { key: 'LOG_LEVEL', value: 'info' }] }, /^env\[1\].key: LOG_LEVEL is already set by env\[0\]/],
    [{ env: [{ key: 'A', secretRef: { name: '../x', key: 'x' } }] }, /^env\[0\].secretRef.name must be an RFC 1123 subdomain/],
    [{ environment: ['staging'] }, /^environment must be a string, got a list$/],
    [{ env: [{ key: 'A', secretRef: { name: 'nope', key: 'x' } }] }, /env\[0\].secretRef.name: SecretReference "nope" does not exist/],
    [
      { env: [{ key: 'A', secretRef: { name: 'payment-gateway-credentials', key: 'pin' } }] },
      /env\[0\].secretRef.key: SecretReference payment-gateway-credentials has no key "pin" \(it has: api-key, webhook-signing-secret\)/,
    ],
  ])('refuses %j naming the field, writing nothing', async (change, message) => {
    const head = fixture.head();
    await expect(createEnvironmentOverrideAction(fixture.options).handler(actionContext({ ...input, ...change }))).rejects.toThrow(message);
    expect(fixture.head()).toBe(head);
  });

  it('needs the production permission to change a production binding', async () => {
    const action = createEnvironmentOverrideAction({ ...fixture.options, permissions: fixture.denying('cellplane.component.promote.production') });
    const head = fixture.head();
    await expect(action.handler(actionContext({ ...input, environment: 'production' }))).rejects.toThrow(NotAllowedError);
    expect(fixture.head()).toBe(head);
  });
});
