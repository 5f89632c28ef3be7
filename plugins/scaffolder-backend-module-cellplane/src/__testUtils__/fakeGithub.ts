import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { answerGithub, fakeGithubState } from '@cellplane/backstage-plugin-node/testUtils';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';

/** SCM integrations with a token for github.com, as a backend configured for pull requests has. */
export const githubIntegrations = ScmIntegrations.fromConfig(
  new ConfigReader({ integrations: { github: [{ host: 'github.com', token: 'ghp_test_token' }] } }),
);

/** The same repository, as if it were github.com/acme/gitops: only GitHub's HTTP API is faked. */
export function githubStandIn(local: GitOpsRepository): GitOpsRepository {
  const repository = Object.create(local);
  Object.defineProperty(repository, 'url', { value: 'https://github.com/acme/gitops.git' });
  return repository;
}

/**
 * GitHub's REST API for acme/gitops, with state: refs, commits and pull requests (with
 * reviewers, listable as the pipeline lists them). Records every request body and the
 * authorization each request carried. The API itself is cellplane-node's fake (testUtils'
 * `answerGithub`, also served over HTTP by `startFakeGitHost`), here answered through msw.
 */
export function fakeGithubApi(server: SetupServer) {
  const state = fakeGithubState('acme', 'gitops');
  server.use(
    http.all('https://api.github.com/repos/acme/gitops/*', async ({ request }) => {
      const url = new URL(request.url);
      const text = request.method === 'GET' ? '' : await request.text();
      const answer = answerGithub(state, {
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : undefined,
        authorization: request.headers.get('authorization') ?? undefined,
      });
      return answer ? HttpResponse.json(answer.body as any, { status: answer.status }) : undefined;
    }),
  );
  return state;
}
