import { ConflictError, InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { COMMIT_ID_PATTERN, CommitDetails, CommitFileChange, CommitFileStatus } from '@cellplane/backstage-plugin-common';
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRemoteGitUrl } from '../git/remoteUrl';
import { GitCommandError, GitOutput, RunGitOptions, gitText, runGit } from '../git/runGit';
import { assertSafeRepositoryPath } from '../layout/gitOpsLayout';
import type { FileChange } from '../repository/applyChanges';
import { RepositoryModel } from '../repository/RepositoryModel';
import { ParsedFileCache, loadRepositoryModel, loadRepositoryModelFromGit } from '../repository/loadRepositoryModel';
import { GitBlob, GitTreeFile, iterateGitFiles } from '../repository/sources';

/** Who a commit is by: its author and committer. @public */
export interface CommitAuthor {
  name: string;
  email: string;
}

/** The repository as it is at the commit a change is computed against. @public */
export interface RepositoryRevision {
  /** The commit, or undefined while the branch does not exist yet. */
  readonly commit: string | undefined;
  /** The content of a file at this commit; undefined when it has no such file (or there is no commit yet). */
  readFile(path: string): Promise<Buffer | undefined>;
  /** The model at this commit (loaded once per commit and cached). */
  model(): Promise<RepositoryModel>;
}

/** A change to commit: its message, its author, and how to compute its files. @public */
export interface CommitRequest {
  message: string;
  author: CommitAuthor;
  /**
   * Computes the changes against `base`. When another writer got there first, it is called again
   * against the new head, so a change is always re-derived from what it lands on, never merged
   * blindly. Throw (e.g. InputError) to abort with nothing written.
   */
  changes(base: RepositoryRevision): Promise<FileChange[]> | FileChange[];
}

/** What {@link GitOpsRepository.commit} did. @public */
export interface CommitResult {
  /** The new commit, or undefined when the changes left the tree as it was (nothing to do). */
  commit: string | undefined;
  /** The commit the change was applied on. */
  parent: string | undefined;
  /** Paths whose content the commit changed. */
  changedPaths: string[];
  /** How many times the change was computed (1 unless other writers raced it). */
  attempts: number;
}

/** Where a {@link GitOpsRepository} reads and writes, and how. @public */
export interface GitOpsRepositoryOptions {
  /** Where the repository lives: a path or file:// URL of a (bare) repository, or an https URL. */
  url: string;
  branch: string;
  /** A folder this process owns, for its local mirror of the repository. */
  cacheDir: string;
  /**
   * Environment for git carrying credentials (GIT_CONFIG_* headers), asked for before each
   * network operation because integration tokens (e.g. GitHub App tokens) expire.
   */
  gitEnv?: () => Promise<Record<string, string> | undefined>;
  /** Where each commit pushed is logged (one line); default: nowhere. */
  logger?: LoggerService;
  /** Retries when the push races another writer (default 20). */
  maxAttempts?: number;
}

/** How much of a commit {@link GitOpsRepository.readCommit} returns. @public */
export interface ReadCommitOptions {
  /** Bytes of unified diff to return at most (default 256 KiB); later files come without a patch. */
  maxDiffBytes?: number;
  /** Changed files to list at most (default 1,000). */
  maxFiles?: number;
}

/** What {@link GitOpsRepository.readFiles} reads. @public */
export interface ReadFilesOptions {
  /** The folder to read, as a repository path ending in '/' (e.g. `rendered/`). */
  under: string;
  /**
   * Turns a file down before its content is read: by path (a file the caller has no use for), or
   * by blob id (one the caller still has from an earlier commit).
   */
  skip?: (file: GitBlob) => boolean;
}

