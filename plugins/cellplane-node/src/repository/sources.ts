import { readFileSync, promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { iterateWhileStreaming } from '../async/iterateWhileStreaming';
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

/** Reads the model files of a working tree (a checkout or a plain folder). @public */
export async function readWorkingTree(root: string): Promise<RepositorySnapshot> {
  const paths = (await listFiles(root)).filter(path => gitOpsLayout.isModelFile(path));
  // Synchronous reads: for thousands of small files they are several times faster than
  // fs.promises (one thread-pool round trip per open, stat, read and close). This source is for
  // the CLI and tests; the backend reads from Git (loadRepositoryModelFromGit).
  const files = paths.map(path => ({ path, content: readFileSync(join(root, path)) }));
  return { files };
}

/** Every file under a folder, as sorted repository paths ('/' between segments). @internal */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter(entry => entry.isFile())
    .map(entry => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** A file of a commit: its path and Git blob id. @public */
export interface GitBlob {
  path: string;
  sha: string;
}

/** A file of a commit with its content. @public */
export interface GitTreeFile extends GitBlob, RepositoryFile {}

/** What {@link streamGitFiles} reads. @internal */
export interface StreamGitFilesOptions {
  /** Only files in this folder (a repository path without a trailing '/'); default: the whole tree. */
  folder?: string;
  /** Which files are listed at all, by path (default: every file). */
  include?: (path: string) => boolean;
  /** Turns down a listed file before its content is read (e.g. one whose blob is cached). */
  skip?: (blob: GitBlob) => boolean;
  /**
   * Receives each file that is not turned down, in tree order, as git produces it. `content` is
   * a view of git's output: copy it to keep it past the call.
   */
  onFile: (file: RepositoryFile, sha: string) => void;
}

/**
 * Lists the files of a commit (path and blob id, in tree order; blobs only, so no submodules)
 * and streams the content of those wanted to `onFile`: one `rev-parse`, one `ls-tree` (of
 * `folder` only, when given) and one `cat-file --batch` for the files wanted, if any. Resolves
 * to the commit's id and the files listed (those `include` took, whether skipped or not).
 *
 * @internal
 */
export async function streamGitFiles(
  gitDir: string,
  ref: string,
  options: StreamGitFilesOptions,
): Promise<{ revision: string; blobs: GitBlob[] }> {
  const revision = await gitText(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: gitDir,
  });
  const blobs = await listGitBlobs(gitDir, revision, options.folder);
  const listed = options.include ? blobs.filter(blob => options.include!(blob.path)) : blobs;
  const wanted = options.skip ? listed.filter(blob => !options.skip!(blob)) : listed;
  if (wanted.length > 0) {
    await catFileBatch(gitDir, wanted, options.onFile);
  }
  return { revision, blobs: listed };
}

/**
 * The files {@link streamGitFiles} reads, as an async iterable for a consumer that awaits between
 * files. Each file's content is a copy, so that what the consumer keeps does not hold on to git's
 * whole output chunk; leaving the loop early stops git. `onListed` receives what streamGitFiles
 * resolves to, before the loop ends.
 *
 * @internal
 */
export function iterateGitFiles(
  gitDir: string,
  ref: string,
  options: Omit<StreamGitFilesOptions, 'onFile'> & { onListed?: (listing: { revision: string; blobs: GitBlob[] }) => void },
): AsyncGenerator<GitTreeFile> {
  const { onListed, ...read } = options;
  return iterateWhileStreaming<GitTreeFile>(async push => {
    const listing = await streamGitFiles(gitDir, ref, {
      ...read,
      onFile: (file, sha) => push({ path: file.path, sha, content: Buffer.from(file.content) }),
    });
    onListed?.(listing);
  });
}

/** The blobs of a commit's tree (or of one folder of it), in tree order. */
async function listGitBlobs(gitDir: string, revision: string, folder?: string): Promise<GitBlob[]> {
  const listing = await runGit(['ls-tree', '-r', '-z', '--full-tree', revision, ...(folder ? ['--', folder] : [])], {
    cwd: gitDir,
  });
  const blobs: GitBlob[] = [];
  for (const record of listing.stdout.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, sha] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (type === 'blob' && (!folder || path.startsWith(`${folder}/`))) {
      blobs.push({ sha, path });
    }
  }
  return blobs;
}

/** Feeds blob ids to `git cat-file --batch` and cuts its output into files as it arrives. */
async function catFileBatch(
  gitDir: string,
  blobs: Array<{ sha: string; path: string }>,
  onFile: (file: RepositoryFile, sha: string) => void,
): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let next = 0;
  const onStdout = (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (next < blobs.length) {
      const headerEnd = pending.indexOf(10, offset);
      if (headerEnd < 0) break;
      const header = pending.toString('utf8', offset, headerEnd);
      const size = Number(header.split(' ')[2]);
      if (!Number.isFinite(size)) {
        throw new Error(`unexpected git cat-file output for ${blobs[next].path}: ${header}`);
      }
      const end = headerEnd + 1 + size;
      if (end + 1 > pending.length) break;
      onFile({ path: blobs[next].path, content: pending.subarray(headerEnd + 1, end) }, blobs[next].sha);
      next += 1;
      offset = end + 1;
    }
    pending = pending.subarray(offset);
  };
  await runGit(['cat-file', '--batch', '--buffer'], { cwd: gitDir, input: `${blobs.map(blob => blob.sha).join('\n')}\n`, onStdout });
  if (next !== blobs.length) {
    throw new Error(`git cat-file returned ${next} of ${blobs.length} files`);
  }
}
