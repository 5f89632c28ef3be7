/**
 * yarn bench:write: cellplane:component:create end to end (permission check, validation against
 * the model and the ComponentType's schema, release snapshot, re-render of rendered/, commit
 * with git fast-import, push to the bare repository), as a scaffolder task runs it. Then 50 tasks at once against one
 * repository: every one must land as its own commit, none lost. Target: median at most 1 s.
 */
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { createComponentCreateAction, rerenderWithRenderer } from '@cellplane/backstage-plugin-scaffolder-backend-module';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 50);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' },
  }).trim();

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet } as any;

/** What the scaffolder hands an action, without the scaffolder. */
function context(input: Record<string, unknown>) {
  const outputs: Record<string, unknown> = {};
  return {
    input,
    outputs,
    logger: quiet,
    workspacePath: tmpdir(),
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    createTemporaryDirectory: async () => tmpdir(),
    getInitiatorCredentials: async () => ({ $$type: '@backstage/BackstageCredentials', principal: { type: 'user', userEntityRef: 'user:default/bench' } }),
    task: { id: 'bench' },
    user: { ref: 'user:default/bench' },
  } as any;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-bench-write-'));
  try {
    const bare = join(dir, 'gitops.git');
    git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    const seed = join(dir, 'seed');
    cpSync(resolve(__dirname, '../examples/gitops'), seed, { recursive: true });
    git(seed, 'init', '--quiet', '--initial-branch=main');
    git(seed, 'add', '-A');
    git(seed, 'commit', '--quiet', '-m', 'seed');
    git(seed, 'push', '--quiet', bare, 'main');

    const repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir, 'mirror') });
    const permissions = { authorize: async (requests: unknown[]) => requests.map(() => ({ result: 'ALLOW' })) } as any;
    // As the backend module wires it: rendered/ is brought up to date in the same commit.
    const action = createComponentCreateAction({ repository, permissions, rerender: rerenderWithRenderer() });
    const input = (name: string) => ({
      namespace: 'acme',
      project: 'payments',
      name,
      componentType: 'deployment/service',
      image: `ghcr.io/acme/${name}:1.0.0`,
      parameters: { terminationGracePeriodSeconds: 30 },
      endpoints: { rest: { type: 'HTTP', port: 8080, visibility: ['namespace'] } },
    });

    console.error(`component:create, ${RUNS} runs one after another (the first warms the mirror)...`);
    await action.handler(context(input('warm-up')));
    const runs: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const start = process.hrtime.bigint();
      const ctx = context(input(`bench-${run}`));
      await action.handler(ctx);
      runs.push(seconds(start));
      console.error(
        `  run ${run + 1}: ${runs[run].toFixed(3)} s, ${(ctx.outputs.changedFiles as string[]).length} files (rendered ones included) in ${String(ctx.outputs.commitSha).slice(0, 12)}`,
      );
    }

    console.error(`${CONCURRENT} component:create tasks at once...`);
    const before = Number(git(bare, 'rev-list', '--count', 'main'));
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => action.handler(context(input(`concurrent-${i}`)))));
    const concurrentSeconds = seconds(start);
    const commits = Number(git(bare, 'rev-list', '--count', 'main')) - before;
    const model = await repository.model();
    const landed = model.components('acme', 'payments').filter(c => c.resource.metadata.name.startsWith('concurrent-')).length;
    console.error(`  ${commits} commits in ${concurrentSeconds.toFixed(2)} s; ${landed} of ${CONCURRENT} components in the repository`);

    console.log(
      JSON.stringify({
        medianSeconds: Number(median(runs).toFixed(3)),
        runs: RUNS,
        concurrent: CONCURRENT,
        concurrentSeconds: Number(concurrentSeconds.toFixed(2)),
        commits,
        lost: CONCURRENT - landed,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
