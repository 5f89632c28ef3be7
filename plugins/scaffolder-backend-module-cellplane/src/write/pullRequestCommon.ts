import { InputError } from '@backstage/errors';
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
 * The pull request's branch becomes a Git ref on the server: refuse what `git check-ref-format
 * --branch` would, and anything that could be read as an option or a path outside refs/heads.
 * Stricter than git (ASCII letters, digits, `.`, `_`, `-`, `/` only), which also rules out
 * control characters, `~^:?*[\`, spaces and `@{`.
 */
export function assertBranchName(branch: string): void {
  const bad =
    typeof branch !== 'string' ||
    branch.length === 0 ||
    branch.length > 200 ||
    branch === 'HEAD' ||
    !/^[A-Za-z0-9._\-/]+$/.test(branch) ||
    /(^|\/)\.|\.\.|\/\/|^\/|\/$|\.lock(\/|$)|\.$|^-/.test(branch);
  if (bad) {
    // JSON.stringify shows control characters escaped; the slice keeps a huge value out of the message
    throw new InputError(
      `publish.branch ${JSON.stringify(String(branch)).slice(0, 80)} is not a valid branch name: use up to 200 letters, digits, '.', '_', '-' and '/' (no '..', no leading '-', '.' or '/', no trailing '/', '.' or '.lock', not HEAD)`,
    );
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
