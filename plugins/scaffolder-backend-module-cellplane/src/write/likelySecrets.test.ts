import { InputError } from '@backstage/errors';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createComponentCreateAction } from '../actions/createComponent';
import { createEnvironmentOverrideAction } from '../actions/overrideEnvironment';

// Secret-shaped values are assembled at run time so the source holds none for scanners to flag.
const SECRETS = {
  awsAccessKeyId: ['AKIA', 'Z3MSJV4WWOLZ7TQG'].join(''),
  awsSecretAccessKey: ['wJalrXUtnFEMI', 'K7MDENGbPxRfiCYzzRANDOMzzK'].join('/'),
  githubToken: ['ghp_', 'R4nd0mT0k3nV4lu3', 'F0rT3st1ngOnlyXyZ123'].join(''),
  slackToken: ['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-'),
  privateKey: [
    `-----BEGIN ${'RSA PRIVATE'} KEY-----`,
    'MIIEpAIBAAKCAQEA7yn3bRHQ5FHMQ0bz3Q0MZ1Y0Q3vCk2wMZ0a1bK1nK2vNq8Xo',
    'Zt5Wm3kHk9s0Lr0Yh2mQ8pVv4rQk1bB9nR7eT6yU5iO4pA3sD2fG1hJ0kL9zX8c',
    `-----END ${'RSA PRIVATE'} KEY-----`,
  ].join('\n'),
};

/** A logger that keeps every line, to show what a task's log would hold. */
function recordingLogger() {
  const lines: string[] = [];
  const logger: any = {
    lines,
    child: () => logger,
  };
  for (const level of ['error', 'warn', 'info', 'debug']) {
    logger[level] = (message: string, meta?: unknown) => lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
  }
  return logger;
}

describe('likely secrets in what a change writes (issue #11, item 9)', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const override = (env: Array<{ key: string; value: string }>, extra: Record<string, unknown> = {}) => ({
    namespace: 'acme',
    component: 'payments-api',
    environment: 'staging',
    env: [{ key: 'LOG_LEVEL', value: 'debug' }, ...env],
    ...extra,
  });
  const BINDING = 'namespaces/acme/projects/payments/components/payments-api/release-bindings/payments-api-staging.yaml';

  it.each([
    ['an AWS access key id', 'AWS_ACCESS_KEY_ID', SECRETS.awsAccessKeyId, /AWSAccessKeyID/],
    ['an AWS secret access key', 'AWS_SECRET_ACCESS_KEY', SECRETS.awsSecretAccessKey, /AWSSecretAccessKey/],
    ['a GitHub token', 'GITHUB_TOKEN', SECRETS.githubToken, /GITHUB_TOKEN/],
    ['a Slack token', 'SLACK_TOKEN', SECRETS.slackToken, /SLACK_TOKEN/],
    ['a private key', 'TLS_KEY', SECRETS.privateKey, /PRIVATE ?KEY|PrivateKey/i],
  ])('refuses %s in an env override, naming file and field, pointing at SecretReference, never repeating it', async (_, key, value, looksLike) => {
    const head = fixture.head();
    const ctx = actionContext(override([{ key, value }]));
    ctx.logger = recordingLogger();
    const error = await createEnvironmentOverrideAction(fixture.options).handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(new RegExp(`${BINDING}: spec.workloadOverrides.container.env\\[\\d\\].value \\(${key}\\) looks like`));
    expect(error.message).toMatch(looksLike);
    expect(error.message).toMatch(/SecretReference/);
    expect(error.message).toMatch(/allowLikelySecrets: true/);
    expect(`${error.message} ${error.stack} ${ctx.logger.lines.join('\n')}`).not.toContain(value.split('\n')[1] ?? value);
    expect(`${error.message} ${ctx.logger.lines.join('\n')}`).not.toContain(value);
    expect(fixture.head()).toBe(head);
  });

  it('refuses a GitHub token in a new component’s env, in a dry run too', async () => {
    const input = {
      namespace: 'acme',
      project: 'payments',
      name: 'refunds-api',
      componentType: 'deployment/service',
      image: 'ghcr.io/acme/refunds-api:1.0.0',
      endpoints: { rest: { type: 'HTTP', port: 8080 } },
      env: [{ key: 'GITHUB_TOKEN', value: SECRETS.githubToken }],
    };
    const head = fixture.head();
    for (const isDryRun of [true, false]) {
      const error = await createComponentCreateAction(fixture.options).handler(actionContext(input, { isDryRun })).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/components\/refunds-api\/workload.yaml: spec.container.env\[0\].value \(GITHUB_TOKEN\) looks like GITHUB_TOKEN/);
      expect(error.message).not.toContain(SECRETS.githubToken);
    }
    expect(fixture.head()).toBe(head);
  });

  it('writes it when allowLikelySecrets is true, warns naming the field only, and masks it in the dry-run diff', async () => {
    const input = override([{ key: 'GITHUB_TOKEN', value: SECRETS.githubToken }], { allowLikelySecrets: true });
    const dry = actionContext(input, { isDryRun: true });
    dry.logger = recordingLogger();
    await createEnvironmentOverrideAction(fixture.options).handler(dry);
    expect(dry.outputs.diff).toMatch(/\+\s+value: \*\*\*\*/);
    expect(dry.outputs.diff).not.toContain(SECRETS.githubToken);

    const ctx = actionContext(input);
    ctx.logger = recordingLogger();
    await createEnvironmentOverrideAction(fixture.options).handler(ctx);
    expect(fixture.show(BINDING)).toContain(SECRETS.githubToken);
    expect(ctx.logger.lines.join('\n')).toMatch(/look like secrets.*payments-api-staging.yaml: spec.workloadOverrides.container.env\[\d\].value/);
    expect([...ctx.logger.lines, ...dry.logger.lines].join('\n')).not.toContain(SECRETS.githubToken);
  });

  it('passes ordinary values, secret references, and a secret the file already held', async () => {
    const ordinary = actionContext(
      override([
        { key: 'FEATURE_FLAGS', value: 'checkout-v2,fast-refunds' },
        { key: 'GREETING', value: 'aGVsbG8gd29ybGQ=' },
        { key: 'CALLBACK_URL', value: 'https://payments.acme.example/callback?x=1' },
      ]),
    );
    await createEnvironmentOverrideAction(fixture.options).handler(ordinary);
    expect(fixture.show(BINDING)).toContain('checkout-v2,fast-refunds');

    // Someone allowed a token earlier; an unrelated change of the same binding is not refused for it.
    await createEnvironmentOverrideAction(fixture.options).handler(
      actionContext(override([{ key: 'GITHUB_TOKEN', value: SECRETS.githubToken }], { allowLikelySecrets: true })),
    );
    const later = actionContext({ namespace: 'acme', component: 'payments-api', environment: 'staging', componentTypeEnvironmentConfigs: { replicas: 4 } });
    await createEnvironmentOverrideAction(fixture.options).handler(later);
    expect(fixture.show(BINDING)).toContain('replicas: 4');
  });
});
