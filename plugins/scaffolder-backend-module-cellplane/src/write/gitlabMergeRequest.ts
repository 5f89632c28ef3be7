import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { GitLabIntegrationConfig, ScmIntegrationRegistry } from '@backstage/integration';
import { gitlabProjectPath } from '@cellplane/backstage-plugin-node';
import { CommitAction, Gitlab } from '@gitbeaker/rest';
import { isUtf8, OpenedPullRequest, PullRequestRequest, redactUrl } from './pullRequestCommon';

/**
 * Opens a GitLab merge request with the change as one commit on a new branch, through
 * Backstage's GitLab integration (`integrations.gitlab`: host, token, apiBaseUrl). The commit
 * is made with GitLab's commits API on top of the commit the change was computed against, so
 * no clone is needed. Idempotent: an open (or merged) merge request from the branch, or the
 * branch already holding this commit, is picked up instead of failing or duplicating.
 */
export async function openGitlabMergeRequest(
  integrations: ScmIntegrationRegistry,
  request: PullRequestRequest,
): Promise<OpenedPullRequest> {
  const integration = integrations.gitlab.byUrl(request.repositoryUrl);
  if (!integration) {
    throw new InputError(
      `publish.mode 'pull-request' needs the host of cellplane.gitops.url (${redactUrl(request.repositoryUrl)}) configured under integrations.gitlab in app-config (host, token, and apiBaseUrl for a self-hosted server)`,
    );
  }
  const config = integration.config;
  const project = gitlabProjectPath(request.repositoryUrl, config);
  if (!config.token) {
    throw new InputError(
      `no GitLab token for ${config.host}: set integrations.gitlab[].token for host ${config.host} in app-config (a token with the api scope whose user can push branches and open merge requests in ${project})`,
    );
  }
  const api = new Gitlab({ host: gitbeakerHost(config), token: config.token });
  const call = <T>(what: string, fn: () => Promise<T>) => gitlabCall(config.host, project, what, fn);
  const message = `${request.title}\n\n${request.body}`;

  const existing = async () => {
    const requests = await call(`looking for a merge request from ${request.branch}`, () =>
      api.MergeRequests.all({ projectId: project, sourceBranch: request.branch, targetBranch: request.baseBranch }),
    );
    // An open request is this task's earlier run; a merged one already delivered the change.
    const mr = requests.find(r => r.state === 'opened') ?? requests.find(r => r.state === 'merged');
    return mr && { url: mr.web_url, number: mr.iid, commit: mr.sha ? String(mr.sha) : '', branch: request.branch };
  };
  const found = await existing();
  if (found) return found;

  /** The commit the branch already holds, if it is this change's; a foreign branch is a conflict. */
  const commitOnBranch = async (): Promise<string | undefined> => {
    const branch = await api.Branches.show(project, request.branch).catch(error => {
      if (statusOf(error) === 404) return undefined;
      throw gitlabError(error, config.host, project, `reading branch ${request.branch}`);
    });
    if (!branch) return undefined;
    const head = branch.commit as { id: string; message?: string };
    if ((head.message ?? '').trim() !== message.trim()) {
      throw new ConflictError(
        `branch ${request.branch} already exists in ${project} on ${config.host} and holds other changes; set publish.branch to a new branch name, or delete the branch ${request.branch}`,
      );
    }
    return head.id;
  };

  let commit = await commitOnBranch();
  if (!commit) {
    try {
      const created = await api.Commits.create(project, request.branch, message, commitActions(request), {
        startSha: request.baseCommit,
        ...(request.author ? { authorName: request.author.name, authorEmail: request.author.email } : {}),
      });
      commit = created.id;
    } catch (error) {
      // The branch appeared meanwhile (a retry of this task, or someone else): decide as above.
      const raced = /already exists/i.test(descriptionOf(error)) ? await commitOnBranch() : undefined;
      if (!raced) throw gitlabError(error, config.host, project, `committing to a new branch ${request.branch}`);
      commit = raced;
    }
  }

  try {
    const mr = await api.MergeRequests.create(project, request.branch, request.baseBranch, request.title, {
      description: request.body,
      removeSourceBranch: true,
    });
    return { url: mr.web_url, number: mr.iid, commit, branch: request.branch };
  } catch (error) {
    // "Another open merge request already exists for this source branch": a concurrent run.
    const again = statusOf(error) === 409 ? await existing() : undefined;
    if (again) return again;
    throw gitlabError(error, config.host, project, `opening a merge request from ${request.branch} into ${request.baseBranch}`);
  }
}

/** One commit action per changed file; text as is, anything that is not UTF-8 as base64. */
function commitActions(request: PullRequestRequest): CommitAction[] {
  return request.changes.map(change => {
    if (change.content === null) return { action: 'delete', filePath: change.path };
    const action = change.before === undefined ? 'create' : 'update';
    const bytes = Buffer.from(change.content);
    return isUtf8(bytes)
      ? { action, filePath: change.path, content: bytes.toString('utf8') }
      : { action, filePath: change.path, content: bytes.toString('base64'), encoding: 'base64' };
  });
}

/** gitbeaker appends /api/v4 to its host, so the host is the integration's apiBaseUrl without it. */
function gitbeakerHost(config: GitLabIntegrationConfig): string {
  const api = config.apiBaseUrl.replace(/\/+$/, '');
  if (!/\/api\/v4$/.test(api)) {
    throw new InputError(
      `integrations.gitlab apiBaseUrl for ${config.host} must end in /api/v4 (GitLab's REST API), e.g. https://${config.host}/api/v4; it is ${api}`,
    );
  }
  return api.replace(/\/api\/v4$/, '');
}

async function gitlabCall<T>(host: string, project: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw gitlabError(error, host, project, what);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as any)?.cause?.response?.status;
}

function descriptionOf(error: unknown): string {
  return String((error as any)?.cause?.description ?? (error as any)?.message ?? error);
}

/**
 * An error that says what to do. Only the status and GitLab's message are kept: gitbeaker's
 * error carries the request, whose PRIVATE-TOKEN header must never reach a log.
 */
function gitlabError(error: unknown, host: string, project: string, what: string): Error {
  const status = statusOf(error);
  const said = descriptionOf(error);
  const where = `GitLab (${host}) while ${what} in ${project}`;
  switch (status) {
    case 401:
      return new AuthenticationError(
        `${where}: the token under integrations.gitlab (host ${host}) was rejected (401: ${said}); it is invalid, expired or revoked: replace it with a token with the api scope`,
      );
    case 403:
      return new NotAllowedError(
        `${where}: not allowed (403: ${said}); the token under integrations.gitlab (host ${host}) needs the api scope and a user with at least the Developer role on ${project} (and branch creation not blocked by push rules)`,
      );
    case 404:
      return new NotFoundError(
        `${where}: not found (404: ${said}); check cellplane.gitops.url and cellplane.gitops.branch, and that the user of the token under integrations.gitlab (host ${host}) is a member of ${project}`,
      );
    case 409:
      return new ConflictError(`${where}: ${said} (409); set publish.branch to a new branch name, or close the other merge request`);
    default:
      return new Error(status ? `${where}: GitLab answered ${status}: ${said}` : `${where}: ${said}`);
  }
}
