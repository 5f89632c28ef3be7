import { AuthenticationError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GitLabIntegrationConfig,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { explainInvalidGitBranch } from '@cellplane/backstage-plugin-common';

/** The write-path actions whose pull requests carry a parseable branch name. @public */
export type PromotionAction = 'promote' | 'rollback';

/** What a promotion branch name says. @public */
export interface PromotionBranch {
  action: PromotionAction;
  namespace: string;
  component: string;
  /** The environment the change targets. */
  environment: string;
  /** Tells two pull requests for the same target apart (from the scaffolder task's id). */
  id: string;
}

const BRANCH_PATTERN = /^cellplane\/(promote|rollback)\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-([0-9a-f]{4,16})$/;

/**
 * The branch a promotion or rollback pull request is opened from:
 * `cellplane/<action>/<namespace>/<component>/<environment>-<id>`. Names are RFC 1123 labels (no
 * `/`), so the name parses back ({@link parsePromotionBranch}) and shows which environment an
 * open pull request would change. Throws InputError when the result is not a valid Git branch.
 *
 * @public
 */
export function promotionBranchName(branch: PromotionBranch): string {
  const name = `cellplane/${branch.action}/${branch.namespace}/${branch.component}/${branch.environment}-${branch.id}`;
  const problem = explainInvalidGitBranch(name);
  if (problem || !BRANCH_PATTERN.test(name)) {
    throw new InputError(`cannot name a pull request branch ${JSON.stringify(name)}: ${problem ?? 'its parts must be lowercase RFC 1123 names and a hexadecimal id'}`);
  }
  return name;
}

/** What a branch name made by {@link promotionBranchName} says; undefined for any other branch. @public */
export function parsePromotionBranch(branch: string): PromotionBranch | undefined {
  const match = BRANCH_PATTERN.exec(branch);
  if (!match) return undefined;
  const [, action, namespace, component, environment, id] = match;
  return { action: action as PromotionAction, namespace, component, environment, id };
}

/** An open pull request (GitHub) or merge request (GitLab) the write path opened. @public */
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

/** Where to look for {@link listOpenPromotionPullRequests}. @public */
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
 * @public
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

/** The URL without credentials, for messages. */
function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/)[^/@]*@/, '$1');
}

/**
 * The owner and repository of a GitHub repository URL (`https://<host>/<owner>/<repo>[.git]`).
 * Throws InputError naming `cellplane.gitops.url` otherwise.
 *
 * @public
 */
export function githubRepositoryOf(url: string): { owner: string; repo: string } {
  const match = /^https:\/\/[^/]+\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  if (!match) {
    throw new InputError(
      `cannot tell the GitHub owner and repository from cellplane.gitops.url ${redactUrl(url)}; expected https://<host>/<owner>/<repo>`,
    );
  }
  return { owner: match[1], repo: match[2] };
}

/**
 * The project's full path (group/subgroup/repo) from the repository URL, below the
 * integration's baseUrl (a self-hosted GitLab may live under a path, e.g. https://host/gitlab).
 * Throws InputError naming `cellplane.gitops.url` otherwise.
 *
 * @public
 */
export function gitlabProjectPath(repositoryUrl: string, config: GitLabIntegrationConfig): string {
  const expected = `${config.baseUrl}/<group>/<project> (subgroups allowed, .git optional)`;
  const url = new URL(repositoryUrl);
  const basePath = new URL(config.baseUrl).pathname.replace(/\/$/, '');
  let path = url.pathname;
  if (basePath && !path.startsWith(`${basePath}/`)) {
    throw new InputError(`cellplane.gitops.url ${redactUrl(repositoryUrl)} is not below the GitLab baseUrl; expected ${expected}`);
  }
  path = path.slice(basePath.length).replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  const segments = path.split('/');
  const valid = segments.length >= 2 && segments.every(s => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(s) && !s.endsWith('.'));
  if (!valid || url.search || url.hash) {
    throw new InputError(`cannot tell the GitLab project from cellplane.gitops.url ${redactUrl(repositoryUrl)}; expected ${expected}`);
  }
  return path;
}
