import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
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
 * GitHub's REST API for acme/gitops, with state: refs, commits and pull requests. Records
 * every request body and the authorization each request carried.
 */
export function fakeGithubApi(server: SetupServer) {
  const api = 'https://api.github.com/repos/acme/gitops';
  const state = {
    refs: new Map<string, string>(),
    commits: new Map<string, { message: string }>(),
    pulls: [] as Array<Record<string, any>>,
    requests: { tree: [] as any[], commit: [] as any[], ref: [] as any[], pull: [] as any[], blob: [] as any[] },
    auth: new Set<string>(),
  };
  const seen = (req: Request) => state.auth.add(req.headers.get('authorization') ?? '<none>');
  server.use(
    http.get(`${api}/pulls`, ({ request }) => {
      seen(request);
      const head = new URL(request.url).searchParams.get('head');
      return HttpResponse.json(state.pulls.filter(p => `acme:${p.head.ref}` === head));
    }),
    http.get(`${api}/git/ref/*`, ({ request }) => {
      seen(request);
      const ref = decodeURIComponent(new URL(request.url).pathname.split('/git/ref/')[1]);
      const sha = state.refs.get(ref.replace(/^heads\//, ''));
      return sha
        ? HttpResponse.json({ ref: `refs/${ref}`, object: { sha, type: 'commit' } })
        : HttpResponse.json({ message: 'Not Found' }, { status: 404 });
    }),
    http.get(`${api}/git/commits/:sha`, ({ params, request }) => {
      seen(request);
      const sha = String(params.sha);
      return HttpResponse.json({ sha, tree: { sha: 'base-tree-sha' }, message: state.commits.get(sha)?.message ?? 'base' });
    }),
    http.post(`${api}/git/blobs`, async ({ request }) => {
      seen(request);
      state.requests.blob.push(await request.json());
      return HttpResponse.json({ sha: 'blob-sha' }, { status: 201 });
    }),
    http.post(`${api}/git/trees`, async ({ request }) => {
      seen(request);
      state.requests.tree.push(await request.json());
      return HttpResponse.json({ sha: 'new-tree-sha' }, { status: 201 });
    }),
    http.post(`${api}/git/commits`, async ({ request }) => {
      seen(request);
      const body = (await request.json()) as any;
      state.requests.commit.push(body);
      const sha = `c0ffee${String(state.requests.commit.length).padStart(34, '0')}`;
      state.commits.set(sha, { message: body.message });
      return HttpResponse.json({ sha }, { status: 201 });
    }),
    http.post(`${api}/git/refs`, async ({ request }) => {
      seen(request);
      const body = (await request.json()) as any;
      state.requests.ref.push(body);
      const branch = body.ref.replace(/^refs\/heads\//, '');
      if (state.refs.has(branch)) return HttpResponse.json({ message: 'Reference already exists' }, { status: 422 });
      state.refs.set(branch, body.sha);
      return HttpResponse.json({ ref: body.ref }, { status: 201 });
    }),
    http.post(`${api}/pulls`, async ({ request }) => {
      seen(request);
      const body = (await request.json()) as any;
      state.requests.pull.push(body);
      const pull = {
        number: 7,
        state: 'open',
        merged_at: null,
        html_url: 'https://github.com/acme/gitops/pull/7',
        head: { ref: body.head, sha: state.refs.get(body.head) },
      };
      state.pulls.push(pull);
      return HttpResponse.json(pull, { status: 201 });
    }),
  );
  return state;
}