/** What {@link GitOpsRepository.historyOfPaths} walks. @public */
export interface HistoryOfPathsOptions {
  /**
   * Only commits that changed a file under the paths in one of these ways, as letters of
   * `git log --diff-filter`: A added, D deleted, M modified, T type changed (e.g. `'A'`).
   * Default: any change.
   */
  diffFilter?: string;
  /** The walk stops after this many commits (a positive integer): what bounds its cost. */
  limit: number;
  /** Also read each commit's author, parents and message (for an audit log of the paths). */
  details?: boolean;
}

/** A commit of {@link GitOpsRepository.historyOfPaths}. @public */
export interface PathHistoryCommit {
  /** The commit's full id. */
  commit: string;
  /** Committer date, ISO 8601. */
  committedAt: string;
  /** The files under the paths asked about that the commit changed (in the ways `diffFilter` takes). */
  paths: string[];
  /** With `details`: who wrote it and when (ISO 8601), its parents and its message. */
  author?: CommitAuthor;
  authoredAt?: string;
  parents?: string[];
  message?: string;
}

/** One file to read at one commit, for {@link GitOpsRepository.readFilesAtCommits}. @public */
export interface FileAtCommitRequest {
  /** A full commit id. */
  commit: string;
  /** A repository path of a file. */
  path: string;
}

/** A file as it was at a commit; `content` is undefined when the commit has no such file (deleted, or not yet added). @public */
export interface FileAtCommit extends FileAtCommitRequest {
  content?: Buffer;
}

const MAX_MESSAGE_CHARS = 64 * 1024;
/** A full commit id: SHA-1, or SHA-256 for repositories that use it. */
const FULL_COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const DIFF_FILTER = /^[ADMT]{1,4}$/;
/** Starts each commit's header in `historyOfPaths`'s git log output. */
const LOG_MARK = '\u0001';
/** Separates the fields of a commit's header in `historyOfPaths` with `details`. */
const LOG_FIELD = '\u0002';
const FILE_STATUS: Record<string, CommitFileStatus> = { A: 'added', M: 'modified', D: 'deleted', T: 'type-changed' };

const BRANCH_PATTERN = /^(?!.*\.\.)(?!.*\/\/)(?!\/)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._\-/]{1,200}$/;
const STAGING_REF = 'refs/cellplane/staging';
/** What git says when a push is refused because the branch moved (the writer then retries). */
const PUSH_REJECTED = /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref|stale info/i;

/**
 * The GitOps repository as Cellplane reads and writes it. Every write is one commit built from
 * the current head with git's plumbing (no working tree) and pushed without force: when another
 * writer (another task, another replica) moved the branch first, the push is refused, and the
 * change is fetched, re-derived against the new head and pushed again. No write is ever lost
 * or merged away.
 *
 * @public
 */
export class GitOpsRepository {
  private readonly mirror: string;
  private readonly remoteRef: string;
  private readonly maxAttempts: number;
  private ready: Promise<void> | undefined;
  /** Writes from this process take turns on the mirror; other processes race through the push. */
  private queue: Promise<unknown> = Promise.resolve();
  private fetchRunning: Promise<string | undefined> | undefined;
  private fetchFollowUp: Promise<string | undefined> | undefined;
  private cachedModel: { commit: string | undefined; model: Promise<RepositoryModel> } | undefined;
  /** Files parsed for earlier commits: a new commit costs only the files it changed. */
  private readonly parsedFiles = new ParsedFileCache();

  constructor(private readonly options: GitOpsRepositoryOptions) {
    if (!BRANCH_PATTERN.test(options.branch)) {
      throw new InputError(`branch ${JSON.stringify(options.branch)} is not a valid Git branch name`);
    }
    this.mirror = options.cacheDir;
    this.remoteRef = `refs/remotes/origin/${options.branch}`;
    this.maxAttempts = options.maxAttempts ?? 20;
  }

  /** Where the repository lives, as configured: a path or URL. */
  get url(): string {
    return this.options.url;
  }

  /** The branch it reads and commits to. */
  get branch(): string {
    return this.options.branch;
  }

