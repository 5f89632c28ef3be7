import { runGit } from '@cellplane/backstage-plugin-node';
import { posix } from 'node:path';

/** The commit that added a release's file. */
export interface ReleaseOrigin {
  commit: string;
  /** Committer time, ISO 8601. */
  createdAt: string;
  /** Position in `git log` (0 = newest), to order releases made in the same second. */
  order: number;
}

const MARK = '\u0001';

/**
 * When each release file was added: one `git log --diff-filter=A` over the folders holding the
 * files, read in the GitOps repository's mirror at `commit`. A release is immutable, so the
 * commit that added its file is the one that made it.
 *
 * The walk stops after as many adding commits as there are files (each adds at least one), so
 * it costs a walk of the history back to the oldest release, never more than one full walk.
 * Files git does not show as added (e.g. history cut by a shallow clone) are left out of the map.
 */
export async function readReleaseHistory(
  gitDir: string,
  commit: string,
  files: string[],
): Promise<Map<string, ReleaseOrigin>> {
  const origins = new Map<string, ReleaseOrigin>();
  if (files.length === 0) return origins;
  const wanted = new Set(files);
  const folders = [...new Set(files.map(file => posix.dirname(file)))];
  const { stdout } = await runGit(
    [
      'log',
      `--max-count=${files.length}`,
      '--diff-filter=A',
      '--no-renames',
      '--name-only',
      `--format=${MARK}%H %cI`,
      commit,
      '--',
      ...folders.map(folder => `:(literal)${folder}`),
    ],
    { cwd: gitDir },
  );
  let current: Omit<ReleaseOrigin, 'order'> | undefined;
  let order = 0;
  for (const line of stdout.toString('utf8').split('\n')) {
    if (line.startsWith(MARK)) {
      const [sha, createdAt] = line.slice(1).split(' ');
      current = { commit: sha, createdAt };
      order += 1;
    } else if (current && wanted.has(line) && !origins.has(line)) {
      origins.set(line, { ...current, order });
    }
  }
  return origins;
}
