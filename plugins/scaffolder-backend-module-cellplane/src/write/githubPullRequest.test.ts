import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fakeGithubApi, githubStandIn } from '../__testUtils__/fakeGithub';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createComponentCreateAction } from '../actions/createComponent';
import { openPullRequest } from './gitHosts';

describe('publish.mode pull-request', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({ integrations: { github: [{ host: 'github.com', token: 'ghp_test_token' }] } }),
  );

  const onGithub = () => githubStandIn(fixture.repository);
  const fakeGithub = () => fakeGithubApi(server);

  const createInput = {
    namespace: 'acme',
    project: 'payments',
    name: 'refunds-api',
    componentType: 'deployment/service',
    image: 'ghcr.io/acme/refunds-api:1.0.0',
    endpoints: { rest: { type: 'HTTP', port: 8080 } },
    publish: { mode: 'pull-request' },
  };

  it('opens a pull request with the change as one commit on a new branch, and pushes nothing', async () => {
    const github = fakeGithub();
    const requests = github.requests;
    const head = fixture.head();
    const action = createComponentCreateAction({ ...fixture.options, repository: onGithub(), integrations });
    const ctx = actionContext(createInput);
    await action.handler(ctx);

    expect(fixture.head()).toBe(head); // nothing pushed to the branch
    expect([...github.auth]).toEqual([expect.stringMatching(/ghp_test_token/)]);
    expect(requests.tree).toHaveLength(1);
    expect(requests.tree[0].base_tree).toBe('base-tree-sha');
    const paths = requests.tree[0].tree.map((entry: any) => entry.path).sort();
    expect(paths).toHaveLength(6); // 4 model files, the rendered manifest and rendered/index.txt
    expect(paths[0]).toBe('namespaces/acme/projects/payments/components/refunds-api/component.yaml');
    expect(requests.tree[0].tree.find((e: any) => e.path.endsWith('workload.yaml')).content).toContain('image: ghcr.io/acme/refunds-api:1.0.0');
    expect(requests.commit[0].parents).toEqual([head]);
    // The user who ran the template is the author; GitHub names the token's user as committer.
    expect(requests.commit[0].author).toEqual({ name: 'Ada Lovelace', email: 'ada@acme.example' });
    expect(requests.commit[0].message).toMatch(/^Create component acme\/refunds-api in project payments\n\nRequested by user:default\/ada/);
    const sha = 'c0ffee0000000000000000000000000000000001';
    expect(requests.ref).toEqual([{ ref: 'refs/heads/cellplane/mock-task-id', sha }]);
    expect(requests.pull).toEqual([
      {
        head: 'cellplane/mock-task-id',
        base: 'main',
        title: 'Create component acme/refunds-api in project payments',
        body: expect.stringMatching(/^Requested by user:default\/ada through the Cellplane scaffolder/),
      },
    ]);
    expect(ctx.outputs.pullRequestUrl).toBe('https://github.com/acme/gitops/pull/7');
    expect(ctx.outputs.commitSha).toBe(sha);
    expect(ctx.outputs.changedFiles).toEqual(paths);

    // The same task again: the open pull request is found and returned; nothing new is made.
    const again = actionContext(createInput);
    await action.handler(again);
    expect(again.outputs.pullRequestUrl).toBe('https://github.com/acme/gitops/pull/7');
    expect(again.outputs.commitSha).toBe(sha);
    expect(requests.commit).toHaveLength(1);
    expect(requests.pull).toHaveLength(1);
  });

  it('picks up the branch an interrupted run left behind: one pull request, no second commit', async () => {
    const github = fakeGithub();
    const action = createComponentCreateAction({ ...fixture.options, repository: onGithub(), integrations });
    // First run: the commit and branch are made, then opening the pull request fails.
    server.use(
      http.post('https://api.github.com/repos/acme/gitops/pulls', () => HttpResponse.json({ message: 'Server Error' }, { status: 500 }), {
        once: true,
      }),
    );
    await expect(action.handler(actionContext(createInput))).rejects.toThrow(/GitHub answered 500/);
    expect(github.refs.has('cellplane/mock-task-id')).toBe(true);

    const ctx = actionContext(createInput);
    await action.handler(ctx);
    expect(ctx.outputs.pullRequestUrl).toBe('https://github.com/acme/gitops/pull/7');
    expect(github.requests.commit).toHaveLength(1);
    expect(github.requests.pull).toHaveLength(1);
    expect(ctx.outputs.commitSha).toBe(github.refs.get('cellplane/mock-task-id'));
  });

  it('uploads binary files as base64 blobs and deletes with a null sha', async () => {
    const github = fakeGithub();
    const opened = await openPullRequest(integrations, {
      repositoryUrl: 'https://github.com/acme/gitops',
      baseBranch: 'main',
      baseCommit: 'a'.repeat(40),
      branch: 'cellplane/task-1',
      title: 'Change',
      body: 'Body',
      changes: [
        { path: 'gone.yaml', content: null, before: 'old\n' },
        { path: 'logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]), before: undefined },
        { path: 'text.yaml', content: 'a: 1\n', before: 'a: 0\n' },
      ],
    });
    expect(opened).toEqual({ url: 'https://github.com/acme/gitops/pull/7', number: 7, commit: github.refs.get('cellplane/task-1'), branch: 'cellplane/task-1' });
    expect(github.requests.blob).toEqual([{ content: 'iVBOR/8A', encoding: 'base64' }]);
    expect(github.requests.tree[0].tree).toEqual([
      { path: 'gone.yaml', mode: '100644', type: 'blob', sha: null },
      { path: 'logo.png', mode: '100644', type: 'blob', sha: 'blob-sha' },
      { path: 'text.yaml', mode: '100644', type: 'blob', content: 'a: 1\n' },
    ]);
    expect(github.requests.commit).toEqual([{ message: 'Change\n\nBody', tree: 'new-tree-sha', parents: ['a'.repeat(40)] }]);
  });

  it('refuses a branch that exists with other changes, and says to pick another publish.branch', async () => {
    const github = fakeGithub();
    github.refs.set('taken', 'd'.repeat(40));
    github.commits.set('d'.repeat(40), { message: 'unrelated work' });
    const action = createComponentCreateAction({ ...fixture.options, repository: onGithub(), integrations });
    await expect(action.handler(actionContext({ ...createInput, publish: { mode: 'pull-request', branch: 'taken' } }))).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/branch taken already exists in acme\/gitops .*set publish.branch to a new branch name/),
    });
    expect(github.requests.commit).toHaveLength(0);
    expect(github.requests.pull).toHaveLength(0);
  });

  it.each([
    [401, 'AuthenticationError', /credentials under integrations.github \(host github.com\) were rejected \(401\)/],
    [403, 'NotAllowedError', /needs contents and pull requests write access to acme\/gitops/],
    [404, 'NotFoundError', /check cellplane.gitops.url/],
  ])('answers HTTP %s with a %s that says what to do, without the token', async (status, name, message) => {
    fakeGithub();
    server.use(http.get('https://api.github.com/repos/acme/gitops/pulls', () => HttpResponse.json({ message: 'nope' }, { status })));
    const action = createComponentCreateAction({ ...fixture.options, repository: onGithub(), integrations });
    const error = await action.handler(actionContext(createInput)).catch(e => e);
    expect(error).toMatchObject({ name, message: expect.stringMatching(message) });
    expect(`${error} ${error.stack} ${JSON.stringify(error)}`).not.toContain('ghp_test_token');
  });

  it('refuses pull-request mode for a repository on no configured integration host, writing nothing', async () => {
    const head = fixture.head();
    const action = createComponentCreateAction({ ...fixture.options, integrations });
    await expect(
      action.handler(
        actionContext({
          namespace: 'acme',
          project: 'payments',
          name: 'refunds-api',
          componentType: 'deployment/service',
          image: 'x:1',
          endpoints: { rest: { type: 'HTTP', port: 8080 } },
          publish: { mode: 'pull-request' },
        }),
      ),
    ).rejects.toThrow(/publish.mode 'pull-request' needs cellplane.gitops.url as an https URL/);
    expect(fixture.head()).toBe(head);
  });
});