  /** True when the repository is on this machine's disk (a path or file:// URL), not a remote. */
  get isLocal(): boolean {
    return !isRemoteGitUrl(this.options.url);
  }

  /** Fetches the branch and returns its head commit (undefined for an empty repository). */
  async fetch(): Promise<string | undefined> {
    await this.ensureMirror();
    return this.fetchHead();
  }

  /** A view of the repository at `commit` (default: the head after a fetch). */
  async revision(commit?: string): Promise<RepositoryRevision> {
    const resolved = commit ?? (await this.fetch());
    return this.revisionAt(resolved);
  }

  /** The model at the branch's head. */
  async model(): Promise<RepositoryModel> {
    return (await this.revision()).model();
  }

  /**
   * A commit of the branch, for people to read: message, author, date, parents and the files it
   * changed against its first parent with their unified diff, bounded in size. Undefined when the
   * branch has no such commit (unknown, ambiguous, or only in this process's abandoned writes).
   * `sha` is 7 to 40 hexadecimal digits.
   */
  async readCommit(sha: string, options: ReadCommitOptions = {}): Promise<CommitDetails | undefined> {
    const wanted = sha.toLowerCase();
    if (!COMMIT_ID_PATTERN.test(wanted)) {
      throw new InputError(`a commit id is 7 to 40 hexadecimal digits, got ${JSON.stringify(sha.slice(0, 50))}`);
    }
    await this.ensureMirror();
    // A commit pushed since the last fetch is not in the mirror yet: look again after one fetch.
    const commit = (await this.findOnBranch(wanted)) ?? (await this.fetchHead().then(() => this.findOnBranch(wanted)));
    if (!commit) return undefined;
    const header = await this.git(['show', '--no-patch', '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%B', commit]);
    const [id, parentList, name, email, date, ...message] = header.stdout.toString('utf8').split('\0');
    const parents = parentList.split(' ').filter(Boolean);
    const fullMessage = message.join('\0').replace(/\n+$/, '');
    // Against the first parent, as a merge is read on its branch; the first commit against nothing.
    const range = parents.length ? [parents[0], commit] : ['--root', commit];
    const diffArgs = ['diff-tree', '-r', '--no-commit-id', '--no-renames', '--no-ext-diff', '--no-textconv'];
    const maxFiles = options.maxFiles ?? 1000;
    const [nameStatus, numstat, patch] = await Promise.all([
      this.git([...diffArgs, '-z', '--name-status', ...range]),
      this.git([...diffArgs, '-z', '--numstat', ...range]),
      this.git([...diffArgs, '-p', '--no-color', ...range], { maxOutputBytes: options.maxDiffBytes ?? 256 * 1024 }),
    ]);

    const statusFields = nameStatus.stdout.toString('utf8').split('\0');
    const counts = numstat.stdout.toString('utf8').split('\0');
    // One `diff --git` section per file, in the order of the lists; a section cut short is left out.
    const sections = patch.stdout.toString('utf8').split(/^(?=diff --git )/m).filter(s => s.startsWith('diff --git '));
    if (patch.truncated) sections.pop();
    const files: CommitFileChange[] = [];
    for (let i = 0; i + 1 < statusFields.length && files.length < maxFiles; i += 2) {
      const [added, deleted] = (counts[files.length] ?? '').split('\t');
      const binary = added === '-';
      const section = sections[files.length];
      files.push({
        path: statusFields[i + 1],
        status: FILE_STATUS[statusFields[i]] ?? 'modified',
        additions: binary ? null : Number(added),
        deletions: binary ? null : Number(deleted),
        ...(section && !binary ? { patch: section } : {}),
      });
    }
    const fileCount = Math.floor((statusFields.length - 1) / 2);
    return {
      commit: id,
      parents,
      author: { name, email },
      date,
      message: fullMessage.slice(0, MAX_MESSAGE_CHARS),
      files,
      truncated: Boolean(patch.truncated) || files.length < fileCount || fullMessage.length > MAX_MESSAGE_CHARS,
    };
  }

