import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createComponentCreateAction } from '../actions/createComponent';
import { openPullRequest } from './gitHosts';
import { PullRequestRequest } from './pullRequestCommon';

const TOKEN = 'glpat-secret-test-token';
/** A self-hosted GitLab under a path, with a project in a subgroup. */
const API = 'https://git.example.org/gitlab/api/v4';
const REPOSITORY_URL = 'https://git.example.org/gitlab/platform/infra/gitops.git';
const PROJECT = 'platform%2Finfra%2Fgitops';
const MR_URL = 'https://git.example.org/gitlab/platform/infra/gitops/-/merge_requests/12';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      gitlab: [{ host: 'git.example.org', baseUrl: 'https://git.example.org/gitlab', apiBaseUrl: API, token: TOKEN }],
    },
  }),
);

const request = (overrides: Partial<PullRequestRequest> = {}): PullRequestRequest => ({
  repositoryUrl: REPOSITORY_URL,
  baseBranch: 'main',
  baseCommit: 'a'.repeat(40),
  branch: 'cellplane/task-1',
  title: 'Add endpoint',
  body: 'Requested by user:default/ada.',
  changes: [
    { path: 'new.yaml', content: 'kind: Component\n', before: undefined },
    { path: 'changed.yaml', content: Buffer.from('spec: {}\n'), before: 'spec: {a: 1}\n' },
    { path: 'gone.yaml', content: null, before: 'old\n' },
    { path: 'logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]), before: undefined },
  ],
  ...overrides,
});

/**
 * GitLab's REST API for one project, with state: branches, commits and merge requests. Records
 * every request body and the token each request carried.
 */
function fakeGitlab(server: ReturnType<typeof setupServer>) {
  const state = {
    branches: new Map<string, { id: string; message: string }>(),
    mergeRequests: [] as Array<Record<string, any>>,
    commitBodies: [] as any[],
    mergeRequestBodies: [] as any[],
    tokens: new Set<string>(),
  };
  const project = `${API}/projects/${PROJECT}`;
  const seen = (req: Request) => state.tokens.add(req.headers.get('private-token') ?? '<none>');
  server.use(
    http.get(`${project}/merge_requests`, ({ request: req }) => {
      seen(req);
      const source = new URL(req.url).searchParams.get('source_branch');
      return HttpResponse.json(state.mergeRequests.filter(mr => mr.source_branch === source));
    }),
    http.get(`${project}/repository/branches/:branch`, ({ request: req, params }) => {
      seen(req);
      const branch = state.branches.get(decodeURIComponent(String(params.branch)));
      return branch
        ? HttpResponse.json({ name: params.branch, commit: branch })
        : HttpResponse.json({ message: '404 Branch Not Found' }, { status: 404 });
    }),
    http.post(`${project}/repository/commits`, async ({ request: req }) => {
      seen(req);
      const body = (await req.json()) as any;
      state.commitBodies.push(body);
      if (state.branches.has(body.branch)) {
        return HttpResponse.json({ message: `A branch called '${body.branch}' already exists.` }, { status: 400 });
      }
      const id = `c0${String(state.commitBodies.length).padStart(38, '0')}`;
      state.branches.set(body.branch, { id, message: body.commit_message });
      return HttpResponse.json({ id, message: body.commit_message }, { status: 201 });
    }),
    http.post(`${project}/merge_requests`, async ({ request: req }) => {
      seen(req);
      const body = (await req.json()) as any;
      state.mergeRequestBodies.push(body);
      if (state.mergeRequests.some(mr => mr.source_branch === body.source_branch && mr.state === 'opened')) {
        return HttpResponse.json({ message: ['Another open merge request already exists for this source branch: !12'] }, { status: 409 });
      }
      const mr = {
        iid: 12,
        state: 'opened',
        source_branch: body.source_branch,
        target_branch: body.target_branch,
        sha: state.branches.get(body.source_branch)?.id,
        web_url: MR_URL,
      };
      state.mergeRequests.push(mr);
      return HttpResponse.json(mr, { status: 201 });
    }),
  );
  return state;
}

/** Everything an error would show in a log, to prove the token is not in it. */
const everything = (error: any) => `${String(error)} ${error?.stack} ${JSON.stringify(error)} ${JSON.stringify(error?.cause ?? null)}`;

describe('publish.mode pull-request on GitLab', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('opens a merge request from a task: one commit on cellplane/<task id>, the MR URL as output, nothing pushed', async () => {
    const fixture = repositoryFixture();
    try {
      const gitlab = fakeGitlab(server);
      const repository = Object.create(fixture.repository);
      Object.defineProperty(repository, 'url', { value: REPOSITORY_URL });
      const head = fixture.head();
      const action = createComponentCreateAction({ ...fixture.options, repository, integrations });
      const input = {
        namespace: 'acme',
        project: 'payments',
        name: 'refunds-api',
        componentType: 'deployment/service',
        image: 'ghcr.io/acme/refunds-api:1.0.0',
        endpoints: { rest: { type: 'HTTP', port: 8080 } },
        publish: { mode: 'pull-request' },
      };
      const ctx = actionContext(input);
      await action.handler(ctx);

      expect(fixture.head()).toBe(head);
      expect([...gitlab.tokens]).toEqual([TOKEN]);
      expect(gitlab.commitBodies).toHaveLength(1);
      const commit = gitlab.commitBodies[0];
      expect(commit).toMatchObject({
        branch: 'cellplane/mock-task-id',
        start_sha: head,
        author_name: 'Ada Lovelace',
        author_email: 'ada@acme.example',
      });
      expect(commit.commit_message).toMatch(/^Create component acme\/refunds-api in project payments\n\nRequested by user:default\/ada/);
      const paths = commit.actions.map((a: any) => a.file_path);
      expect(paths).toHaveLength(6); // 4 model files, the rendered manifest and rendered/index.txt
      // New files are created; the existing rendered/index.txt is updated; all of it is text.
      for (const a of commit.actions) {
        expect([a.file_path, a.action, a.encoding]).toEqual([a.file_path, a.file_path === 'rendered/index.txt' ? 'update' : 'create', undefined]);
      }
      expect(commit.actions.find((a: any) => a.file_path.endsWith('workload.yaml')).content).toContain(
        'image: ghcr.io/acme/refunds-api:1.0.0',
      );
      expect(gitlab.mergeRequestBodies).toEqual([
        {
          source_branch: 'cellplane/mock-task-id',
          target_branch: 'main',
          title: 'Create component acme/refunds-api in project payments',
          description: expect.stringMatching(/^Requested by user:default\/ada through the Cellplane scaffolder/),
          remove_source_branch: true,
        },
      ]);
      expect(ctx.outputs.pullRequestUrl).toBe(MR_URL);
      expect(ctx.outputs.commitUrl).toBe(MR_URL);
      expect(ctx.outputs.commitSha).toBe(gitlab.branches.get('cellplane/mock-task-id')!.id);
      expect(ctx.outputs.changedFiles).toEqual(paths);

      // The same task again: the open merge request is found and returned; nothing new is made.
      const again = actionContext(input);
      await action.handler(again);
      expect(again.outputs.pullRequestUrl).toBe(MR_URL);
      expect(gitlab.commitBodies).toHaveLength(1);
      expect(gitlab.mergeRequestBodies).toHaveLength(1);
      expect(fixture.head()).toBe(head);
    } finally {
      fixture.cleanup();
    }
  });

  it('sends create, update and delete actions, binary content as base64', async () => {
    const gitlab = fakeGitlab(server);
    const opened = await openPullRequest(integrations, request());
    expect(opened).toEqual({ url: MR_URL, number: 12, commit: gitlab.branches.get('cellplane/task-1')!.id, branch: 'cellplane/task-1' });
    expect(gitlab.commitBodies).toEqual([
      {
        branch: 'cellplane/task-1',
        commit_message: 'Add endpoint\n\nRequested by user:default/ada.',
        start_sha: 'a'.repeat(40),
        actions: [
          { action: 'create', file_path: 'new.yaml', content: 'kind: Component\n' },
          { action: 'update', file_path: 'changed.yaml', content: 'spec: {}\n' },
          { action: 'delete', file_path: 'gone.yaml' },
          { action: 'create', file_path: 'logo.png', content: 'iVBOR/8A', encoding: 'base64' },
        ],
      },
    ]);
  });

  it('picks up a branch an interrupted run left behind: opens the merge request without a second commit', async () => {
    const gitlab = fakeGitlab(server);
    gitlab.branches.set('cellplane/task-1', { id: 'e'.repeat(40), message: 'Add endpoint\n\nRequested by user:default/ada.\n' });
    const opened = await openPullRequest(integrations, request());
    expect(opened).toEqual({ url: MR_URL, number: 12, commit: 'e'.repeat(40), branch: 'cellplane/task-1' });
    expect(gitlab.commitBodies).toHaveLength(0);
    expect(gitlab.mergeRequestBodies).toHaveLength(1);
  });

  it('returns the merged merge request when the change was already merged', async () => {
    const gitlab = fakeGitlab(server);
    gitlab.mergeRequests.push({ iid: 9, state: 'merged', source_branch: 'cellplane/task-1', sha: 'f'.repeat(40), web_url: `${MR_URL}-merged` });
    await expect(openPullRequest(integrations, request())).resolves.toMatchObject({ url: `${MR_URL}-merged`, number: 9 });
    expect(gitlab.commitBodies).toHaveLength(0);
    expect(gitlab.mergeRequestBodies).toHaveLength(0);
  });

  it('refuses a branch that exists with other changes, and says to pick another publish.branch', async () => {
    const gitlab = fakeGitlab(server);
    gitlab.branches.set('cellplane/task-1', { id: 'b'.repeat(40), message: 'Someone else\'s work' });
    await expect(openPullRequest(integrations, request())).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/branch cellplane\/task-1 already exists in platform\/infra\/gitops .*set publish.branch to a new branch name/),
    });
    expect(gitlab.commitBodies).toHaveLength(0);
    expect(gitlab.mergeRequestBodies).toHaveLength(0);
  });

  it('a 409 on the merge request with no open one to find is a conflict that says what to do', async () => {
    fakeGitlab(server);
    server.use(
      http.post(`${API}/projects/${PROJECT}/merge_requests`, () =>
        HttpResponse.json({ message: ['Another open merge request already exists for this source branch: !3'] }, { status: 409 }),
      ),
    );
    await expect(openPullRequest(integrations, request())).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/409.*set publish.branch to a new branch name, or close the other merge request/),
    });
  });

  it.each([
    [401, 'AuthenticationError', /token under integrations.gitlab \(host git.example.org\) was rejected \(401.*replace it with a token with the api scope/],
    [403, 'NotAllowedError', /not allowed \(403.*api scope and a user with at least the Developer role on platform\/infra\/gitops/],
    [404, 'NotFoundError', /not found \(404.*check cellplane.gitops.url and cellplane.gitops.branch.*member of platform\/infra\/gitops/],
  ])('answers HTTP %s with a %s that says what to do, without the token', async (status, name, message) => {
    fakeGitlab(server);
    server.use(
      http.post(`${API}/projects/${PROJECT}/repository/commits`, () =>
        HttpResponse.json({ message: `${status} from GitLab` }, { status }),
      ),
    );
    const error = await openPullRequest(integrations, request()).catch(e => e);
    expect(error).toMatchObject({ name, message: expect.stringMatching(message) });
    expect(error.message).toContain('while committing to a new branch cellplane/task-1 in platform/infra/gitops');
    expect(everything(error)).not.toContain(TOKEN);
  });

  it('names cellplane.gitops.url and the integration to add when no integration matches the host', async () => {
    await expect(
      openPullRequest(integrations, request({ repositoryUrl: 'https://someone:hunter2@git.unknown.example/acme/gitops.git' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /host of cellplane.gitops.url \(https:\/\/git.unknown.example\/acme\/gitops.git\) .*add git.unknown.example under integrations.github .* or integrations.gitlab \(host, token, and apiBaseUrl/,
      ),
    });
    const error = await openPullRequest(integrations, request({ repositoryUrl: 'https://someone:hunter2@git.unknown.example/a/b' })).catch(e => e);
    expect(error.message).not.toContain('hunter2');
  });

  it('says which token to configure when the GitLab integration has none', async () => {
    const noToken = ScmIntegrations.fromConfig(new ConfigReader({}));
    await expect(openPullRequest(noToken, request({ repositoryUrl: 'https://gitlab.com/acme/gitops' }))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/no GitLab token for gitlab.com: set integrations.gitlab\[\].token for host gitlab.com/),
    });
  });

  it.each([
    ['https://git.example.org/gitlab/gitops', /cannot tell the GitLab project from cellplane.gitops.url/],
    ['https://git.example.org/other/acme/gitops', /is not below the GitLab baseUrl/],
    ['https://git.example.org/gitlab/acme/gitops/-/tree/main', /cannot tell the GitLab project/],
    ['git@git.example.org:acme/gitops.git', /needs cellplane.gitops.url as an https URL/],
  ])('refuses the repository URL %s with an InputError', async (repositoryUrl, message) => {
    await expect(openPullRequest(integrations, request({ repositoryUrl }))).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(message) });
  });

  it.each(['-delete', 'a..b', 'feature/', 'x.lock', 'has space', 'ref~1', '.hidden'])(
    'refuses publish.branch %s before calling GitLab',
    async branch => {
      await expect(openPullRequest(integrations, request({ branch }))).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^publish\.branch must be a Git branch name/),
      });
    },
  );
});
