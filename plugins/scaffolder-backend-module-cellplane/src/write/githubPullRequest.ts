import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { githubRepositoryOf } from '@cellplane/backstage-plugin-node';
import { Octokit } from '@octokit/rest';
import {
  assertBranchName,
  isUtf8,
  OpenedPullRequest,
  PullRequestRequest,
  redactUrl,
} from './pullRequestCommon';

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
      `publish.mode 'pull-request' needs the host of cellplane.gitops.url (${redactUrl(request.repositoryUrl)}) configured under integrations.github in app-config`,
    );
  }
  assertBranchName(request.branch);
  const { owner, repo } = githubRepositoryOf(request.repositoryUrl);
  const slug = `${owner}/${repo}`;
  const host = integration.config.host;
  const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(integrations).getCredentials({
    url: `https://${host}/${owner}/${repo}`,
  });
  if (!token) {
    throw new InputError(
      `no GitHub credentials for ${slug} on ${host}: configure a token or a GitHub App installed on ${owner} under integrations.github (host ${host}) in app-config`,
    );
  }
  const octokit = new Octokit({ auth: token, baseUrl: integration.config.apiBaseUrl });
  const message = `${request.title}\n\n${request.body}`;
  const call = <T>(what: string, fn: () => Promise<T>) => githubCall(host, slug, what, fn);

  const existing = async () => {
    const pulls = await call(`looking for a pull request from ${request.branch}`, () =>
      octokit.pulls.list({ owner, repo, head: `${owner}:${request.branch}`, state: 'all', per_page: 100 }),
    );
    // An open request is this task's earlier run; a merged one already delivered the change.
    const pull = pulls.data.find(p => p.state === 'open') ?? pulls.data.find(p => p.merged_at);
    return pull && { url: pull.html_url, number: pull.number, commit: pull.head.sha, branch: request.branch };
  };
  const found = await existing();
  if (found) return found;

  /** The commit the branch already holds, if it is this change's; a foreign branch is a conflict. */
  const commitOnBranch = async (): Promise<string | undefined> => {
    const ref = await octokit.git.getRef({ owner, repo, ref: `heads/${request.branch}` }).catch(error => {
      if (error?.status === 404) return undefined;
      throw githubError(error, host, slug, `reading branch ${request.branch}`);
    });
    if (!ref) return undefined;
    const head = await call(`reading the head of ${request.branch}`, () =>
      octokit.git.getCommit({ owner, repo, commit_sha: ref.data.object.sha }),
    );
    if (head.data.message.trim() !== message.trim()) {
      throw new ConflictError(
        `branch ${request.branch} already exists in ${slug} and holds other changes; set publish.branch to a new branch name, or delete the branch ${request.branch}`,
      );
    }
    return head.data.sha;
  };

  let commit = await commitOnBranch();
  if (!commit) {
    const base = await call(`reading commit ${request.baseCommit}`, () =>
      octokit.git.getCommit({ owner, repo, commit_sha: request.baseCommit }),
    );
    const entries = await Promise.all(
      request.changes.map(async change => {
        const entry = { path: change.path, mode: '100644' as const, type: 'blob' as const };
        if (change.content === null) return { ...entry, sha: null };
        const bytes = Buffer.from(change.content);
        if (isUtf8(bytes)) return { ...entry, content: bytes.toString('utf8') };
        // Tree entries carry text only; binary files go up as base64 blobs first.
        const blob = await call(`uploading ${change.path}`, () =>
          octokit.git.createBlob({ owner, repo, content: bytes.toString('base64'), encoding: 'base64' }),
        );
        return { ...entry, sha: blob.data.sha };
      }),
    );
    const tree = await call('creating the tree', () =>
      octokit.git.createTree({ owner, repo, base_tree: base.data.tree.sha, tree: entries }),
    );
    const created = await call('creating the commit', () =>
      octokit.git.createCommit({
        owner,
        repo,
        message,
        tree: tree.data.sha,
        parents: [request.baseCommit],
        ...(request.author ? { author: request.author } : {}),
      }),
    );
    commit = created.data.sha;
    const made = await octokit.git
      .createRef({ owner, repo, ref: `refs/heads/${request.branch}`, sha: commit })
      .then(() => true)
      .catch(error => {
        if (error?.status === 422) return false; // created meanwhile, by a retry of this task or someone else
        throw githubError(error, host, slug, `creating branch ${request.branch}`);
      });
    if (!made) commit = (await commitOnBranch()) ?? commit;
  }

  let pull;
  try {
    pull = await octokit.pulls.create({
      owner,
      repo,
      title: request.title,
      body: request.body,
      head: request.branch,
      base: request.baseBranch,
    });
  } catch (error) {
    // "A pull request already exists": a concurrent run of this task opened it.
    const again = (error as any)?.status === 422 ? await existing() : undefined;
    if (again) return again;
    throw githubError(error, host, slug, `opening a pull request from ${request.branch} into ${request.baseBranch}`);
  }
  const data = pull.data;
  return { url: data.html_url, number: data.number, commit, branch: request.branch };
}

async function githubCall<T>(host: string, slug: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw githubError(error, host, slug, what);
  }
}

/**
 * An error that says what to do. Only status and GitHub's message are kept: the original error
 * carries the request, and its headers must never reach a log.
 */
function githubError(error: any, host: string, slug: string, what: string): Error {
  const status: number | undefined = error?.status;
  const said = String(error?.response?.data?.message ?? error?.message ?? error);
  const where = `GitHub (${host}) while ${what} in ${slug}`;
  switch (status) {
    case 401:
      return new AuthenticationError(
        `${where}: the credentials under integrations.github (host ${host}) were rejected (401); replace the token, or check the GitHub App's key`,
      );
    case 403:
      return new NotAllowedError(
        `${where}: not allowed (403: ${said}); the token or GitHub App under integrations.github (host ${host}) needs contents and pull requests write access to ${slug}`,
      );
    case 404:
      return new NotFoundError(
        `${where}: not found (404); check cellplane.gitops.url, and that the token or GitHub App under integrations.github (host ${host}) can see ${slug}`,
      );
    case 409:
    case 422:
      return new ConflictError(`${where}: ${said} (${status})`);
    default:
      return new Error(status ? `${where}: GitHub answered ${status}: ${said}` : `${where}: ${said}`);
  }
}
