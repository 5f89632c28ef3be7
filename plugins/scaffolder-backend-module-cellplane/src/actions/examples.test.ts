import yaml from 'js-yaml';
import { githubIntegrations, githubStandIn } from '../__testUtils__/fakeGithub';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import * as actions from '.';

type Fixture = ReturnType<typeof repositoryFixture>;
type Action = { id: string; examples?: Array<{ description: string; example: string }>; handler(ctx: any): Promise<void> };

/** Every action this package exports, made for `options`. */
function allActions(options: Fixture['options']): Action[] {
  return Object.entries(actions)
    .filter(([name, value]) => /^create\w+Action$/.test(name) && typeof value === 'function')
    .map(([, create]) => (create as (o: Fixture['options']) => Action)(options));
}

/** The steps of every example of every action, by action and example. */
const examples = allActions({} as Fixture['options']).flatMap(action =>
  (action.examples ?? []).flatMap(({ description, example }) =>
    ((yaml.load(example) as { steps: Array<{ action: string; input: Record<string, unknown> }> }).steps ?? []).map(step => ({
      owner: action.id,
      description,
      step,
    })),
  ),
);

const PAYMENTS_API = 'namespaces/acme/projects/payments/components/payments-api';

/**
 * What the examples take for granted and the example organisation does not hold: a release of
 * payments-api running in staging (to promote to production), and an earlier release of it by
 * the name the rollback example gives (release names are content hashes, so the example's is a
 * stand-in: the fixture holds a copy of a real release under that name).
 */
async function prepareWhatExamplesAssume(fixture: Fixture, byId: Map<string, Action>) {
  // payments-api has autoDeploy: a change makes a release and deploys it to development.
  const change = { namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } };
  await byId.get('cellplane:endpoint:add')!.handler(actionContext(change));
  await byId.get('cellplane:component:promote')!.handler(actionContext({ namespace: 'acme', component: 'payments-api', to: 'staging' }));
  const release = /releaseName: (\S+)/.exec(fixture.show(`${PAYMENTS_API}/release-bindings/payments-api-staging.yaml`))![1];
  const rollback = examples.find(e => e.owner === 'cellplane:component:rollback')!.step.input.release as string;
  const content = fixture.show(`${PAYMENTS_API}/releases/${release}.yaml`).replace(`name: ${release}`, `name: ${rollback}`);
  await fixture.repository.commit({
    message: `An earlier release of payments-api, named as the rollback example names it`,
    author: { name: 'Test', email: 'test@example.com' },
    changes: () => [{ path: `${PAYMENTS_API}/releases/${rollback}.yaml`, content }],
  });
}

/**
 * The examples each action shows in the scaffolder's action list, run as a dry run against the
 * example organisation: a stale example (an unknown field, a component that is not there, a
 * change that no longer renders) fails here. A dry run computes and checks the whole change
 * (permissions, model, schemas, render, production) and writes nothing.
 */
describe('the examples of every action', () => {
  let fixture: Fixture;
  let byId: Map<string, Action>;
  beforeAll(async () => {
    fixture = repositoryFixture();
    // The example organisation as hosted on GitHub: its production publishes by pull request,
    // which a repository on disk cannot open. A dry run asks GitHub nothing.
    const hosted = { ...fixture.options, repository: githubStandIn(fixture.repository), integrations: githubIntegrations };
    byId = new Map(allActions(hosted).map(action => [action.id, action]));
    await prepareWhatExamplesAssume(fixture, byId);
  });
  afterAll(() => fixture.cleanup());

  it('every action has an example', () => {
    const owners = new Set(examples.map(e => e.owner));
    expect(allActions({} as Fixture['options']).map(action => action.id).filter(id => !owners.has(id))).toEqual([]);
  });

  it.each(examples.map(e => [e.owner, e.description, e] as const))('%s: %s', async (_owner, _description, { owner, step }) => {
    expect(step.action).toBe(owner);
    const head = fixture.head();
    const ctx = actionContext(step.input, { isDryRun: true });
    await byId.get(step.action)!.handler(ctx);
    expect(ctx.outputs.changedFiles.length).toBeGreaterThan(0);
    // what production runs changes by pull request only (the example's cellplane.dev/publish)
    const bindsProduction = ctx.outputs.changedFiles.some((file: string) => /release-bindings\/[^/]*-production\.yaml$/.test(file));
    const asked = (step.input.publish as { mode?: string } | undefined)?.mode;
    expect(ctx.outputs.publishMode).toBe(bindsProduction ? 'pull-request' : (asked ?? 'commit'));
    expect(fixture.head()).toBe(head);
  });
});
