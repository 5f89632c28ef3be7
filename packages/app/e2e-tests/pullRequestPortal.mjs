// A second portal for the browser tests, whose GitOps repository is "on GitHub": its
// cellplane.gitops.url is https://github.com/acme/gitops.git, so writes to an environment that
// says `cellplane.dev/publish: pull-request` open pull requests through Backstage's GitHub
// integration, which playwright.config.ts points at the local stand-in of GitHub's API
// (fakeGitHost.ts). Git itself never leaves the machine: a global git config of this portal's
// own rewrites that URL to a bare repository in the tests' temporary folder (url.<path>.insteadOf),
// seeded from examples/gitops as the on-disk default is, so fetches and pushes land there.
//
// Started by playwright.config.ts (webServer), with the production build as the main portal:
// scripts/production/start.mjs, without --build (the main portal's entry built it just before).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const GITHUB_URL = 'https://github.com/acme/gitops.git';
const repository = process.env.CELLPLANE_E2E_PR_REPOSITORY;
if (!repository) throw new Error('CELLPLANE_E2E_PR_REPOSITORY is not set (playwright.config.ts sets it)');
const scratch = dirname(repository);

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Cellplane', GIT_AUTHOR_EMAIL: 'cellplane@localhost', GIT_COMMITTER_NAME: 'Cellplane', GIT_COMMITTER_EMAIL: 'cellplane@localhost' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: gitEnv, stdio: ['ignore', 'ignore', 'inherit'] });

/** The bare repository "behind" GitHub, seeded with the example organisation in one commit. */
function seedRepository() {
  if (existsSync(repository)) return;
  mkdirSync(scratch, { recursive: true });
  git(scratch, 'init', '--quiet', '--bare', '--initial-branch=main', repository);
  const work = join(scratch, 'pr-seed');
  cpSync(join(ROOT, 'examples/gitops'), work, { recursive: true });
  git(work, 'init', '--quiet', '--initial-branch=main');
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'Seed the GitOps repository from examples/gitops');
  git(work, 'push', '--quiet', repository, 'main');
  rmSync(work, { recursive: true, force: true });
}

seedRepository();
const gitConfig = join(scratch, 'pr-gitconfig');
writeFileSync(gitConfig, `[url "${repository}"]\n\tinsteadOf = ${GITHUB_URL}\n`);

const child = spawn(process.execPath, [join(ROOT, 'scripts/production/start.mjs'), '--dir', join(scratch, 'pr-production')], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, GIT_CONFIG_GLOBAL: gitConfig },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', code => process.exit(code ?? 1));
