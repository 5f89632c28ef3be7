import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gitText, runGit } from '../git/runGit';
import { gitOpsLayout } from '../layout/gitOpsLayout';

/** One file of a GitOps repository, by repository-relative path. @public */
export interface RepositoryFile {
  path: string;
  content: Buffer;
}

/** The model files of a repository at one revision. @public */
export interface RepositorySnapshot {
  /** The commit the files come from; undefined for a working tree. */
  revision?: string;
  files: RepositoryFile[];
}

const READ_CONCURRENCY = 64;

/** Reads the model files of a working tree (a checkout or a plain folder). @public */
export async function readWorkingTree(root: string): Promise<RepositorySnapshot> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter(entry => entry.isFile())
    .map(entry => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter(path => gitOpsLayout.isModelFile(path))
    .sort();
  const files: RepositoryFile[] = new Array(paths.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, async () => {
      while (next < paths.length) {
        const index = next++;
        files[index] = { path: paths[index], content: await fs.readFile(join(root, paths[index])) };
      }
    }),
  );
  return { files };
}

/**
 * Reads the model files of a commit straight from a Git repository's object database (bare or
 * not), without a checkout: one `ls-tree` and one streamed `cat-file --batch`.
 *
 * @public
 */
export async function readGitTree(gitDir: string, ref: string): Promise<RepositorySnapshot> {
  const revision = await gitText(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: gitDir,
  });
  const listing = await runGit(['ls-tree', '-r', '-z', '--full-tree', revision], { cwd: gitDir });
  const blobs: Array<{ sha: string; path: string }> = [];
  for (const record of listing.stdout.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, sha] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (type === 'blob' && gitOpsLayout.isModelFile(path)) {
      blobs.push({ sha, path });
    }
  }
  if (blobs.length === 0) {
    return { revision, files: [] };
  }
  const output = (
    await runGit(['cat-file', '--batch'], {
      cwd: gitDir,
      input: `${blobs.map(blob => blob.sha).join('\n')}\n`,
    })
  ).stdout;
  const files: RepositoryFile[] = [];
  let offset = 0;
  for (const blob of blobs) {
    const headerEnd = output.indexOf(10, offset);
    const header = output.toString('utf8', offset, headerEnd);
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) {
      throw new Error(`unexpected git cat-file output for ${blob.path}: ${header}`);
    }
    files.push({ path: blob.path, content: output.subarray(headerEnd + 1, headerEnd + 1 + size) });
    offset = headerEnd + 1 + size + 1;
  }
  return { revision, files };
}
