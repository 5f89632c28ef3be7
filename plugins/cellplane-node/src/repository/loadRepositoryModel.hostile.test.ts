import { formatProblem } from '@cellplane/backstage-plugin-common';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EXAMPLE_REPOSITORY, createBareRepository, git, temporaryDirectory } from '../testUtils/gitFixtures';
import { hostileRepositoryFiles } from '../testUtils/hostileRepositoryFiles';
import { locateFieldsInSteps } from '../yaml/locateFields';
import { DEFAULT_YAML_LIMITS } from '../yaml/parseYamlDocuments';
import {
  DEFAULT_MAX_PROBLEMS_PER_FILE,
  ParsedFileCache,
  loadRepositoryModel,
  loadRepositoryModelFromGit,
} from './loadRepositoryModel';
import { readWorkingTree } from './sources';

// Counts the reads of files for problem locations; they still happen.
jest.mock('../yaml/locateFields', () => {
  const actual = jest.requireActual('../yaml/locateFields');
  return { ...actual, locateFieldsInSteps: jest.fn(actual.locateFieldsInSteps) };
});
const locate = locateFieldsInSteps as jest.MockedFunction<typeof locateFieldsInSteps>;

const HOSTILE_PATH = 'namespaces/acme/platform/infra/environments/numbers.yaml';
/** Line of the first annotation in `environmentWithNumericAnnotations`. */
const FIRST_ANNOTATION_LINE = 7;

/** An Environment whose annotations are all numbers: one problem ("must be a string") each. */
function environmentWithNumericAnnotations(count: number): string {
  const annotations = Array.from({ length: count }, (_, i) => `    n${i}: ${i}\n`).join('');
  return `apiVersion: openchoreo.dev/v1alpha1\nkind: Environment\nmetadata:\n  name: numbers\n  namespace: acme\n  annotations:\n${annotations}spec:\n  isProduction: false\n`;
}

async function exampleWith(extra: Array<{ path: string; content: string | Buffer }>) {
  const snapshot = await readWorkingTree(EXAMPLE_REPOSITORY);
  return { files: [...snapshot.files, ...extra.map(f => ({ path: f.path, content: Buffer.from(f.content) }))] };
}

