import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { parsePromotionBranch } from '@cellplane/backstage-plugin-node';
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { execFileSync } from 'node:child_process';
import { fakeGithubApi, githubIntegrations, githubStandIn } from '../__testUtils__/fakeGithub';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEndpointAddAction } from '../actions/addEndpoint';
import { createComponentPromoteAction } from '../actions/promoteComponent';
import { createComponentRollbackAction } from '../actions/rollbackComponent';
import { validatePublishInput } from './writeChange';

const FUZZ_RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS ?? 300);
const WEB_SHOP = 'namespaces/acme/projects/storefront/components/web-shop';
const PIPELINE = 'namespaces/acme/platform/infra/deployment-pipelines/standard.yaml';
const STAGING = 'namespaces/acme/platform/infra/environments/staging.yaml';

/** Issue #11, item 8: `publish.branch: ../../main` passed a dry run. */
describe('publish input', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const input = { namespace: 'acme', component: 'cart-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } };

  it.each([
    '../../main',
    '-upload-pack=evil',
    '--force',
    'feature..x',
    'a/.hidden',
    'ends-with/',
    'x.lock',
    'refs/x.lock/y',
    'with space',
    'tab\there',
    'new\nline',
    'a~1',
    'a^2',
    'a:b',
    'what?',
    'st*r',
    'br[acket',
    'back\\slash',
    'at@{1}',
    'HEAD',
    '',
    'x'.repeat(256),
    'main',
  ])('refuses publish.branch %j in a dry run, naming the field, before any work', async branch => {
    const ctx = actionContext({ ...input, publish: { mode: 'pull-request', branch } }, { isDryRun: true });
    const error = await createEndpointAddAction(fixture.options).handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^publish\.branch /);
    expect(ctx.outputs.diff).toBeUndefined();
  });

  it.each([
    ['', /publish.title must be a non-empty string/],
    ['Add admin\n\nSigned-off-by: someone-else', /publish.title must be one line/],
    ['x'.repeat(257), /publish.title is 257 characters long; at most 256/],
  ])('refuses publish.title %j', async (title, message) => {
    const ctx = actionContext({ ...input, publish: { mode: 'pull-request', title } }, { isDryRun: true });
    await expect(createEndpointAddAction(fixture.options).handler(ctx)).rejects.toThrow(message);
  });

  it('accepts ordinary branch names and titles', () => {
    for (const branch of ['cellplane/task-1', 'feature/add-admin_endpoint', 'release-1.2', 'user/ada/fix']) {
      expect(() => validatePublishInput({ mode: 'pull-request', branch, title: 'Add endpoint admin to cart-api' }, 'main')).not.toThrow();
    }
  });

  it('accepts only names git check-ref-format accepts as a branch (property)', () => {
    const alphabet = ['a', 'b', '1', '.', '/', '-', '_', '@', '{', '~', '^', ':', '?', '*', '[', '\\', ' ', '\n', 'L', 'o', 'c', 'k', '\u00e9'];
    const property = fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 12 }).map(chars => chars.join('')), branch => {
      try {
        validatePublishInput({ branch }, 'main');
      } catch (error) {
        if (error instanceof InputError) return true; // refused: nothing more to check
        throw error;
      }
      // whatever we accept, git accepts as a branch name
      try {
        execFileSync('git', ['check-ref-format', '--branch', branch], { stdio: 'pipe' });
        return true;
      } catch {
        return false;
      }
    });
    expect(() => fc.assert(property, { seed: 42, numRuns: FUZZ_RUNS })).not.toThrow();
  });
});

/**
 * Issue #14: an environment's `cellplane.dev/publish` annotation and a promotion path's
 * `requiresApproval` decide that a write goes by pull request (the review is the approval),
 * whatever the input asks. The example's production says `pull-request`.
 */
