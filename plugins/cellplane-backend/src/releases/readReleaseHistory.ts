import { GitOpsRepository, assertSafeRepositoryPath } from '@cellplane/backstage-plugin-node';
import { posix } from 'node:path';

/** The commit that added a release's file. */
export interface ReleaseOrigin {
  commit: string;
  /** Committer time, ISO 8601. */
  createdAt: string;
  /** Position in `git log` (1 = newest), to order releases made in the same second. */
  order: number;
}

/**
 * When each release file was added: the history of the folders holding the files at `commit`,
 * as far as the commits that added files (`historyOfPaths` with diffFilter A). A release is
 * immutable, so the commit that added its file is the one that made it.
 *
 * The walk stops after as many adding commits as there are files (each adds at least one), so
 * it costs a walk of the history back to the oldest release, never more than one full walk.
 * Files git does not show as added (e.g. history cut by a shallow clone), and files whose folder
 * is not a path Cellplane would write (which `historyOfPaths` refuses), are left out of the map.
 */
export async function readReleaseHistory(
  repository: Pick<GitOpsRepository, 'historyOfPaths'>,
  commit: string,
  files: string[],
): Promise<Map<string, ReleaseOrigin>> {
  const origins = new Map<string, ReleaseOrigin>();
  const wanted = new Set(files);
  // A file at the top of the repository is asked about by itself, not by its folder (all of it).
  const folders = [...new Set(files.map(file => (posix.dirname(file) === '.' ? file : posix.dirname(file))))].filter(isSafePath);
  if (folders.length === 0) return origins;
  const history = await repository.historyOfPaths(commit, folders, { diffFilter: 'A', limit: files.length });
  history.forEach((entry, index) => {
    for (const path of entry.paths) {
      if (wanted.has(path) && !origins.has(path)) {
        origins.set(path, { commit: entry.commit, createdAt: entry.committedAt, order: index + 1 });
      }
    }
  });
  return origins;
}

/** Whether a path is one the repository may hold (the history reads skip any other). */
export function isSafePath(path: string): boolean {
  try {
    assertSafeRepositoryPath(path);
    return true;
  } catch {
    return false;
  }
}