describe('loading a repository with a hostile file', () => {
  beforeEach(() => locate.mockClear());

  it('lists the first 50 problems of a file with their lines, and counts the rest in one last problem', async () => {
    const model = loadRepositoryModel(
      await exampleWith([{ path: HOSTILE_PATH, content: environmentWithNumericAnnotations(2_000) }]),
    );
    const ofFile = model.problems.filter(p => p.file === HOSTILE_PATH);
    expect(ofFile).toHaveLength(DEFAULT_MAX_PROBLEMS_PER_FILE + 1);
    expect(formatProblem(ofFile[0])).toBe(
      `${HOSTILE_PATH}:${FIRST_ANNOTATION_LINE}: Environment acme/numbers: metadata.annotations.n0: must be a string, got number 0`,
    );
    expect(ofFile.slice(0, DEFAULT_MAX_PROBLEMS_PER_FILE).map(p => p.line)).toEqual(
      Array.from({ length: DEFAULT_MAX_PROBLEMS_PER_FILE }, (_, i) => FIRST_ANNOTATION_LINE + i),
    );
    expect(ofFile.at(-1)).toEqual({
      severity: 'error',
      file: HOSTILE_PATH,
      message: '… and 1950 more problems in this file (only the first 50 are listed)',
    });
    // Nothing else is lost.
    expect(model.problems.filter(p => p.file !== HOSTILE_PATH)).toEqual([]);
    expect(model.list('Environment').map(e => e.resource.metadata.name).sort()).toEqual([
      'development',
      'production',
      'staging',
    ]);
  });

  it('counts problems found across files (references) in the same cap', async () => {
    const bindings = Array.from(
      { length: 80 },
      (_, i) =>
        `---\napiVersion: openchoreo.dev/v1alpha1\nkind: ReleaseBinding\nmetadata:\n  name: cart-api-ghost-${i}\n  namespace: acme\nspec:\n  owner:\n    projectName: storefront\n    componentName: cart-api\n  environment: ghost-${i}\n`,
    ).join('');
    const path = 'namespaces/acme/projects/storefront/components/cart-api/ghost-bindings.yaml';
    const model = loadRepositoryModel(await exampleWith([{ path, content: bindings }]));
    const ofFile = model.problems.filter(p => p.file === path);
    expect(ofFile).toHaveLength(DEFAULT_MAX_PROBLEMS_PER_FILE + 1);
    expect(ofFile[1]).toEqual({
      severity: 'error',
      file: path,
      line: 22,
      resource: { kind: 'ReleaseBinding', name: 'cart-api-ghost-1', namespace: 'acme' },
      field: 'spec.environment',
      message: 'Environment "ghost-1" not found in namespace acme',
    });
    expect(ofFile.at(-1)?.message).toBe('… and 30 more problems in this file (only the first 50 are listed)');
    expect(model.list('ReleaseBinding').filter(e => e.file === path)).toHaveLength(80);
  });

  it('reads a file once to locate its problems, however many it has', async () => {
    const timeToLoad = async (problems: number) => {
      const snapshot = await exampleWith([{ path: HOSTILE_PATH, content: environmentWithNumericAnnotations(problems) }]);
      const runs: number[] = [];
      for (let run = 0; run < 5; run += 1) {
        const started = performance.now();
        loadRepositoryModel(snapshot);
        runs.push(performance.now() - started);
      }
      return runs.sort((a, b) => a - b)[2];
    };

    await timeToLoad(2_000);
    expect(locate).toHaveBeenCalledTimes(5); // one read per load, for the one file with problems
    for (const [, fields] of locate.mock.calls) {
      expect(fields.length).toBeLessThanOrEqual(DEFAULT_MAX_PROBLEMS_PER_FILE);
    }

    // The same structure seen from a clock: ten times the problems costs about ten times the
    // parsing and validation, not a hundred times (as one file read per problem did).
    const few = await timeToLoad(200);
    const many = await timeToLoad(2_000);
    // eslint-disable-next-line no-console
    console.log(`load with 200 problems: ${few.toFixed(1)} ms; with 2,000: ${many.toFixed(1)} ms`);
    expect(many).toBeLessThan(few * 30);
  });

  it('costs no parsing or locating for an unchanged broken file at a later commit', async () => {
    const dir = temporaryDirectory();
    try {
      const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
      const work = join(dir.path, 'work');
      git(dir.path, 'clone', '--quiet', bare, work);
      writeFileSync(join(work, HOSTILE_PATH), environmentWithNumericAnnotations(3_000));
      // ...and a dangling reference in another file, found by the checks across files.
      const webShop = join(work, 'namespaces/acme/projects/storefront/components/web-shop/workload.yaml');
      writeFileSync(webShop, readFileSync(webShop, 'utf8').replace(/name: rest\b/, 'name: soap'));
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '-m', 'hostile');
      git(work, 'push', '--quiet', 'origin', 'main');

      const cache = new ParsedFileCache();
      const first = await loadRepositoryModelFromGit(bare, 'main', { cache });
      expect(first.problems.filter(p => p.file === HOSTILE_PATH)).toHaveLength(DEFAULT_MAX_PROBLEMS_PER_FILE + 1);
      expect(first.problems.map(formatProblem).join('\n')).toMatch(/web-shop\/workload\.yaml:\d+: .*has no endpoint "soap"/);

      // An unrelated commit.
      const cartApi = join(work, 'namespaces/acme/projects/storefront/components/cart-api/component.yaml');
      writeFileSync(cartApi, readFileSync(cartApi, 'utf8').replace('autoDeploy: true', 'autoDeploy: false'));
      git(work, 'commit', '--quiet', '-am', 'unrelated');
      git(work, 'push', '--quiet', 'origin', 'main');

      locate.mockClear();
      const second = await loadRepositoryModelFromGit(bare, 'main', { cache });
      expect(cache.lastLoad.parsed).toBe(1);
      expect(locate).not.toHaveBeenCalled();
      expect(second.problems).toEqual(first.problems);
    } finally {
      dir.cleanup();
    }
  });

  it('keeps the event loop turning while it loads the worst files the limits allow', async () => {
    const dir = temporaryDirectory();
    try {
      const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
      const work = join(dir.path, 'work');
      git(dir.path, 'clone', '--quiet', bare, work);
      const hostile = hostileRepositoryFiles();
      for (const file of hostile) {
        expect(Buffer.byteLength(file.content)).toBeLessThanOrEqual(DEFAULT_YAML_LIMITS.maxFileBytes);
        expect(Buffer.byteLength(file.content)).toBeGreaterThan(DEFAULT_YAML_LIMITS.maxFileBytes * 0.99);
        mkdirSync(dirname(join(work, file.path)), { recursive: true });
        writeFileSync(join(work, file.path), file.content);
      }
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '-m', 'hostile');
      git(work, 'push', '--quiet', 'origin', 'main');

      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = performance.now();
      const model = await loadRepositoryModelFromGit(bare, 'main', { cache: new ParsedFileCache() });
      const took = performance.now() - started;
      delay.disable();
      const maxDelayMs = delay.max / 1e6;
      // eslint-disable-next-line no-console
      console.log(
        `loaded 2 x 1 MiB of hostile YAML in ${took.toFixed(0)} ms; event loop delay max ${maxDelayMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
      );

      for (const file of hostile) {
        const ofFile = model.problems.filter(p => p.file === file.path);
        expect(ofFile).toHaveLength(DEFAULT_MAX_PROBLEMS_PER_FILE + 1);
        expect(ofFile.at(-1)?.message).toMatch(/^… and \d+ more problems in this file/);
      }
      expect(model.list('Component').length).toBeGreaterThanOrEqual(10);
      // The target is 100 ms on a quiet machine (a slice is ~10 ms plus one document's parsing
      // or validation, a few tens of ms); the bound is generous for a busy test machine. Loading
      // these files in one piece blocked for seconds (and locating their problems for hours).
      expect(maxDelayMs).toBeLessThan(1000);
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