describe('publish mode per environment and promotion path', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  let fixture: ReturnType<typeof repositoryFixture>;
  let releaseInStaging: string;
  beforeEach(async () => {
    fixture = repositoryFixture();
    await createComponentPromoteAction(fixture.options).handler(actionContext({ namespace: 'acme', component: 'web-shop', to: 'staging' }));
    releaseInStaging = /releaseName: (\S+)/.exec(fixture.show(`${WEB_SHOP}/release-bindings/web-shop-staging.yaml`))![1];
  });
  afterEach(() => fixture.cleanup());

  const onGithub = () => ({ ...fixture.options, repository: githubStandIn(fixture.repository), integrations: githubIntegrations });
  const toProduction = { namespace: 'acme', component: 'web-shop', from: 'staging', to: 'production' };

  it('opens a pull request for a promotion into production, which the pipeline lists as awaiting approval', async () => {
    const github = fakeGithubApi(server);
    const head = fixture.head();
    const ctx = actionContext(toProduction);
    await createComponentPromoteAction(onGithub()).handler(ctx);

    expect(fixture.head()).toBe(head); // nothing pushed to the GitOps branch
    expect(ctx.outputs.publishMode).toBe('pull-request');
    expect(ctx.outputs.pullRequestUrl).toBe('https://github.com/acme/gitops/pull/7');
    expect(ctx.outputs.releaseName).toBe(releaseInStaging);
    const branch = github.requests.pull[0].head;
    expect(branch).toMatch(/^cellplane\/promote\/acme\/web-shop\/production-[0-9a-f]{8}$/);
    expect(github.requests.pull[0].title).toBe(`Promote acme/web-shop from staging to production (${releaseInStaging})`);
    const paths = github.requests.tree[0].tree.map((entry: any) => entry.path);
    expect(paths).toContain(`${WEB_SHOP}/release-bindings/web-shop-production.yaml`);

    // The branch says what the pull request would change: the pipeline lists it as awaiting approval there.
    expect(parsePromotionBranch(branch)).toEqual(expect.objectContaining({ action: 'promote', namespace: 'acme', component: 'web-shop', environment: 'production' }));
  });

  it('opens a pull request for a rollback in production, on a rollback branch', async () => {
    const github = fakeGithubApi(server);
    const ctx = actionContext({ namespace: 'acme', component: 'web-shop', environment: 'production', release: releaseInStaging });
    await createComponentRollbackAction(onGithub()).handler(ctx);
    expect(ctx.outputs.publishMode).toBe('pull-request');
    expect(github.requests.pull[0].head).toMatch(/^cellplane\/rollback\/acme\/web-shop\/production-[0-9a-f]{8}$/);
  });

  it("refuses publish.mode 'commit' into a pull-request environment, naming the environment and the annotation, dry run alike", async () => {
    fakeGithubApi(server);
    const head = fixture.head();
    for (const isDryRun of [true, false]) {
      const error = await createComponentPromoteAction(onGithub())
        .handler(actionContext({ ...toProduction, publish: { mode: 'commit' } }, { isDryRun }))
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^publish\.mode 'commit' is refused: Environment acme\/production says cellplane\.dev\/publish: pull-request/);
    }
    expect(fixture.head()).toBe(head);
  });

  it('refuses a write to a pull-request environment of a repository with no Git host, saying what to configure, dry run alike', async () => {
    const head = fixture.head();
    for (const isDryRun of [true, false]) {
      const error = await createComponentPromoteAction(fixture.options).handler(actionContext(toProduction, { isDryRun })).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain('Environment acme/production says cellplane.dev/publish: pull-request');
      expect(error.message).toContain('Set cellplane.gitops.url to the https URL of a GitHub or GitLab repository');
      expect(error.message).not.toContain(fixture.bare); // no server path
    }
    expect(fixture.head()).toBe(head);
  });

  it('says which integration to add when the https host has none', async () => {
    const repository = Object.create(fixture.repository);
    Object.defineProperty(repository, 'url', { value: 'https://git.example.com/acme/gitops.git' });
    const none = { ...fixture.options, repository, integrations: ScmIntegrations.fromConfig(new ConfigReader({})) };
    await expect(createComponentPromoteAction(none).handler(actionContext(toProduction, { isDryRun: true }))).rejects.toThrow(
      /no Backstage integration is configured for the host of cellplane.gitops.url \(https:\/\/git.example.com\/acme\/gitops.git\): add git.example.com under integrations.github/,
    );
  });

  it('previews a pull-request write: the dry run says how it will be published', async () => {
    const ctx = actionContext(toProduction, { isDryRun: true });
    await createComponentPromoteAction(onGithub()).handler(ctx);
    expect(ctx.outputs.publishMode).toBe('pull-request');
    expect(ctx.outputs.diff).toContain(`releaseName: ${releaseInStaging}`);
    const staging = actionContext({ namespace: 'acme', component: 'web-shop', to: 'staging' }, { isDryRun: true });
    await createComponentPromoteAction(onGithub()).handler(staging);
    expect(staging.outputs.publishMode).toBe('commit');
  });

  it('commits a change to a live spec production follows: the annotation governs what addresses production (bindings), the permission what reaches it', async () => {
    const ctx = actionContext({ namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } });
    await createEndpointAddAction(fixture.options).handler(ctx);
    expect(ctx.outputs.publishMode).toBe('commit');
    expect(ctx.outputs.productionEnvironments).toEqual(['acme/production']);
  });

  it('opens a pull request for a promotion along a path that requires approval, and refuses commit for it', async () => {
    await fixture.repository.commit({
      message: 'Staging needs an approval',
      author: { name: 'Test', email: 'test@acme.example' },
      changes: () => [
        { path: PIPELINE, content: fixture.show(PIPELINE).replace('        - name: staging\n', '        - name: staging\n          requiresApproval: true\n') },
      ],
    });
    expect(fixture.show(PIPELINE)).toContain('requiresApproval: true');
    const github = fakeGithubApi(server);
    const ctx = actionContext({ namespace: 'acme', component: 'cart-api', to: 'staging' });
    await createComponentPromoteAction(onGithub()).handler(ctx);
    expect(ctx.outputs.publishMode).toBe('pull-request');
    expect(github.requests.pull[0].head).toMatch(/^cellplane\/promote\/acme\/cart-api\/staging-[0-9a-f]{8}$/);

    await expect(
      createComponentPromoteAction(onGithub()).handler(actionContext({ namespace: 'acme', component: 'cart-api', to: 'staging', publish: { mode: 'commit' } })),
    ).rejects.toThrow(/publish.mode 'commit' is refused: the promotion path development → staging of DeploymentPipeline standard requires approval/);
    // locally, the same promotion cannot be approved: refused, saying what to configure
    await expect(createComponentPromoteAction(fixture.options).handler(actionContext({ namespace: 'acme', component: 'cart-api', to: 'staging' }))).rejects.toThrow(
      /requires approval\), but the GitOps repository is a local repository/,
    );
  });

  it('takes no write to an environment whose publish annotation is neither mode: it is a model problem until fixed', async () => {
    await fixture.repository.commit({
      message: 'A misspelt mode',
      author: { name: 'Test', email: 'test@acme.example' },
      changes: () => [
        { path: STAGING, content: fixture.show(STAGING).replace('  annotations:\n', '  annotations:\n    cellplane.dev/publish: pull_request\n') },
      ],
    });
    await expect(
      createComponentPromoteAction(fixture.options).handler(actionContext({ namespace: 'acme', component: 'cart-api', to: 'staging' }, { isDryRun: true })),
    ).rejects.toThrow(/to: Environment "staging" does not exist/);
    const problems = (await fixture.repository.model()).problems.map(problem => problem.message);
    expect(problems).toContainEqual(expect.stringMatching(/^must be commit or pull-request/));
  });
});
