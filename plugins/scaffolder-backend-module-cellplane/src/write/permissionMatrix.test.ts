import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { setupServer } from 'msw/node';
import { fakeGithubApi, githubIntegrations, githubStandIn } from '../__testUtils__/fakeGithub';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import {
  createComponentCreateAction,
  createComponentPromoteAction,
  createComponentRollbackAction,
  createDependencyAddAction,
  createEndpointAddAction,
  createEnvironmentOverrideAction,
  createProjectCreateAction,
  createResourceClaimAction,
} from '../actions';
import { CellplaneActionOptions } from './writeChange';

const PRODUCTION = 'cellplane.component.promote.production';
const ENVIRONMENTS = 'namespaces/acme/platform/infra/environments';
const DEV_BINDING = 'namespaces/acme/projects/payments/components/payments-api/release-bindings/payments-api-development.yaml';

/**
 * Issue #11: every action × a user with and without each permission it needs × an example
 * organisation whose environments are all production or none × commit and pull-request mode.
 * Allowed cases write (a commit, or a pull request on a stand-in of GitHub's API); denied
 * cases write nothing (no commit, no GitHub request that makes anything) and name the
 * permission the user lacks.
 *
 * "All environments production" makes every environment a change touches a production one,
 * so the production permission must be needed exactly by the actions that touch any
 * environment: all but project:create.
 */
interface Scenario {
  action: (options: CellplaneActionOptions) => TemplateAction<any, any, any>;
  /** The permissions the action itself asks for. */
  permissions: string[];
  /** Whether its change touches an environment (its bindings or rendered manifests). */
  touchesEnvironments: boolean;
  input: (prepared: Prepared) => Record<string, unknown>;
}

/** What the prepared repository holds: two releases of payments-api, the first one in staging. */
interface Prepared {
  firstRelease: string;
}

const SCENARIOS: Record<string, Scenario> = {
  'cellplane:project:create': {
    action: createProjectCreateAction,
    permissions: ['cellplane.project.create'],
    touchesEnvironments: false,
    input: () => ({ namespace: 'acme', name: 'checkout' }),
  },
  'cellplane:component:create': {
    action: createComponentCreateAction,
    permissions: ['cellplane.component.create'],
    touchesEnvironments: true, // autoDeploy: the first environment's binding
    input: () => ({
      namespace: 'acme',
      project: 'payments',
      name: 'refunds-api',
      componentType: 'deployment/service',
      image: 'ghcr.io/acme/refunds-api:1.0.0',
      endpoints: { rest: { type: 'HTTP', port: 8080 } },
    }),
  },
  'cellplane:endpoint:add': {
    action: createEndpointAddAction,
    permissions: ['cellplane.component.update'],
    touchesEnvironments: true,
    input: () => ({ namespace: 'acme', component: 'payments-api', name: 'debug', endpoint: { type: 'HTTP', port: 9200 } }),
  },
  'cellplane:dependency:add': {
    action: createDependencyAddAction,
    permissions: ['cellplane.component.update'],
    touchesEnvironments: true,
    input: () => ({
      namespace: 'acme',
      component: 'cart-api',
      dependsOn: { project: 'payments', component: 'payments-api', endpoint: 'rest' },
      envBindings: { address: 'PAYMENTS_URL' },
    }),
  },
  'cellplane:environment:override': {
    action: createEnvironmentOverrideAction,
    permissions: ['cellplane.component.update'],
    touchesEnvironments: true,
    input: () => ({ namespace: 'acme', component: 'payments-api', environment: 'staging', componentTypeEnvironmentConfigs: { replicas: 4 } }),
  },
  'cellplane:component:promote': {
    action: createComponentPromoteAction,
    permissions: ['cellplane.component.promote'],
    touchesEnvironments: true,
    input: () => ({ namespace: 'acme', component: 'payments-api', from: 'staging', to: 'production' }),
  },
  'cellplane:component:rollback': {
    action: createComponentRollbackAction,
    permissions: ['cellplane.component.promote'],
    touchesEnvironments: true,
    input: ({ firstRelease }) => ({ namespace: 'acme', component: 'payments-api', environment: 'development', release: firstRelease }),
  },
  'cellplane:resource:claim': {
    action: createResourceClaimAction,
    permissions: ['cellplane.resource.claim', 'cellplane.component.update'],
    touchesEnvironments: true,
    input: () => ({
      namespace: 'acme',
      project: 'storefront',
      name: 'cart-db',
      resourceType: 'postgres',
      parameters: { version: '16', database: 'cart', username: 'cart_app' },
      consumer: { component: 'cart-api', envBindings: { host: 'DB_HOST' } },
    }),
  },
};

type World = 'production' | 'non-production';

function branchHeadAfter(now: string, before: string, commitMade: string | undefined) {
  if (now === before) return 'unchanged';
  return now === commitMade ? 'the commit made' : `moved to ${now}`;
}
type Mode = 'commit' | 'pull-request';

interface Case {
  action: string;
  world: World;
  mode: Mode;
  denied: string | undefined;
  allowed: boolean;
}

