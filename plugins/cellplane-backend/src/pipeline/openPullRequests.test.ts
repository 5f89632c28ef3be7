import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { DeliveryPipeline } from '@cellplane/backstage-plugin-common';
import { PromotionPullRequest } from './listOpenPromotionPullRequests';
import { exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';
import express from 'express';
import request from 'supertest';
import { createPipelineRouter } from './createPipelineRouter';
import { PromotionPullRequestLister, cachedPullRequests } from './openPullRequests';

const pull = (overrides: Partial<PromotionPullRequest>): PromotionPullRequest => ({
  action: 'promote',
  namespace: 'acme',
  component: 'web-shop',
  environment: 'production',
  id: '1a2b',
  url: 'https://github.com/acme/gitops/pull/12',
  number: 12,
  title: 'Promote acme/web-shop from staging to production',
  author: 'cellplane-bot',
  reviewers: ['bob', 'acme/team-platform'],
  createdAt: '2026-12-07T08:00:00Z',
  branch: 'cellplane/promote/acme/web-shop/production-1a2b',
  draft: false,
  ...overrides,
});

describe('open promotion pull requests in the pipeline', () => {
  const fixture = exampleRepository();
  afterAll(() => fixture.cleanup());

  function app(listPullRequests: PromotionPullRequestLister) {
    const server = express();
    server.use(
      createPipelineRouter({
        httpAuth: mockServices.httpAuth({ defaultCredentials: mockCredentials.user() }),
        permissions: mockServices.permissions(),
        repository: fixture.repository,
        status: { componentStatus: () => [] },
        listPullRequests,
      }),
    );
    return server;
  }

  it('shows each open pull request under the environment it would change, asking the host once per view burst', async () => {
    const list = jest.fn(async () => [pull({}), pull({ action: 'rollback', environment: 'staging', number: 13, url: 'https://github.com/acme/gitops/pull/13', author: undefined, reviewers: [] })]);
    const server = app(list);
    const first = await request(server).get('/pipeline/acme/web-shop');
    expect(first.status).toBe(200);
    const body = first.body as DeliveryPipeline;
    expect(body.environments.find(e => e.name === 'production')!.pullRequests).toEqual([
      {
        action: 'promote',
        url: 'https://github.com/acme/gitops/pull/12',
        number: 12,
        title: 'Promote acme/web-shop from staging to production',
        author: 'cellplane-bot',
        reviewers: ['bob', 'acme/team-platform'],
        createdAt: '2026-12-07T08:00:00Z',
      },
    ]);
    expect(body.environments.find(e => e.name === 'staging')!.pullRequests).toMatchObject([{ action: 'rollback', number: 13, reviewers: [] }]);
    expect(body.environments.find(e => e.name === 'development')!.pullRequests).toEqual([]);
    expect(body.pullRequestsUnavailable).toBeUndefined();

    await request(server).get('/pipeline/acme/web-shop');
    expect(list).toHaveBeenCalledTimes(1);
    expect(list).toHaveBeenCalledWith({ namespace: 'acme', component: 'web-shop' });

    // The view that has just opened a pull request (or seen one merged) asks the host again.
    expect((await request(server).get('/pipeline/acme/web-shop?pullRequests=fresh')).status).toBe(200);
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('still shows what runs when the Git host fails, and says why no pull request shows', async () => {
    const server = app(async () => {
      throw new Error('GitHub (github.com) answered 401 while listing open pull requests of acme/gitops: configure integrations.github');
    });
    const answer = await request(server).get('/pipeline/acme/web-shop');
    expect(answer.status).toBe(200);
    expect(answer.body.environments.map((e: any) => e.name)).toEqual(['development', 'staging', 'production']);
    expect(answer.body.pullRequestsUnavailable).toBe(
      'open pull requests cannot be listed: GitHub (github.com) answered 401 while listing open pull requests of acme/gitops: configure integrations.github',
    );
  });

  it('asks again after the cache time, and after a failure', async () => {
    let now = 0;
    let fail = true;
    const list = jest.fn(async () => {
      if (fail) throw new Error('host down');
      return [pull({})];
    });
    const cached = cachedPullRequests(list, () => now);
    await expect(cached('acme', 'web-shop')).rejects.toThrow('host down');
    fail = false;
    await expect(cached('acme', 'web-shop')).resolves.toHaveLength(1);
    await cached('acme', 'web-shop');
    expect(list).toHaveBeenCalledTimes(2);
    now = 15_001;
    await cached('acme', 'web-shop');
    expect(list).toHaveBeenCalledTimes(3);
  });
});
