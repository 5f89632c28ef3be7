import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { EffectiveChange } from './diff';

/** What a pull request needs to be opened. */
export interface PullRequestRequest {
  repositoryUrl: string;
  baseBranch: string;
  /** The commit the changes were computed against (the base branch's head). */
  baseCommit: string;
  branch: string;
  title: string;
  body: string;
  changes: EffectiveChange[];
}

/** @public */
export interface OpenedPullRequest {
  url: string;
  number: number;
  commit: string;
  branch: string;
}

/**
 * Opens a pull request with the change as one commit on a new branch, through Backstage's
 * GitHub integration (its token or GitHub App). The commit is built with GitHub's Git data
 * API, on top of the commit the change was computed against, so no clone is needed.
 */
export async function openGithubPullRequest(
  integrations: ScmIntegrationRegistry,
  request: PullRequestRequest,
): Promise<OpenedPullRequest> {
  const integration = integrations.github.byUrl(request.repositoryUrl);
  if (!integration) {
    throw new InputError(
      `publish.mode 'pull-request' needs the GitOps repository on GitHub with an integration configured under integrations.github; ${request.repositoryUrl} has none. Use publish.mode 'commit'.`,
    );
  }
  const { owner, repo } = parseGithubUrl(request.repositoryUrl);
  const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(integrations).getCredentials({
    url: `https://${integration.config.host}/${owner}/${repo}`,
  });
  if (!token) {
    throw new InputError(`no GitHub credentials for ${owner}/${repo}; configure a token or GitHub App under integrations.github`);
  }
  const octokit = new Octokit({ auth: token, baseUrl: integration.config.apiBaseUrl });

  const base = await octokit.git.getCommit({ owner, repo, commit_sha: request.baseCommit });
  const tree = await octokit.git.createTree({
    owner,
    repo,
    base_tree: base.data.tree.sha,
    tree: request.changes.map(change => ({
      path: change.path,
      mode: '100644' as const,
      type: 'blob' as const,
      ...(change.content === null ? { sha: null } : { content: change.content.toString() }),
    })),
  });
  const commit = await octokit.git.createCommit({
    owner,
    repo,
    message: `${request.title}\n\n${request.body}`,
    tree: tree.data.sha,
    parents: [request.baseCommit],
  });
  await octokit.git.createRef({ owner, repo, ref: `refs/heads/${request.branch}`, sha: commit.data.sha });
  const pull = await octokit.pulls.create({
    owner,
    repo,
    title: request.title,
    body: request.body,
    head: request.branch,
    base: request.baseBranch,
  });
  return { url: pull.data.html_url, number: pull.data.number, commit: commit.data.sha, branch: request.branch };
}

function parseGithubUrl(url: string): { owner: string; repo: string } {
  const match = /^https:\/\/[^/]+\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  if (!match) {
    throw new InputError(`cannot tell the GitHub owner and repository from ${url}; expected https://<host>/<owner>/<repo>`);
  }
  return { owner: match[1], repo: match[2] };
}

/** The web page of a commit, for GitHub and GitLab hosted repositories. */
export function commitWebUrl(
  integrations: ScmIntegrationRegistry | undefined,
  repositoryUrl: string,
  commit: string,
): string | undefined {
  if (!/^https:\/\//.test(repositoryUrl) || !integrations) return undefined;
  const web = repositoryUrl.replace(/\.git\/?$/, '').replace(/\/$/, '');
  if (integrations.github.byUrl(repositoryUrl)) return `${web}/commit/${commit}`;
  if (integrations.gitlab.byUrl(repositoryUrl)) return `${web}/-/commit/${commit}`;
  return undefined;
}
