/** How a commit changed a file (renames show as a deletion and an addition). @public */
export type CommitFileStatus = 'added' | 'modified' | 'deleted' | 'type-changed';

/** One file a commit changed, against its first parent. @public */
export interface CommitFileChange {
  path: string;
  status: CommitFileStatus;
  /** Lines added and removed; null for a binary file. */
  additions: number | null;
  deletions: number | null;
  /**
   * The file's unified diff (from its `diff --git` line). Absent for a binary file, and for the
   * files after the cut when the commit's diff exceeded the size the backend shows.
   */
  patch?: string;
}

/**
 * A commit of the GitOps repository's branch as the portal shows it
 * (`GET /api/cellplane/repository/commits/:sha`).
 *
 * @public
 */
export interface CommitDetails {
  /** The full commit id. */
  commit: string;
  /** Parent commit ids: none for the first commit, two or more for a merge. */
  parents: string[];
  author: { name: string; email: string };
  /** When it was authored, ISO 8601 with the author's offset. */
  date: string;
  message: string;
  /** The files changed, against the first parent, in path order. */
  files: CommitFileChange[];
  /**
   * True when not everything is shown: the diff was cut at the backend's size limit (later files
   * have no patch), the file list at its count limit, or the message at its length limit.
   */
  truncated: boolean;
}

/** A commit id as the portal accepts it in a URL: 7 to 40 hexadecimal digits. @public */
export const COMMIT_ID_PATTERN = /^[0-9a-f]{7,40}$/;