  /**
   * The files under a folder at `commit` (a full commit id, such as `fetch` returns), with their
   * blob ids and content, in tree order, as git produces them: one `ls-tree` of the folder and
   * one `cat-file --batch` of the files `skip` does not turn down. Only the mirror's object
   * database is read, so this runs alongside fetches and writes, and needs the commit to be in
   * the mirror already (fetched, or written, by this process). Leaving the loop early stops git.
   *
   * Throws InputError, before reading anything, when `commit` is not a full commit id or `under`
   * is not a safe repository path ending in '/'.
   */
  readFiles(commit: string, options: ReadFilesOptions): AsyncIterable<GitTreeFile> {
    assertFullCommitId(commit);
    if (typeof options.under !== 'string' || !options.under.endsWith('/')) {
      throw new InputError(`under names a folder, a repository path ending in '/', got ${JSON.stringify(options.under)}`);
    }
    return this.readFilesOnceReady(commit, assertSafeRepositoryPath(options.under.slice(0, -1)), options.skip);
  }

  /** readFiles once its arguments are checked (which it does at once, not at the first file). */
  private async *readFilesOnceReady(commit: string, folder: string, skip: ReadFilesOptions['skip']): AsyncGenerator<GitTreeFile> {
    await this.ensureMirror();
    yield* iterateGitFiles(this.mirror, commit, { folder, skip });
  }

