import { InputError } from '@backstage/errors';
import type { GitLabIntegrationConfig } from '@backstage/integration';
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
