import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';

/** A pull request as the fake GitHub keeps it (the fields GitHub's REST API answers with that Cellplane reads). @public */
export interface FakeGithubPullRequest {
  number: number;
  state: 'open' | 'closed';
  merged_at: string | null;
  html_url: string;
  title: string;
  body: string;
  draft: boolean;
  head: { ref: string; sha: string | undefined };
  base: { ref: string };
  user: { login: string };
  requested_reviewers: Array<{ login: string }>;
  requested_teams: Array<{ slug: string }>;
  created_at: string;
}

/** A merge request as the fake GitLab keeps it. @public */
export interface FakeGitlabMergeRequest {
  iid: number;
  state: 'opened' | 'closed' | 'merged';
  web_url: string;
  title: string;
  source_branch: string;
  target_branch: string;
  author: { username: string };
  reviewers: Array<{ username: string }>;
  created_at: string;
  draft: boolean;
}

/**
 * The state of a fake GitHub repository `<owner>/<repo>`: refs, commits and pull requests, and
 * every write request's body and the authorization each request carried, for assertions.
 *
 * @public
 */
export interface FakeGithubState {
  owner: string;
  repo: string;
  refs: Map<string, string>;
  commits: Map<string, { message: string }>;
  pulls: FakeGithubPullRequest[];
  requests: { tree: any[]; commit: any[]; ref: any[]; pull: any[]; blob: any[] };
  auth: Set<string>;
}

/** A fresh fake GitHub repository. @public */
export function fakeGithubState(owner = 'acme', repo = 'gitops'): FakeGithubState {
  return {
    owner,
    repo,
    refs: new Map(),
    commits: new Map(),
    pulls: [],
    requests: { tree: [], commit: [], ref: [], pull: [], blob: [] },
    auth: new Set(),
  };
}

/** An HTTP request as the fakes see it, whoever serves them (node:http here, msw in a test). @public */
export interface FakeRequest {
  method: string;
  /** Path below the API's base URL, e.g. `/repos/acme/gitops/pulls`. */
  path: string;
  query: URLSearchParams;
  body?: any;
  authorization?: string;
}

/** An answer of a fake: status and JSON body. @public */
export interface FakeResponse {
  status: number;
  body: unknown;
}

const notFound: FakeResponse = { status: 404, body: { message: 'Not Found' } };

/**
 * GitHub's REST API for one repository, as the write path and the listing of promotion pull
 * requests use it: pull requests (list with state/base/head filters and pages, create), Git
 * refs, commits, trees and blobs. Answers undefined for a path it does not serve.
 *
 * @public
 */
