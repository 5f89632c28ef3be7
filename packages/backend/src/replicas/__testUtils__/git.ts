import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Runs git in a repository (a bare one: its folder) and returns its standard output. */
export function git(repository: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, {
    cwd: repository,
    input,
    env: { ...process.env, LC_ALL: 'C' },
    maxBuffer: 256 * 1024 * 1024,
  }).toString('utf8');
}

/** Creates a bare repository whose `branch` holds the files of `folder` as its one commit. */
export function createSeededRepository(path: string, folder: string, branch = 'main'): string {
  execFileSync('git', ['init', '--quiet', '--bare', `--initial-branch=${branch}`, path]);
  const scratch = mkdtempSync(join(tmpdir(), 'cellplane-seed-index-'));
  try {
    const env = { ...process.env, GIT_DIR: path, GIT_WORK_TREE: folder, GIT_INDEX_FILE: join(scratch, 'index') };
    execFileSync('git', ['add', '--all', '.'], { cwd: folder, env });
    const tree = execFileSync('git', ['write-tree'], { cwd: folder, env }).toString().trim();
    const commit = execFileSync('git', ['commit-tree', tree, '-m', `Seed from ${folder}`], {
      cwd: folder,
      env: { ...env, GIT_AUTHOR_NAME: 'Seed', GIT_AUTHOR_EMAIL: 'seed@localhost', GIT_COMMITTER_NAME: 'Seed', GIT_COMMITTER_EMAIL: 'seed@localhost' },
    })
      .toString()
      .trim();
    execFileSync('git', ['update-ref', `refs/heads/${branch}`, commit], { env: { ...process.env, GIT_DIR: path } });
    return commit;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The files of a commit under a folder, with their content. */
export function readTree(repository: string, commit: string, under: string): Map<string, string> {
  const entries = git(repository, ['ls-tree', '-r', '-z', commit, '--', under])
    .split('\0')
    .filter(Boolean)
    .map(line => {
      const [meta, path] = line.split('\t');
      return { blob: meta.split(' ')[2], path };
    });
  const files = new Map<string, string>();
  if (entries.length === 0) return files;
  const batch = execFileSync('git', ['cat-file', '--batch'], {
    cwd: repository,
    input: `${entries.map(e => e.blob).join('\n')}\n`,
    maxBuffer: 256 * 1024 * 1024,
  });
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = batch.indexOf(10, offset);
    const size = Number(batch.subarray(offset, headerEnd).toString().split(' ')[2]);
    files.set(entry.path, batch.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

/** The Kubernetes objects of a commit's rendered/ tree, as Argo CD would apply them. */
export function renderedObjects(repository: string, commit: string): any[] {
  const objects: any[] = [];
  for (const [path, text] of readTree(repository, commit, 'rendered/')) {
    // What a data plane syncs: not rendered/_bootstrap (Argo CD's own setup) nor index.txt.
    if (!/\.ya?ml$/.test(path) || path.startsWith('rendered/_')) continue;
    for (const document of parseAllDocuments(text)) {
      const object = document.toJS();
      if (object?.kind) objects.push(object);
    }
  }
  return objects;
}

/** Commits file changes (content, or null to delete) on `branch` of a bare repository, as a user's push would. */
export function commitFiles(
  repository: string,
  branch: string,
  message: string,
  changes: Array<{ path: string; content: string | null }>,
): string {
  const scratch = mkdtempSync(join(tmpdir(), 'cellplane-commit-index-'));
  const env = {
    ...process.env,
    GIT_DIR: repository,
    GIT_INDEX_FILE: join(scratch, 'index'),
    GIT_AUTHOR_NAME: 'Someone',
    GIT_AUTHOR_EMAIL: 'someone@localhost',
    GIT_COMMITTER_NAME: 'Someone',
    GIT_COMMITTER_EMAIL: 'someone@localhost',
  };
  const run = (args: string[], input?: string) => execFileSync('git', args, { env, input }).toString().trim();
  try {
    const parent = run(['rev-parse', branch]);
    run(['read-tree', parent]);
    // --index-info: a mode of 0 removes the path (a bare repository has no work tree to look at).
    const entries = changes.map(change =>
      change.content === null
        ? `0 ${'0'.repeat(40)}\t${change.path}`
        : `100644 ${run(['hash-object', '-w', '--stdin'], change.content)}\t${change.path}`,
    );
    run(['update-index', '--index-info'], `${entries.join('\n')}\n`);
    const commit = run(['commit-tree', run(['write-tree']), '-p', parent, '-m', message]);
    run(['update-ref', `refs/heads/${branch}`, commit, parent]);
    return commit;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
