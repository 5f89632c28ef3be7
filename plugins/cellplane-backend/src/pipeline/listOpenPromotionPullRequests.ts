import { AuthenticationError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { DefaultGithubCredentialsProvider, ScmIntegrationRegistry } from '@backstage/integration';
import { gitlabProjectPath, githubRepositoryOf, parsePromotionBranch, PromotionBranch } from '@cellplane/backstage-plugin-node';

/** An open pull request (GitHub) or merge request (GitLab) the write path opened. */
export interface PromotionPullRequest extends PromotionBranch {
  url: string;
  /** The pull request number (GitHub) or merge request iid (GitLab). */
  number: number;
  title: string;
  /** The host's user name of whoever opened it (the integration's token user, usually). */
  author?: string;
  /** Requested reviewers: user names, and teams as `<org>/<team>` (GitHub). */
  reviewers: string[];
  /** ISO 8601. */
  createdAt: string;
  /** The branch it was opened from. */
  branch: string;
  draft: boolean;
}

/** Where to look for {@link listOpenPromotionPullRequests}. */
export interface ListPromotionPullRequestsOptions {
  integrations: ScmIntegrationRegistry;
  /** The GitOps repository: its URL and branch (a GitOpsRepository will do). */
  repository: { url: string; branch: string };
  /** Only the pull requests of this namespace (and component). */
  namespace?: string;
  component?: string;
}

/** At most this many pages of 100 open requests are read: a repository with more is unusual. */
const MAX_PAGES = 10;

/**
 * The open pull requests (GitHub) or merge requests (GitLab) of promotions and rollbacks, into
 * the GitOps branch, from a branch the write path named ({@link promotionBranchName}): what
 * awaits approval, per target environment. Asks the host through the same Backstage
 * integration (`integrations.github` / `integrations.gitlab`) and credentials the write path
 * opens them with.
 *
 * A repository without a Git host (a path or file URL) or whose host has no integration can
 * have none: the answer is empty. A host that refuses or fails throws an error that says what
 * to configure, never a token.
 *
 */
export async function listOpenPromotionPullRequests(options: ListPromotionPullRequestsOptions): Promise<PromotionPullRequest[]> {
  const { integrations, repository } = options;
  if (!/^https:\/\//.test(repository.url)) return [];
  let found: PromotionPullRequest[] = [];
  if (integrations.github.byUrl(repository.url)) found = await listGithub(options);
  else if (integrations.gitlab.byUrl(repository.url)) found = await listGitlab(options);
  return found
    .filter(pull => (options.namespace === undefined || pull.namespace === options.namespace))
    .filter(pull => (options.component === undefined || pull.component === options.component))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number);
}

async function listGithub({ integrations, repository }: ListPromotionPullRequestsOptions): Promise<PromotionPullRequest[]> {
  const integration = integrations.github.byUrl(repository.url)!;
  const { owner, repo } = githubRepositoryOf(repository.url);
  const host = integration.config.host;
  const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(integrations).getCredentials({
    url: `https://${host}/${owner}/${repo}`,
  });
  const api = (integration.config.apiBaseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const where = `GitHub (${host}) while listing open pull requests of ${owner}/${repo}`;
  const pulls: any[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const query = new URLSearchParams({ state: 'open', base: repository.branch, per_page: '100', page: String(page) });
    const batch = await getJson(`${api}/repos/${owner}/${repo}/pulls?${query}`, where, 'integrations.github', host, {
      accept: 'application/vnd.github+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    });
    if (!Array.isArray(batch)) break;
    pulls.push(...batch);
    if (batch.length < 100) break;
  }
  return pulls.flatMap(pull => {
    const branch = String(pull?.head?.ref ?? '');
    const parsed = parsePromotionBranch(branch);
    if (!parsed) return [];
    return [
      {
        ...parsed,
        url: String(pull.html_url),
        number: Number(pull.number),
        title: String(pull.title ?? ''),
        ...(pull.user?.login ? { author: String(pull.user.login) } : {}),
        reviewers: [
          ...(pull.requested_reviewers ?? []).map((user: any) => String(user?.login)),
          ...(pull.requested_teams ?? []).map((team: any) => `${owner}/${String(team?.slug)}`),
        ],
        createdAt: String(pull.created_at ?? ''),
        branch,
        draft: pull.draft === true,
      },
    ];
  });
}

async function listGitlab({ integrations, repository }: ListPromotionPullRequestsOptions): Promise<PromotionPullRequest[]> {
  const config = integrations.gitlab.byUrl(repository.url)!.config;
  const project = gitlabProjectPath(repository.url, config);
  const api = config.apiBaseUrl.replace(/\/+$/, '');
  const where = `GitLab (${config.host}) while listing open merge requests of ${project}`;
  const requests: any[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const query = new URLSearchParams({ state: 'opened', target_branch: repository.branch, per_page: '100', page: String(page) });
    const batch = await getJson(
      `${api}/projects/${encodeURIComponent(project)}/merge_requests?${query}`,
      where,
      'integrations.gitlab',
      config.host,
      config.token ? { 'private-token': config.token } : {},
    );
    if (!Array.isArray(batch)) break;
    requests.push(...batch);
    if (batch.length < 100) break;
  }
  return requests.flatMap(mr => {
    const branch = String(mr?.source_branch ?? '');
    const parsed = parsePromotionBranch(branch);
    if (!parsed) return [];
    return [
      {
        ...parsed,
        url: String(mr.web_url),
        number: Number(mr.iid),
        title: String(mr.title ?? ''),
        ...(mr.author?.username ? { author: String(mr.author.username) } : {}),
        reviewers: (mr.reviewers ?? []).map((user: any) => String(user?.username)),
        createdAt: String(mr.created_at ?? ''),
        branch,
        draft: mr.draft === true || mr.work_in_progress === true,
      },
    ];
  });
}

/** A GET of JSON; an error says what to configure and carries neither headers nor tokens. */
async function getJson(url: string, where: string, configKey: string, host: string, headers: Record<string, string>): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    throw new Error(`${where}: ${(error as Error)?.message ?? error}`);
  }
  if (response.ok) return response.json();
  const said = await response
    .json()
    .then((body: any) => String(body?.message ?? body?.error ?? ''))
    .catch(() => '');
  switch (response.status) {
    case 401:
      throw new AuthenticationError(`${where}: the credentials under ${configKey} (host ${host}) were rejected (401); replace them`);
    case 403:
      throw new NotAllowedError(`${where}: not allowed (403${said ? `: ${said}` : ''}); the credentials under ${configKey} (host ${host}) need read access to pull requests`);
    case 404:
      throw new NotFoundError(`${where}: not found (404); check cellplane.gitops.url, and that the credentials under ${configKey} (host ${host}) can see the repository`);
    default:
      throw new Error(`${where}: the host answered ${response.status}${said ? `: ${said}` : ''}`);
  }
}