const cases: Case[] = Object.entries(SCENARIOS).flatMap(([action, scenario]) =>
  (['production', 'non-production'] as World[]).flatMap(world => {
    const required = [...scenario.permissions, ...(world === 'production' && scenario.touchesEnvironments ? [PRODUCTION] : [])];
    return (['commit', 'pull-request'] as Mode[]).flatMap(mode =>
      [undefined, ...scenario.permissions, PRODUCTION].map(denied => ({
        action,
        world,
        mode,
        denied,
        allowed: denied === undefined || !required.includes(denied),
      })),
    );
  }),
);

describe('permission matrix of the write path', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const prepared = new Map<World, { fixture: ReturnType<typeof repositoryFixture>; state: Prepared }>();

  /** The example organisation with every environment (not) production, and releases to move. */
  async function prepare(world: World) {
    // the matrix chooses the publish mode per case: production's own annotation says commit here
    const fixture = repositoryFixture({ productionPublishes: 'commit' });
    const isProduction = world === 'production';
    await fixture.repository.commit({
      message: `Every environment ${isProduction ? 'is' : 'is not'} production`,
      author: { name: 'Test', email: 'test@acme.example' },
      changes: () =>
        ['development', 'staging', 'production'].map(environment => ({
          path: `${ENVIRONMENTS}/${environment}.yaml`,
          content: fixture.show(`${ENVIRONMENTS}/${environment}.yaml`).replace(/isProduction: \w+/, `isProduction: ${isProduction}`),
        })),
    });
    // payments-api: a first release in development and staging, a second in development
    await createEndpointAddAction(fixture.options).handler(
      actionContext({ namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } }),
    );
    const firstRelease = /releaseName: (\S+)/.exec(fixture.show(DEV_BINDING))![1];
    await createComponentPromoteAction(fixture.options).handler(actionContext({ namespace: 'acme', component: 'payments-api', to: 'staging' }));
    await createEndpointAddAction(fixture.options).handler(
      actionContext({ namespace: 'acme', component: 'payments-api', name: 'metrics', endpoint: { type: 'HTTP', port: 9100 } }),
    );
    prepared.set(world, { fixture, state: { firstRelease } });
  }

  beforeAll(async () => {
    await prepare('production');
    await prepare('non-production');
  }, 120_000);
  afterAll(() => prepared.forEach(({ fixture }) => fixture.cleanup()));

  let fixture: ReturnType<typeof repositoryFixture> | undefined;
  afterEach(() => fixture?.cleanup());

  it.each(cases.map(c => [`${c.action} · ${c.world} · ${c.mode} · ${c.denied ? `without ${c.denied}` : 'every permission'} → ${c.allowed ? 'writes' : 'refused'}`, c] as const))(
    '%s',
    async (_, { action, world, mode, denied, allowed }) => {
      const { fixture: template, state } = prepared.get(world)!;
      fixture = repositoryFixture({ from: template.bare });
      const head = fixture.head();
      const scenario = SCENARIOS[action];
      const github = mode === 'pull-request' ? fakeGithubApi(server) : undefined;
      const options: CellplaneActionOptions = {
        ...fixture.options,
        permissions: fixture.denying(...(denied ? [denied] : [])),
        ...(github ? { repository: githubStandIn(fixture.repository), integrations: githubIntegrations } : {}),
      };
      const ctx = actionContext({ ...scenario.input(state), publish: { mode } });
      const result = await scenario
        .action(options)
        .handler(ctx)
        .then(
          () => undefined,
          error => error,
        );

      // What a user would notice, compared in one go with what this case should give.
      const githubWrites = github ? Object.values(github.requests).flat().length : 0;
      const observed = {
        refused: result instanceof NotAllowedError,
        refusalNamesPermission: result instanceof NotAllowedError && denied !== undefined && result.message.includes(denied),
        unexpectedError: result && !(result instanceof NotAllowedError) ? String(result) : undefined,
        commitsMade: fixture.commitCount() - template.commitCount(),
        branchHead: branchHeadAfter(fixture.head(), head, ctx.outputs.commitSha),
        pullRequestsOpened: github?.requests.pull.length ?? 0,
        githubWritesWhenRefused: allowed ? 0 : githubWrites,
        catalogTold: (fixture.events.publish as jest.Mock).mock.calls.length,
        productionEnvironmentsReported: ctx.outputs.productionEnvironments !== undefined,
      };
      expect(observed).toEqual({
        refused: !allowed,
        refusalNamesPermission: !allowed,
        unexpectedError: undefined,
        commitsMade: allowed && mode === 'commit' ? 1 : 0,
        branchHead: allowed && mode === 'commit' ? 'the commit made' : 'unchanged',
        pullRequestsOpened: allowed && mode === 'pull-request' ? 1 : 0,
        githubWritesWhenRefused: 0,
        catalogTold: allowed && mode === 'commit' ? 1 : 0,
        productionEnvironmentsReported: allowed && world === 'production' && scenario.touchesEnvironments,
      });
    },
    30_000,
  );
});
