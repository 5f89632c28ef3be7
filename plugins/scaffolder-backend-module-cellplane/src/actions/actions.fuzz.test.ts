import fc from 'fast-check';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createDependencyAddAction } from './addDependency';
import { createEndpointAddAction } from './addEndpoint';
import { createResourceClaimAction } from './claimResource';
import { createComponentCreateAction } from './createComponent';
import { createProjectCreateAction } from './createProject';
import { createEnvironmentOverrideAction } from './overrideEnvironment';
import { createComponentPromoteAction } from './promoteComponent';
import { createComponentRollbackAction } from './rollbackComponent';

/**
 * Every action's input, fuzzed through its handler against the real example repository: random
 * strings (control characters, unicode, huge), wrong types, missing and unknown fields, in place
 * of each field of a valid input, and arbitrary values as the whole input.
 *
 * Whatever the input, an action answers with success or with an InputError (naming the input
 * field), NotAllowedError or NotFoundError; never a TypeError or another 500. A refused input or a
 * dry run writes nothing.
 *
 * The seed is fixed and the count small so that the suite stays fast; for a release check run
 * `CELLPLANE_FUZZ_RUNS=1000 yarn backstage-cli package test --ci --watchAll=false src/actions/actions.fuzz`
 * (and CELLPLANE_FUZZ_SEED to try other seeds).
 */
const RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS) || 30;
const SEED = Number(process.env.CELLPLANE_FUZZ_SEED) || 42;
const EXPECTED_ERRORS = ['InputError', 'NotAllowedError', 'NotFoundError'];

type ActionFactory = (options: ReturnType<typeof repositoryFixture>['options']) => {
  schema?: { input?: any };
  handler: (ctx: any) => Promise<void>;
};