export function answerGithub(state: FakeGithubState, request: FakeRequest): FakeResponse | undefined {
  const prefix = `/repos/${state.owner}/${state.repo}`;
  if (!request.path.startsWith(`${prefix}/`)) return undefined;
  state.auth.add(request.authorization ?? '<none>');
  const path = request.path.slice(prefix.length);
  const { method, query, body } = request;
  if (method === 'GET' && path === '/pulls') return { status: 200, body: listPulls(state, query) };
  if (method === 'POST' && path === '/pulls') return { status: 201, body: createPull(state, body) };
  if (method === 'GET' && path.startsWith('/git/ref/')) {
    const ref = decodeURIComponent(path.slice('/git/ref/'.length));
    const sha = state.refs.get(ref.replace(/^heads\//, ''));
    return sha ? { status: 200, body: { ref: `refs/${ref}`, object: { sha, type: 'commit' } } } : notFound;
  }
  if (method === 'GET' && path.startsWith('/git/commits/')) {
    const sha = decodeURIComponent(path.slice('/git/commits/'.length));
    return { status: 200, body: { sha, tree: { sha: 'base-tree-sha' }, message: state.commits.get(sha)?.message ?? 'base' } };
  }
  if (method === 'POST' && path === '/git/blobs') {
    state.requests.blob.push(body);
    return { status: 201, body: { sha: 'blob-sha' } };
  }
  if (method === 'POST' && path === '/git/trees') {
    state.requests.tree.push(body);
    return { status: 201, body: { sha: 'new-tree-sha' } };
  }
  if (method === 'POST' && path === '/git/commits') {
    state.requests.commit.push(body);
    const sha = `c0ffee${String(state.requests.commit.length).padStart(34, '0')}`;
    state.commits.set(sha, { message: body.message });
    return { status: 201, body: { sha } };
  }
  if (method === 'POST' && path === '/git/refs') {
    state.requests.ref.push(body);
    const branch = String(body.ref).replace(/^refs\/heads\//, '');
    if (state.refs.has(branch)) return { status: 422, body: { message: 'Reference already exists' } };
    state.refs.set(branch, body.sha);
    return { status: 201, body: { ref: body.ref } };
  }
  return notFound;
}

function listPulls(state: FakeGithubState, query: URLSearchParams) {
  const wanted = query.get('state') ?? 'open';
  const head = query.get('head');
  const base = query.get('base');
  const perPage = Number(query.get('per_page') ?? 30);
  const page = Number(query.get('page') ?? 1);
  return state.pulls
    .filter(p => wanted === 'all' || p.state === wanted)
    .filter(p => !head || `${state.owner}:${p.head.ref}` === head)
    .filter(p => !base || p.base.ref === base)
    .slice((page - 1) * perPage, page * perPage);
}

function createPull(state: FakeGithubState, body: any): FakeGithubPullRequest {
  state.requests.pull.push(body);
  return addGithubPullRequest(state, {
    title: body.title,
    body: body.body ?? '',
    head: { ref: body.head, sha: state.refs.get(body.head) },
    base: { ref: body.base },
  });
}

/** Adds a pull request to a fake GitHub repository, as if someone had opened it; returns it. @public */
export function addGithubPullRequest(
  state: FakeGithubState,
  pull: Partial<Omit<FakeGithubPullRequest, 'head'>> & { head: { ref: string; sha?: string } },
): FakeGithubPullRequest {
  const number = pull.number ?? 7 + state.pulls.length;
  const added: FakeGithubPullRequest = {
    number,
    state: 'open',
    merged_at: null,
    html_url: `https://github.com/${state.owner}/${state.repo}/pull/${number}`,
    title: `Change from ${pull.head.ref}`,
    body: '',
    draft: false,
    base: { ref: 'main' },
    user: { login: 'cellplane-bot' },
    requested_reviewers: [],
    requested_teams: [],
    created_at: new Date(Date.UTC(2026, 0, 1, 12, state.pulls.length)).toISOString(),
    ...pull,
    head: { ref: pull.head.ref, sha: pull.head.sha },
  };
  state.pulls.push(added);
  return added;
}

/** GitLab's merge request listing for one project (`<group>/<project>`), with state and target filters and pages. @public */
export function answerGitlab(project: string, mergeRequests: FakeGitlabMergeRequest[], request: FakeRequest): FakeResponse | undefined {
  const prefix = `/api/v4/projects/${encodeURIComponent(project)}/merge_requests`;
  if (request.method !== 'GET' || request.path !== prefix) return undefined;
  const wanted = request.query.get('state');
  const target = request.query.get('target_branch');
  const perPage = Number(request.query.get('per_page') ?? 20);
  const page = Number(request.query.get('page') ?? 1);
  return {
    status: 200,
    body: mergeRequests
      .filter(mr => !wanted || wanted === 'all' || mr.state === wanted)
      .filter(mr => !target || mr.target_branch === target)
      .slice((page - 1) * perPage, page * perPage),
  };
}

/** A running stand-in of GitHub's and GitLab's HTTP APIs (see {@link startFakeGitHost}). @public */
export interface FakeGitHost {
  /** The server's address, e.g. `http://127.0.0.1:43125`. */
  url: string;
  /** The fake GitHub repository `acme/gitops`, as `https://github.com/acme/gitops.git` names it. */
  github: FakeGithubState;
  /** The fake GitLab project `acme/gitops`'s merge requests, as `https://gitlab.com/acme/gitops.git` names it. */
  gitlabMergeRequests: FakeGitlabMergeRequest[];
  /**
   * Backstage `integrations` config pointing github.com and gitlab.com at this server, with a
   * token each (`ghp_fake_token`, `glpat-fake-token`).
   */
  integrationsConfig: { github: Array<Record<string, string>>; gitlab: Array<Record<string, string>> };
  close(): Promise<void>;
}

/**
 * Starts a local stand-in of the Git hosts' APIs on a free port of 127.0.0.1: GitHub's REST API
 * for `acme/gitops` (what the write path opens pull requests with and what listing them reads)
 * and GitLab's merge request listing for `acme/gitops`. Point Backstage's integrations at it
 * with {@link FakeGitHost.integrationsConfig}; the repository's URL stays the host's
 * (`https://github.com/acme/gitops.git`).
 *
 * @public
 */
export async function startFakeGitHost(): Promise<FakeGitHost> {
  const github = fakeGithubState();
  const gitlabMergeRequests: FakeGitlabMergeRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readJson(req);
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body,
      authorization: req.headers.authorization ?? (req.headers['private-token'] ? `private-token ${req.headers['private-token']}` : undefined),
    };
    const answer = answerGitlab('acme/gitops', gitlabMergeRequests, request) ?? answerGithub(github, request) ?? notFound;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    github,
    gitlabMergeRequests,
    integrationsConfig: {
      github: [{ host: 'github.com', token: 'ghp_fake_token', apiBaseUrl: url }],
      gitlab: [{ host: 'gitlab.com', token: 'glpat-fake-token', apiBaseUrl: `${url}/api/v4` }],
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
