import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createComponentCreateAction } from '../actions/createComponent';

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

  /** The same repository, as if it were github.com/acme/gitops: only GitHub's HTTP API is faked. */
  function onGithub() {
    const repository = Object.create(fixture.repository);
    Object.defineProperty(repository, 'url', { value: 'https://github.com/acme/gitops.git' });
    return repository;
  }

  it('opens a pull request with the change as one commit on a new branch, and pushes nothing', async () => {
    const requests: Record<string, any> = {};
    const auth: string[] = [];
    server.use(
      http.get('https://api.github.com/repos/acme/gitops/git/commits/:sha', ({ params, request }) => {
        auth.push(request.headers.get('authorization') ?? '');
        return HttpResponse.json({ sha: params.sha, tree: { sha: 'base-tree-sha' } });
      }),
      http.post('https://api.github.com/repos/acme/gitops/git/trees', async ({ request }) => {
        requests.tree = await request.json();
        return HttpResponse.json({ sha: 'new-tree-sha' }, { status: 201 });
      }),
      http.post('https://api.github.com/repos/acme/gitops/git/commits', async ({ request }) => {
        requests.commit = await request.json();
        return HttpResponse.json({ sha: 'c0ffee0000000000000000000000000000000000' }, { status: 201 });
      }),
      http.post('https://api.github.com/repos/acme/gitops/git/refs', async ({ request }) => {
        requests.ref = await request.json();
        return HttpResponse.json({ ref: requests.ref.ref }, { status: 201 });
      }),
      http.post('https://api.github.com/repos/acme/gitops/pulls', async ({ request }) => {
        requests.pull = await request.json();
        return HttpResponse.json({ number: 7, html_url: 'https://github.com/acme/gitops/pull/7' }, { status: 201 });
      }),
    );

    const head = fixture.head();
    const action = createComponentCreateAction({ ...fixture.options, repository: onGithub(), integrations });
    const ctx = actionContext({
      namespace: 'acme',
      project: 'payments',
      name: 'refunds-api',
      componentType: 'deployment/service',
      image: 'ghcr.io/acme/refunds-api:1.0.0',
      endpoints: { rest: { type: 'HTTP', port: 8080 } },
      publish: { mode: 'pull-request' },
    });
    await action.handler(ctx);

    expect(fixture.head()).toBe(head); // nothing pushed to the branch
    expect(auth[0]).toMatch(/ghp_test_token/);
    expect(requests.tree.base_tree).toBe('base-tree-sha');
    const paths = requests.tree.tree.map((entry: any) => entry.path).sort();
    expect(paths).toHaveLength(6); // 4 model files, the rendered manifest and rendered/index.txt
    expect(paths[0]).toBe('namespaces/acme/projects/payments/components/refunds-api/component.yaml');
    expect(requests.tree.tree.find((e: any) => e.path.endsWith('workload.yaml')).content).toContain('image: ghcr.io/acme/refunds-api:1.0.0');
    expect(requests.commit.parents).toEqual([head]);
    expect(requests.ref).toEqual({ ref: 'refs/heads/cellplane/mock-task-id', sha: 'c0ffee0000000000000000000000000000000000' });
    expect(requests.pull).toMatchObject({ head: 'cellplane/mock-task-id', base: 'main', title: 'Create component acme/refunds-api in project payments' });
    expect(ctx.outputs.pullRequestUrl).toBe('https://github.com/acme/gitops/pull/7');
    expect(ctx.outputs.commitSha).toBe('c0ffee0000000000000000000000000000000000');
    expect(ctx.outputs.changedFiles).toEqual(paths);
  });

  it('refuses pull-request mode for a repository without a GitHub integration, writing nothing', async () => {
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
    ).rejects.toThrow(/publish.mode 'pull-request' needs the GitOps repository on GitHub/);
    expect(fixture.head()).toBe(head);
  });
});
