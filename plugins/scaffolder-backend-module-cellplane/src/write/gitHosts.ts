import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { openGithubPullRequest } from './githubPullRequest';
import { openGitlabMergeRequest } from './gitlabMergeRequest';
import { assertBranchName, OpenedPullRequest, PullRequestRequest, redactUrl } from './pullRequestCommon';

/**
 * Opens a pull request (GitHub) or merge request (GitLab) with the change as one commit on a
 * new branch, through the Backstage integration configured for the GitOps repository's host.
 * Idempotent: when the branch already holds this change or a request for it is open (or
 * merged), that request is returned instead of a second one.
 */
export async function openPullRequest(
  integrations: ScmIntegrationRegistry,
  request: PullRequestRequest,
): Promise<OpenedPullRequest> {
  assertBranchName(request.branch);
  if (!/^https:\/\//.test(request.repositoryUrl)) {
    throw new InputError(
      `publish.mode 'pull-request' needs cellplane.gitops.url as an https URL of a GitHub or GitLab repository (https://<host>/<owner or group>/<repo>); ${redactUrl(request.repositoryUrl)} is not. Use publish.mode 'commit' for other repositories.`,
    );
  }
  if (integrations.github.byUrl(request.repositoryUrl)) return openGithubPullRequest(integrations, request);
  if (integrations.gitlab.byUrl(request.repositoryUrl)) return openGitlabMergeRequest(integrations, request);
  const host = new URL(request.repositoryUrl).host;
  throw new InputError(
    `publish.mode 'pull-request' needs the host of cellplane.gitops.url (${redactUrl(request.repositoryUrl)}) configured as a Backstage integration: add ${host} under integrations.github (host, token or GitHub App) or integrations.gitlab (host, token, and apiBaseUrl for a self-hosted server) in app-config, or use publish.mode 'commit'.`,
  );
}

/** The web page of a commit, for GitHub and GitLab hosted repositories. */
export function commitWebUrl(
  integrations: ScmIntegrationRegistry | undefined,
  repositoryUrl: string,
  commit: string,
): string | undefined {
  if (!/^https:\/\//.test(repositoryUrl) || !integrations) return undefined;
  const web = redactUrl(repositoryUrl).replace(/\.git\/?$/, '').replace(/\/$/, '');
  if (integrations.github.byUrl(repositoryUrl)) return `${web}/commit/${commit}`;
  if (integrations.gitlab.byUrl(repositoryUrl)) return `${web}/-/commit/${commit}`;
  return undefined;
}