const ACTIONS: Array<[string, ActionFactory, (release: string) => Record<string, unknown>]> = [
  [
    'cellplane:project:create',
    createProjectCreateAction,
    () => ({ namespace: 'acme', name: 'loyalty', displayName: 'Loyalty', owner: 'group:default/team-growth', deploymentPipeline: 'standard' }),
  ],
  [
    'cellplane:component:create',
    createComponentCreateAction,
    () => ({
      namespace: 'acme',
      project: 'payments',
      name: 'refunds-api',
      owner: 'group:default/team-payments',
      componentType: 'deployment/service',
      image: 'ghcr.io/acme/refunds-api:1.0.0',
      parameters: { terminationGracePeriodSeconds: 30 },
      endpoints: { rest: { type: 'HTTP', port: 8080, visibility: ['namespace'], basePath: '/refunds' } },
      env: [{ key: 'LOG_LEVEL', value: 'info' }],
      environmentConfigs: { replicas: 2 },
    }),
  ],
  [
    'cellplane:endpoint:add',
    createEndpointAddAction,
    () => ({ namespace: 'acme', component: 'cart-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000, basePath: '/admin' } }),
  ],
  [
    'cellplane:dependency:add',
    createDependencyAddAction,
    () => ({
      namespace: 'acme',
      component: 'cart-api',
      dependsOn: { project: 'payments', component: 'payments-api', endpoint: 'rest' },
      envBindings: { address: 'PAYMENTS_URL' },
    }),
  ],
  [
    'cellplane:environment:override',
    createEnvironmentOverrideAction,
    () => ({
      namespace: 'acme',
      component: 'payments-api',
      environment: 'staging',
      componentTypeEnvironmentConfigs: { replicas: 3 },
      traitEnvironmentConfigs: { autoscaler: { minReplicas: 3, maxReplicas: 6 } },
      env: [
        { key: 'LOG_LEVEL', value: 'debug' },
        { key: 'GATEWAY_KEY', secretRef: { name: 'payment-gateway-credentials', key: 'api-key' } },
      ],
    }),
  ],
  ['cellplane:component:promote', createComponentPromoteAction, () => ({ namespace: 'acme', component: 'payments-api', from: 'development', to: 'staging' })],
  [
    'cellplane:component:rollback',
    createComponentRollbackAction,
    release => ({ namespace: 'acme', component: 'payments-api', environment: 'development', release }),
  ],
  [
    'cellplane:resource:claim',
    createResourceClaimAction,
    () => ({
      namespace: 'acme',
      project: 'storefront',
      name: 'cart-db',
      resourceType: 'postgres',
      parameters: { version: '16', database: 'cart', username: 'cart_app' },
      consumer: { component: 'cart-api', envBindings: { host: 'DB_HOST' } },
    }),
  ],
];

/** Strings a hostile or careless user might type, and strings no one would. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../../main',
    '-x',
    '--upload-pack=evil',
    '$(rm -rf /)',
    'a\nb',
    'a\tb',
    '\u0000',
    '\u202e',
    'x:',
    'x@sha256:zz',
    'ACME',
    'acme',
    'standard',
    'evil/standard',
    'deploymentpipeline:other-ns/standard',
    'group:default/x',
    '/',
    '/a\nb',
    '__proto__',
    'constructor',
    '1e9',
    'null',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer({ min: 0, max: 70_000 }).map(n => 'a'.repeat(n)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e9, 65536, NaN, Infinity)), weight: 1 },
  { arbitrary: fc.constantFrom(null, undefined, true, false, [], {}), weight: 1 },
  { arbitrary: fc.array(hostileString, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }), weight: 1 },
);

/** Every path into a JSON value: the places a mutation can land. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

type Mutation = { path: string[]; kind: 'replace' | 'delete' | 'add'; value: unknown; extraKey: string };

function mutate(base: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const input = structuredClone(base);
  for (const { path, kind, value, extraKey } of mutations) {
    const parent = path.slice(0, -1).reduce<any>((node, key) => (node && typeof node === 'object' ? node[key] : undefined), input);
    if (!parent || typeof parent !== 'object') continue;
    const key = path[path.length - 1];
    if (kind === 'delete') delete parent[key];
    else if (kind === 'add') parent[extraKey] = value;
    else parent[key] = value;
  }
  return input;
}

/** The input fields an error may name: the action's own, or `input` for the whole. */
function namesAField(message: string, fields: string[]): boolean {
  return ['input', ...fields].some(field => new RegExp(`^${field}(\\.|\\[|:| |$)`).test(message));
}

describe('every action, fuzzed', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  let release: string;
  beforeAll(async () => {
    // production publishes by commit here: a fuzzed write to it should succeed or be refused for its input
    fixture = repositoryFixture({ productionPublishes: 'commit' });
    // A change to payments-api makes a release (and deploys it to development) to roll back to.
    const ctx = actionContext({ namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } });
    await createEndpointAddAction(fixture.options).handler(ctx);
    const model = await fixture.repository.model();
    release = model.componentReleases('acme', 'payments-api')[0].resource.metadata.name;
  });
  afterAll(() => fixture.cleanup());

  it.each(ACTIONS)('%s answers any input with success or a clear refusal, and a refusal writes nothing', async (_id, factory, baseOf) => {
    const action = factory(fixture.options);
    const fields = Object.keys(action.schema?.input?.properties ?? {});
    const base = baseOf(release);
    const paths = pathsOf(base);
    const mutation = fc.record({
      path: fc.constantFrom(...paths),
      kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'delete', 'add'),
      value: hostileValue,
      extraKey: hostileString,
    });
    const input = fc.oneof(
      { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map(m => mutate(base, m)), weight: 5 },
      { arbitrary: fc.anything(), weight: 1 },
    );

    await fc.assert(
      fc.asyncProperty(input, fc.boolean(), async (given, isDryRun) => {
        const head = fixture.head();
        let error: any;
        try {
          await action.handler(actionContext(given as any, { isDryRun }));
        } catch (e) {
          error = e;
        }
        const outcome = {
          error: error ? `${error.name}: ${error.message}` : 'none',
          expectedKind: !error || EXPECTED_ERRORS.includes(error.name),
          namesAField: error?.name !== 'InputError' || namesAField(error.message, fields),
          wroteAnyway: Boolean(error || isDryRun) && fixture.head() !== head,
        };
        expect(outcome).toEqual({ error: outcome.error, expectedKind: true, namesAField: true, wroteAnyway: false });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