  /**
   * The commits of `commit`'s history that changed files under `paths` (files or folders),
   * newest first, each with the files it changed there: one `git log --no-renames` (a rename is
   * a deletion and an addition), which stops after `options.limit` commits. Merge commits list
   * no files. With `diffFilter: 'A'` it answers when each file was added.
   *
   * Throws InputError when `commit` is not a full commit id, a path is not a safe repository
   * path, `diffFilter` has letters other than A, D, M and T, or `limit` is not a positive integer.
   */
  async historyOfPaths(commit: string, paths: string[], options: HistoryOfPathsOptions): Promise<PathHistoryCommit[]> {
    assertFullCommitId(commit);
    paths.forEach(path => assertSafeRepositoryPath(path));
    const { diffFilter, limit } = options;
    if (diffFilter !== undefined && !DIFF_FILTER.test(diffFilter)) {
      throw new InputError(`diffFilter is made of the letters A, D, M and T, got ${JSON.stringify(diffFilter)}`);
    }
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new InputError(`limit must be a positive integer, got ${limit}`);
    }
    if (paths.length === 0) return [];
    await this.ensureMirror();
    const { stdout } = await this.git([
      'log',
      '-z',
      `--max-count=${limit}`,
      ...(diffFilter ? [`--diff-filter=${diffFilter}`] : []),
      '--no-renames',
      '--name-only',
      `--format=${LOG_MARK}%H %cI${options.details ? '%x02%P%x02%an%x02%ae%x02%aI%x02%B' : ''}`,
      commit,
      '--',
      ...paths.map(path => `:(literal)${path}`),
    ]);
    // -z: each commit is `<mark><id> <date>\0`, then `\n<path>\0<path>\0...`. A path never starts
    // with the mark or a line break: it starts with one of `paths`, which are safe.
    const history: PathHistoryCommit[] = [];
    for (const field of stdout.toString('utf8').split('\0')) {
      if (field.startsWith(LOG_MARK)) {
        const [head, parents, name, email, authoredAt, ...message] = field.slice(LOG_MARK.length).split(LOG_FIELD);
        const [id, committedAt] = head.split(' ');
        const details = options.details
          ? { author: { name, email }, authoredAt, parents: parents.split(' ').filter(Boolean), message: message.join(LOG_FIELD).trim().slice(0, MAX_MESSAGE_CHARS) }
          : {};
        history.push({ commit: id, committedAt, paths: [], ...details });
      } else {
        const path = field.replace(/^\n/, '');
        if (path && history.length > 0) history[history.length - 1].paths.push(path);
      }
    }
    return history;
  }

  /**
   * Files as they were at given commits, in the order asked, through one `git cat-file --batch`
   * (no process per file): what a history walk needs to tell what a commit changed a file to,
   * e.g. the release a ReleaseBinding named after each of its commits. Reads the mirror only,
   * so the commits must be in it already (as those `historyOfPaths` returned are).
   *
   * Throws InputError, before reading anything, when a commit is not a full commit id or a path
   * is not a safe repository path.
   */
  async readFilesAtCommits(requests: readonly FileAtCommitRequest[]): Promise<FileAtCommit[]> {
    for (const request of requests) {
      assertFullCommitId(request.commit);
      assertSafeRepositoryPath(request.path);
    }
    if (requests.length === 0) return [];
    await this.ensureMirror();
    const { stdout } = await this.git(['cat-file', '--batch'], {
      input: `${requests.map(request => `${request.commit}:${request.path}`).join('\n')}\n`,
    });
    const files: FileAtCommit[] = [];
    let offset = 0;
    for (const request of requests) {
      const end = stdout.indexOf(0x0a, offset);
      if (end < 0) throw new Error(`git cat-file returned ${files.length} of ${requests.length} files`);
      const header = stdout.toString('utf8', offset, end);
      offset = end + 1;
      // `<object id> <type> <size>` for an object, `<name> missing` (or ambiguous) otherwise.
      const found = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(header);
      if (!found) {
        files.push({ ...request });
        continue;
      }
      const size = Number(found[2]);
      const content = stdout.subarray(offset, offset + size);
      offset += size + 1;
      files.push(found[1] === 'blob' ? { ...request, content: Buffer.from(content) } : { ...request });
    }
    return files;
  }

  /**
   * Whether `revision` includes `commit`: it is that commit or one of its descendants. This is how
   * the trace of a commit tells whether what Argo CD or Flux synced carries the commit: a tool
   * reports the newest revision it synced, which includes every earlier commit of the branch.
   * Answers false, never throws, when either commit is not in the mirror even after one fetch (a
   * revision synced from another branch, or a commit the repository never had).
   *
   * Throws InputError when either is not a full commit id.
   */
  async includesCommit(revision: string, commit: string): Promise<boolean> {
    assertFullCommitId(revision);
    assertFullCommitId(commit);
    if (revision === commit) return true;
    await this.ensureMirror();
    const known = async () => {
      const found = await this.git(['cat-file', '-e', `${revision}^{commit}`], { okExitCodes: [1, 128] });
      const foundCommit = await this.git(['cat-file', '-e', `${commit}^{commit}`], { okExitCodes: [1, 128] });
      return found.exitCode === 0 && foundCommit.exitCode === 0;
    };
    // A revision pushed since the last fetch is not in the mirror yet: look again after one fetch.
    if (!(await known()) && !(await this.fetchHead().then(known))) return false;
    const ancestry = await this.git(['merge-base', '--is-ancestor', commit, revision], { okExitCodes: [1, 128] });
    return ancestry.exitCode === 0;
  }

  /** The full id of `sha` when it names a commit of the branch as last fetched. */
  private async findOnBranch(sha: string): Promise<string | undefined> {
    const resolved = await this.git(['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], { okExitCodes: [1, 128] });
    const commit = resolved.stdout.toString('utf8').trim();
    if (resolved.exitCode !== 0 || !commit) return undefined;
    const onBranch = await this.git(['merge-base', '--is-ancestor', commit, this.remoteRef], { okExitCodes: [1, 128] });
    return onBranch.exitCode === 0 ? commit : undefined;
  }

  /** Applies a change as one commit on the branch and pushes it. */
  commit(request: CommitRequest): Promise<CommitResult> {
    const run = this.queue.then(() => this.commitNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commitNow(request: CommitRequest): Promise<CommitResult> {
    validateAuthor(request.author);
    if (!request.message.trim()) {
      throw new InputError('a commit message is required');
    }
    await this.ensureMirror();
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const parent = await this.fetchHead();
      const base = this.revisionAt(parent);
      const changes = await request.changes(base);
      changes.forEach(change => assertSafeRepositoryPath(change.path));
      const built = await this.buildCommit(parent, changes, request);
      if (!built) {
        return { commit: undefined, parent, changedPaths: [], attempts: attempt };
      }
      const pushed = await this.push(built.commit);
      if (pushed) {
        this.options.logger?.info(
          `Committed ${built.commit.slice(0, 12)} to ${this.options.branch}: ${request.message.split('\n')[0]}`,
          { attempts: attempt, files: built.changedPaths.length },
        );
        return { commit: built.commit, parent, changedPaths: built.changedPaths, attempts: attempt };
      }
      // Someone else moved the branch: back off a little, with jitter, and re-derive the change.
      await sleep(Math.min(1000, 10 * 2 ** Math.min(attempt, 6)) * Math.random());
    }
    throw new ConflictError(
      `gave up committing to ${this.options.branch} after ${this.maxAttempts} attempts: other writers kept moving the branch; try again`,
    );
  }

  private ensureMirror(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(this.mirror, { recursive: true });
      // The folder is the mirror only when it is a repository's own git dir (not inside another's).
      const existing = await gitText(['rev-parse', '--absolute-git-dir'], { cwd: this.mirror }).catch(() => '');
      if (existing !== (await fs.realpath(this.mirror))) {
        await this.git(['init', '--bare', '--quiet']);
      }
      // A process killed amid a fetch or a write leaves its ref lock behind, and every one after fails.
      await Promise.all([this.remoteRef, STAGING_REF, 'packed-refs'].map(ref => fs.rm(`${this.mirror}/${ref}.lock`, { force: true })));
      await this.git(['config', 'remote.origin.url', this.options.url]);
      // Objects of abandoned attempts stay unreferenced until git's own gc prunes them.
      await this.git(['config', 'gc.auto', '256']);
    })().catch(error => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /**
   * Fetches the branch head into the mirror. Callers in one process share fetches, because two
   * git fetches into one mirror fight over its ref lock and one fails. A fetch already running
   * may have started before the push a new caller wants to see, so callers that arrive during it
   * share one follow-up fetch: everyone gets a fetch that began after they asked.
   */
  private fetchHead(): Promise<string | undefined> {
    if (!this.fetchRunning) {
      this.fetchRunning = this.fetchHeadNow().finally(() => {
        this.fetchRunning = undefined;
      });
      return this.fetchRunning;
    }
    if (!this.fetchFollowUp) {
      this.fetchFollowUp = this.fetchRunning
        .catch(() => undefined)
        .then(() => {
          this.fetchFollowUp = undefined;
          return this.fetchHead();
        });
    }
    return this.fetchFollowUp;
  }

  private async fetchHeadNow(): Promise<string | undefined> {
    try {
      await this.git(['fetch', '--quiet', '--no-tags', '--prune', 'origin', `+refs/heads/${this.options.branch}:${this.remoteRef}`], {
        env: await this.options.gitEnv?.(),
      });
    } catch (error) {
      if (error instanceof GitCommandError && /couldn't find remote ref/i.test(error.stderr)) {
        return undefined; // the branch does not exist yet: the first commit creates it
      }
      throw error;
    }
    return gitText(['rev-parse', this.remoteRef], { cwd: this.mirror });
  }

  private revisionAt(commit: string | undefined): RepositoryRevision {
    return {
      commit,
      readFile: async (path: string) => {
        if (!commit) return undefined;
        assertSafeRepositoryPath(path);
        const result = await this.git(['cat-file', '-e', `${commit}:${path}`], { okExitCodes: [1, 128] });
        if (result.exitCode !== 0) return undefined;
        return (await this.git(['cat-file', 'blob', `${commit}:${path}`])).stdout;
      },
      model: () => {
        if (!this.cachedModel || this.cachedModel.commit !== commit) {
          const model = commit
            ? loadRepositoryModelFromGit(this.mirror, commit, { cache: this.parsedFiles })
            : Promise.resolve(loadRepositoryModel({ files: [] }));
          this.cachedModel = { commit, model };
          model.catch(() => {
            if (this.cachedModel?.model === model) this.cachedModel = undefined;
          });
        }
        return this.cachedModel.model;
      },
    };
  }

  /**
   * Builds the commit with `git fast-import` (one process, however many files change) on a
   * private ref, and returns undefined when the resulting tree equals the parent's.
   */
  private async buildCommit(
    parent: string | undefined,
    changes: FileChange[],
    request: CommitRequest,
  ): Promise<{ commit: string; changedPaths: string[] } | undefined> {
    const now = Math.floor(Date.now() / 1000);
    const { name, email } = request.author;
    const chunks: Buffer[] = [];
    const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
    const data = (content: string | Buffer) => {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      text(`data ${bytes.length}\n`);
      chunks.push(bytes);
      text('\n');
    };
    // reset: the staging ref may still hold an earlier write; each commit starts from `parent` only
    text(`reset ${STAGING_REF}\n\n`);
    text(`commit ${STAGING_REF}\nmark :1\n`);
    text(`author ${name} <${email}> ${now} +0000\n`);
    text(`committer ${name} <${email}> ${now} +0000\n`);
    data(request.message);
    if (parent) {
      text(`from ${parent}\n`);
    }
    for (const change of changes) {
      if (change.content === null) {
        text(`D ${change.path}\n`);
      } else {
        text(`M 100644 inline ${change.path}\n`);
        data(change.content);
      }
    }
    // The id from fast-import itself, not from the ref: a mirror wrongly shared by two processes has one ref for both.
    text('get-mark :1\ndone\n');
    const imported = await this.git(['fast-import', '--quiet', '--done', '--force'], { input: Buffer.concat(chunks) });
    const commit = imported.stdout.toString('utf8').trim();
    const listChanged = parent ? ['diff-tree', '-r', '--name-only', '--no-commit-id', parent, commit] : ['ls-tree', '-r', '--name-only', commit];
    const changed = (await gitText(listChanged, { cwd: this.mirror })).split('\n').filter(Boolean);
    if (parent && changed.length === 0) {
      return undefined;
    }
    return { commit, changedPaths: changed };
  }

  /** Pushes without force; false when the branch moved meanwhile (the caller retries). */
  private async push(commit: string): Promise<boolean> {
    try {
      await this.git(['push', '--porcelain', '--quiet', 'origin', `${commit}:refs/heads/${this.options.branch}`], {
        env: await this.options.gitEnv?.(),
      });
      return true;
    } catch (error) {
      if (error instanceof GitCommandError && PUSH_REJECTED.test(`${error.stdout}\n${error.stderr}`)) {
        return false;
      }
      throw error;
    }
  }

  /** Runs git in the mirror. */
  private git(args: string[], options: Omit<RunGitOptions, 'cwd'> = {}): Promise<GitOutput> {
    return runGit(args, { cwd: this.mirror, ...options });
  }
}

function validateAuthor(author: CommitAuthor) {
  for (const [field, value] of Object.entries({ 'author.name': author?.name, 'author.email': author?.email })) {
    if (typeof value !== 'string' || !value.trim() || /[<>\n\r\0]/.test(value)) {
      throw new InputError(`${field} must be a non-empty string without '<', '>' or line breaks`);
    }
  }
}

function assertFullCommitId(commit: string) {
  if (typeof commit !== 'string' || !FULL_COMMIT_ID.test(commit)) {
    throw new InputError(
      `a commit is named here by its full id (40 or 64 lowercase hexadecimal digits), got ${JSON.stringify(String(commit).slice(0, 70))}`,
    );
  }
}
