import { InputError } from '@backstage/errors';
import { explainInvalidGitBranch } from '@cellplane/backstage-plugin-common';
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
  /**
   * Who the commit is by: the user who ran the template. The host records its token's user as
   * the committer; without an author it would also be named as the author.
   */
  author?: { name: string; email: string };
}

/** A pull request (GitHub) or merge request (GitLab), opened now or found from an earlier run. @public */
export interface OpenedPullRequest {
  url: string;
  /** The pull request number (GitHub) or merge request iid (GitLab). */
  number: number;
  commit: string;
  branch: string;
}

/**
 * The pull request's branch becomes a Git ref on the server: the model's Git branch rule
 * (`git check-ref-format --branch`, and no leading '-' that could be read as an option), and not
 * `HEAD`.
 */
export function assertBranchName(branch: string): void {
  const problem = branch === 'HEAD' ? 'must not be HEAD' : explainInvalidGitBranch(branch);
  if (problem) {
    throw new InputError(`publish.branch ${problem}`);
  }
}

/** The URL without credentials, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/)[^/@]*@/, '$1');
}

/** Whether bytes are valid UTF-8 text (else they travel base64 encoded). */
export function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}
