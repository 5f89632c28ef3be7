import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { addGithubPullRequest, FakeGitHost, startFakeGitHost } from '@cellplane/backstage-plugin-node/testUtils';
import { listOpenPromotionPullRequests } from './listOpenPromotionPullRequests';

describe('listOpenPromotionPullRequests', () => {
  let host: FakeGitHost;
  beforeEach(async () => {
    host = await startFakeGitHost();
  });
  afterEach(() => host.close());

  const integrations = () => ScmIntegrations.fromConfig(mockServices.rootConfig({ data: { integrations: host.integrationsConfig } }));
  const github = { url: 'https://github.com/acme/gitops.git', branch: 'main' };

  it('lists the open promotion pull requests into the GitOps branch, with reviewers, from GitHub', async () => {
    addGithubPullRequest(host.github, {
      title: 'Promote acme/web-shop from staging to production (web-shop-1a2b3c4d5e)',
      head: { ref: 'cellplane/promote/acme/web-shop/production-0f0f0f0f' },
      user: { login: 'ada' },
      requested_reviewers: [{ login: 'grace' }],
      requested_teams: [{ slug: 'platform' }],
      created_at: '2026-12-07T07:00:00Z',
    });
    addGithubPullRequest(host.github, { head: { ref: 'cellplane/rollback/acme/payments-api/production-0a0a0a0a' }, created_at: '2026-12-07T08:00:00Z' });
    // not the write path's, closed, or into another branch: none of these awaits a promotion
    addGithubPullRequest(host.github, { head: { ref: 'feature/readme' } });
    addGithubPullRequest(host.github, { head: { ref: 'cellplane/promote/acme/web-shop/staging-11111111' }, state: 'closed' });
    addGithubPullRequest(host.github, { head: { ref: 'cellplane/promote/acme/web-shop/staging-22222222' }, base: { ref: 'release' } });

    const pulls = await listOpenPromotionPullRequests({ integrations: integrations(), repository: github });
    expect(pulls).toEqual([
      {
        action: 'promote',
        namespace: 'acme',
        component: 'web-shop',
        environment: 'production',
        id: '0f0f0f0f',
        url: 'https://github.com/acme/gitops/pull/7',
        number: 7,
        title: 'Promote acme/web-shop from staging to production (web-shop-1a2b3c4d5e)',
        author: 'ada',
        reviewers: ['grace', 'acme/platform'],
        createdAt: '2026-12-07T07:00:00Z',
        branch: 'cellplane/promote/acme/web-shop/production-0f0f0f0f',
        draft: false,
      },
      expect.objectContaining({ action: 'rollback', component: 'payments-api', environment: 'production', number: 8 }),
    ]);
    expect(host.github.auth).toEqual(new Set(['Bearer ghp_fake_token']));

    const ofWebShop = await listOpenPromotionPullRequests({ integrations: integrations(), repository: github, namespace: 'acme', component: 'web-shop' });
    expect(ofWebShop.map(p => p.number)).toEqual([7]);
  });

  it('reads every page of a busy repository', async () => {
    for (let i = 0; i < 130; i++) addGithubPullRequest(host.github, { head: { ref: `cellplane/promote/acme/c${i}/production-${(4096 + i).toString(16)}` } });
    const pulls = await listOpenPromotionPullRequests({ integrations: integrations(), repository: github });
    expect(pulls).toHaveLength(130);
  });

  it('lists open merge requests from GitLab', async () => {
    host.gitlabMergeRequests.push(
      {
        iid: 3,
        state: 'opened',
        web_url: 'https://gitlab.com/acme/gitops/-/merge_requests/3',
        title: 'Promote acme/web-shop from staging to production',
        source_branch: 'cellplane/promote/acme/web-shop/production-abcdef12',
        target_branch: 'main',
        author: { username: 'ada' },
        reviewers: [{ username: 'grace' }],
        created_at: '2026-12-07T07:00:00Z',
        draft: false,
      },
      {
        iid: 4,
        state: 'merged',
        web_url: 'https://gitlab.com/acme/gitops/-/merge_requests/4',
        title: 'merged already',
        source_branch: 'cellplane/promote/acme/web-shop/production-abcdef13',
        target_branch: 'main',
        author: { username: 'ada' },
        reviewers: [],
        created_at: '2026-12-07T06:00:00Z',
        draft: false,
      },
    );
    const pulls = await listOpenPromotionPullRequests({
      integrations: integrations(),
      repository: { url: 'https://gitlab.com/acme/gitops.git', branch: 'main' },
    });
    expect(pulls).toEqual([
      expect.objectContaining({ number: 3, environment: 'production', author: 'ada', reviewers: ['grace'], url: 'https://gitlab.com/acme/gitops/-/merge_requests/3' }),
    ]);
  });

  it('has none for a repository without a Git host or without an integration for its host', async () => {
    const none = ScmIntegrations.fromConfig(mockServices.rootConfig());
    await expect(listOpenPromotionPullRequests({ integrations: integrations(), repository: { url: '/srv/gitops.git', branch: 'main' } })).resolves.toEqual([]);
    await expect(listOpenPromotionPullRequests({ integrations: none, repository: { url: 'https://git.example.com/acme/gitops.git', branch: 'main' } })).resolves.toEqual([]);
  });

  it('says what to configure when the host rejects the credentials, without the token', async () => {
    const rejecting = ScmIntegrations.fromConfig(
      mockServices.rootConfig({ data: { integrations: { github: [{ host: 'github.com', token: 'ghp_fake_token', apiBaseUrl: `${host.url}/nowhere` }] } } }),
    );
    const error = await listOpenPromotionPullRequests({ integrations: rejecting, repository: github }).catch(e => e);
    expect(error.message).toMatch(/GitHub \(github.com\) while listing open pull requests of acme\/gitops: not found \(404\); check cellplane.gitops.url/);
    expect(error.message).not.toContain('ghp_fake_token');
  });
});
