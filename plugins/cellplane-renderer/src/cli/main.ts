/**
 * `yarn cellplane render [--check] [--repo-url <url>] [--branch <branch>] [--workers <n>] [<repository folder>]`
 *
 * Renders a GitOps working tree (default: examples/gitops) into its `rendered/` folder. With
 * `--check` nothing is written: the command lists the files that are stale, missing or left
 * over and exits 1 when there are any, for the GitOps repository's own CI. Exit codes: 0 done
 * (or up to date), 1 stale or a binding failed to render, 2 bad arguments.
 */
import { formatProblem } from '@cellplane/backstage-plugin-common';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { assertSafeRepositoryPath, loadRepositoryModel, readWorkingTree, RENDERED_FOLDER } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '../renderRepository';
import { diffRenderedFiles } from '../renderedTreeChanges';

/**
 * Where `runCellplaneCommand` writes: stdout for results, stderr for problems and usage.
 *
 * @public
 */
export interface CliIo {
  /** Writes a line of the result (default: `console.log`). */
  out(line: string): void;
  /** Writes a problem or the usage (default: `console.error`). */
  err(line: string): void;
}

/** Below this many bindings, starting worker threads costs more than it saves. */
const PARALLEL_FROM = 2000;
const MAX_WORKERS = 8;

const USAGE = `usage: yarn cellplane render [--check] [--repo-url <url>] [--branch <branch>] [--workers <n>] [<repository folder>]

  Renders every ReleaseBinding and ResourceReleaseBinding of a GitOps working tree into its
  rendered/ folder (default folder: examples/gitops).

  --check            write nothing; list stale files and exit 1 if rendered/ is not up to date
  --repo-url <url>   repository Argo CD / Flux sync from (default: the data plane's
                     cellplane.dev/delivery-repository annotation)
  --branch <branch>  branch they sync (default: cellplane.dev/delivery-branch, else main)
  --workers <n>      threads to render on, 1 to ${MAX_WORKERS} (default: 1 below ${PARALLEL_FROM} bindings, else one
                     per CPU core up to ${MAX_WORKERS}); the output is the same either way`;

// A repository script run from source with tsx, never from a production build, so __dirname is the source folder.
// eslint-disable-next-line no-restricted-syntax
const DEFAULT_REPOSITORY = resolve(__dirname, '../../../../examples/gitops');

interface Arguments {
  check: boolean;
  folder: string;
  repository?: string;
  branch?: string;
  workers?: number;
}

function parseArguments(argv: string[]): Arguments | string {
  const [command, ...rest] = argv;
  if (command !== 'render') return command ? `unknown command '${command}'` : 'missing command';
  const args: Arguments = { check: false, folder: DEFAULT_REPOSITORY };
  let folder: string | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (arg === '--check') args.check = true;
    else if (arg === '--workers') {
      const value = rest[++i];
      if (!value || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_WORKERS) {
        return `--workers needs a whole number from 1 to ${MAX_WORKERS}${value ? ` (got '${value}')` : ''}`;
      }
      args.workers = Number(value);
    } else if (arg === '--repo-url' || arg === '--branch') {
      const value = rest[++i];
      if (!value || value.startsWith('--')) return `${arg} needs a value`;
      if (arg === '--repo-url') args.repository = value;
      else args.branch = value;
    } else if (arg.startsWith('-')) return `unknown option '${arg}'`;
    else if (folder !== undefined) return `only one repository folder may be given (got '${folder}' and '${arg}')`;
    else folder = arg;
  }
  if (folder !== undefined) args.folder = resolve(folder);
  if (!existsSync(args.folder) || !statSync(args.folder).isDirectory()) return `'${folder}' is not a folder`;
  return args;
}

/** Every file under `<root>/rendered/`, by repository path. */
function readRenderedTree(root: string): Map<string, Buffer> {
  const folder = join(root, RENDERED_FOLDER);
  const files = new Map<string, Buffer>();
  if (!existsSync(folder)) return files;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    files.set(path, readFileSync(join(root, path)));
  }
  return files;
}

function removeEmptyFolders(folder: string): void {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyFolders(join(folder, entry.name));
  }
  if (readdirSync(folder).length === 0) rmdirSync(folder);
}

/**
 * Runs `cellplane <argv...>` (the `cellplane` bin); resolves to the exit code: 0 done or up to
 * date, 1 stale or a binding failed to render, 2 bad arguments.
 *
 * @public
 */
export async function main(argv: string[], io: CliIo = { out: console.log, err: console.error }): Promise<number> {
  const args = parseArguments(argv);
  if (typeof args === 'string') {
    io.err(`cellplane: ${args}\n\n${USAGE}`);
    return 2;
  }
  const start = process.hrtime.bigint();
  const model = loadRepositoryModel(await readWorkingTree(args.folder));
  const bindings = model.list('ReleaseBinding').length + model.list('ResourceReleaseBinding').length;
  const workers = args.workers ?? (bindings < PARALLEL_FROM ? 1 : Math.min(availableParallelism(), MAX_WORKERS));
  const rendered = await renderRepository(model, { delivery: { repository: args.repository, branch: args.branch }, workers });
  const existing = readRenderedTree(args.folder);
  const { write, remove } = diffRenderedFiles(existing, rendered.files);

  const problems = [...model.problems, ...rendered.problems];
  for (const problem of problems) io.err(`${problem.severity}: ${formatProblem(problem)}`);
  const errors = problems.filter(p => p.severity === 'error').length;
  const seconds = (Number(process.hrtime.bigint() - start) / 1e9).toFixed(2);
  const { failedBindings, objects, cells } = rendered.stats;
  const summary = `${rendered.stats.bindings} bindings (${failedBindings} failed), ${cells} cells, ${objects} objects, ${rendered.files.size} files; ${errors} errors, ${problems.length - errors} warnings; ${seconds} s`;

  if (args.check) {
    for (const path of write) io.out(`${existing.has(path) ? 'stale' : 'missing'}: ${path}`);
    for (const path of remove) io.out(`left over: ${path}`);
    const stale = write.length + remove.length;
    io.out(stale === 0 ? `rendered/ is up to date: ${summary}` : `rendered/ is stale (${stale} files; run yarn cellplane render): ${summary}`);
    return stale > 0 || failedBindings > 0 ? 1 : 0;
  }

  for (const path of write) {
    const file = join(args.folder, assertSafeRepositoryPath(path));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, rendered.files.get(path)!);
  }
  for (const path of remove) unlinkSync(join(args.folder, assertSafeRepositoryPath(path)));
  removeEmptyFolders(join(args.folder, RENDERED_FOLDER));
  io.out(`Rendered ${args.folder}: ${write.length} written, ${remove.length} deleted; ${summary}`);
  return failedBindings > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
