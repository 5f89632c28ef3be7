import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/**
 * The example GitOps repository shipped in examples/gitops.
 *
 * @public
 */
export const EXAMPLE_REPOSITORY = resolvePackagePath('@cellplane/backstage-plugin-node', '../../examples/gitops');

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/**
 * Runs git in `cwd` as a fixed test author; returns its trimmed output.
 *
 * @public
 */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/**
 * A temporary folder, removed by the returned cleanup.
 *
 * @public
 */
export function temporaryDirectory(prefix = 'cellplane-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A bare repository whose `main` holds a copy of `source` (or nothing, when source is
 * undefined), as Cellplane's on-disk default is.
 *
 * @public
 */
export function createBareRepository(root: string, source?: string): string {
  const bare = join(root, 'gitops.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  if (source) {
    const work = join(root, 'seed');
    cpSync(source, work, { recursive: true });
    git(work, 'init', '--quiet', '--initial-branch=main');
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'seed');
    git(work, 'push', '--quiet', bare, 'main');
    rmSync(work, { recursive: true, force: true });
  }
  return bare;
}
