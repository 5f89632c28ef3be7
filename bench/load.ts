/**
 * yarn bench:load: how long the portal takes to load a GitOps repository of 10,000 components in
 * 1,000 projects into its model (read from the bare repository at a ref, parse, validate,
 * index, cross-check), as the backend does at every new commit. Target: at most 2 s.
 */
import {
  GitOpsRepository,
  ParsedFileCache,
  loadRepositoryModel,
  loadRepositoryModelFromGit,
  readWorkingTree,
} from '@cellplane/backstage-plugin-node';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateRepository } from './generateRepository';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 1000);
const COMPONENTS_PER_PROJECT = Number(process.env.BENCH_COMPONENTS_PER_PROJECT ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-bench-load-'));
  try {
    console.log(`Generating ${PROJECTS * COMPONENTS_PER_PROJECT} components in ${PROJECTS} projects...`);
    const files = generateRepository({ projects: PROJECTS, componentsPerProject: COMPONENTS_PER_PROJECT });

    const bare = join(dir, 'gitops.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    const repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir, 'writer') });
    await repository.commit({ message: 'Generated', author: { name: 'bench', email: 'bench@localhost' }, changes: () => files });
    const tree = join(dir, 'tree');
    for (const file of files) {
      mkdirSync(dirname(join(tree, file.path)), { recursive: true });
      writeFileSync(join(tree, file.path), file.content!);
    }
    console.log(`${files.length} files in a bare repository and a working tree; loading ${RUNS} times each...`);

    const gitRuns: number[] = [];
    const treeRuns: number[] = [];
    let resources = 0;
    let problems = 0;
    for (let run = 0; run < RUNS; run += 1) {
      let start = process.hrtime.bigint();
      const model = await loadRepositoryModelFromGit(bare, 'main');
      gitRuns.push(seconds(start));
      resources = model.entries().length;
      problems = model.problems.length;
      if (problems > 0) {
        throw new Error(`the generated repository has problems, e.g. ${JSON.stringify(model.problems[0])}`);
      }

      start = process.hrtime.bigint();
      loadRepositoryModel(await readWorkingTree(tree));
      treeRuns.push(seconds(start));
      console.log(`  run ${run + 1}: bare repository ${gitRuns[run].toFixed(3)} s, working tree ${treeRuns[run].toFixed(3)} s`);
    }

    // A new commit that changes one component, loaded with the files parsed for the one before,
    // as the backend does after each push.
    const cache = new ParsedFileCache();
    await loadRepositoryModelFromGit(bare, 'main', { cache });
    const incrementalRuns: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const path = 'namespaces/acme/projects/project-0/components/project-0-c0/component.yaml';
      await repository.commit({
        message: `Change ${run}`,
        author: { name: 'bench', email: 'bench@localhost' },
        changes: async base => [
          { path, content: `${(await base.readFile(path))!.toString('utf8')}# change ${run}\n` },
        ],
      });
      const start = process.hrtime.bigint();
      const model = await loadRepositoryModelFromGit(bare, 'main', { cache });
      incrementalRuns.push(seconds(start));
      if (cache.lastLoad.parsed !== 1 || model.problems.length > 0) {
        throw new Error(`incremental load parsed ${cache.lastLoad.parsed} files, found ${model.problems.length} problems`);
      }
      console.log(`  one-file commit ${run + 1}: ${incrementalRuns[run].toFixed(3)} s (1 file parsed, ${cache.lastLoad.reused} reused)`);
    }

    const result = {
      components: PROJECTS * COMPONENTS_PER_PROJECT,
      projects: PROJECTS,
      files: files.length,
      resources,
      problems,
      seconds: Number(median(gitRuns).toFixed(3)),
      workingTreeSeconds: Number(median(treeRuns).toFixed(3)),
      oneFileChangeSeconds: Number(median(incrementalRuns).toFixed(3)),
      runs: RUNS,
      node: process.version,
      cpus: cpus().length,
    };
    console.log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
