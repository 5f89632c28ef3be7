// Runs every test of the repository, in the order a failure is cheapest to find:
// type check, the architecture checks (scripts/arch: dependencies, import circles, function and
// package size, API reports), unit and integration tests (Jest, every package), the production
// build (`yarn build:all`), the browser tests against it (the backend serving the built app, as
// the image runs it), then the pack smoke test (the published packages installed from their
// tarballs outside the repository). Ends with a PASS/FAIL line per step and architecture check,
// and last one line "N passed, N failed" for CI. The dist/ folders the build made are removed at
// the end: in this repository the workspaces resolve each other's src/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLine, runChecks } from './arch/run.mjs';

const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const summary = [];
const workDir = mkdtempSync(join(tmpdir(), 'cellplane-tests-'));
const started = Date.now();

function run(title, command, args, env = {}) {
  const stepStarted = Date.now();
  console.log(`\n\u001b[1m==> ${title}\u001b[0m  (${command} ${args.join(' ')})`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
  console.log(`--- ${title}: ${result.status === 0 ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${seconds}s`);
  summary.push(`${result.status === 0 ? 'PASS' : 'FAIL'}  ${title} (${seconds}s)`);
  return result.status === 0;
}

function count(title, ok, reportFile, read) {
  if (existsSync(reportFile)) {
    const { passed, failed, skipped } = read(JSON.parse(readFileSync(reportFile, 'utf8')));
    results.passed += passed;
    results.failed += failed;
    results.skipped += skipped;
    if (failed > 0 || !ok) failures.push(title);
  } else {
    results.failed += 1;
    failures.push(`${title} (no report written)`);
  }
}

// From scratch, as on a fresh clone: the API reports read the declarations it writes, and an
// incremental build may print a union's members in another order than a fresh one.
rmSync('dist-types', { recursive: true, force: true });
const typesOk = run('Type check', 'yarn', ['tsc']);
results[typesOk ? 'passed' : 'failed'] += 1;
if (!typesOk) failures.push('Type check');

// Each architecture check counts as one test. The type check has just written dist-types/, which
// the API reports and the pack smoke test read: they skip their own `yarn tsc`.
async function architecture(title, only) {
  const stepStarted = Date.now();
  console.log(`\n\u001b[1m==> ${title}\u001b[0m  (node scripts/arch/run.mjs ${only.join(' ')})`);
  for (const check of await runChecks({ only, noTsc: true })) {
    results[check.ok ? 'passed' : 'failed'] += 1;
    if (!check.ok) failures.push(check.title);
    summary.push(formatLine(check));
  }
  console.log(`--- ${title}: ${((Date.now() - stepStarted) / 1000).toFixed(1)}s`);
}

await architecture('Architecture checks', ['dependencies', 'cycles', 'long-functions', 'package-size', 'api-reports', 'api-report-warnings']);

const jestReport = join(workDir, 'jest.json');
const jestOk = run('Unit and integration tests (Jest)', 'yarn', [
  'backstage-cli',
  'repo',
  'test',
  '--ci',
  // Without CI in the environment backstage-cli starts Jest in watch mode, which never ends.
  '--watchAll=false',
  '--json',
  `--outputFile=${jestReport}`,
]);
count('Jest', jestOk, jestReport, report => ({
  passed: report.numPassedTests,
  failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
  skipped: report.numPendingTests + report.numTodoTests,
}));

// The production build, as a fresh clone makes it: `yarn tsc` (above) wrote the type
// declarations the package builds read; `yarn build:all` builds every package, the app and the
// backend bundle (packages/backend/dist/{skeleton,bundle}.tar.gz) that the browser tests run.
const workspaceDirs = ['packages', 'plugins'].flatMap(parent =>
  readdirSync(parent, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => join(parent, entry.name)),
);
const distBefore = new Set(workspaceDirs.filter(dir => existsSync(join(dir, 'dist'))));
const buildOk = run('Production build (yarn build:all)', 'yarn', ['build:all']);
results[buildOk ? 'passed' : 'failed'] += 1;
if (!buildOk) failures.push('Production build');

const playwrightReport = join(workDir, 'playwright.json');
if (buildOk) {
  // scripts/production/start.mjs finds the build current and starts it (`--build` would rebuild
  // only if a source changed since).
  const browserOk = run('Browser tests (Playwright, Debian Chromium, production build)', 'yarn', ['test:e2e', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
  });
  count('Playwright', browserOk, playwrightReport, report => ({
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected,
    skipped: report.stats.skipped,
  }));
} else {
  results.failed += 1;
  failures.push('Playwright (not run: no production build)');
  summary.push('FAIL  Browser tests (not run: the production build failed)');
}

// Last: it builds and packs every published package (a few minutes), and nothing above needs that.
await architecture('Pack smoke test', ['pack']);

// The build's dist/ folders would go stale beside the sources, and a built app makes `yarn start`'s
// backend serve (and check) it: leave the tree as the run found it.
for (const dir of workspaceDirs) {
  if (!distBefore.has(dir)) rmSync(join(dir, 'dist'), { recursive: true, force: true });
}

rmSync(workDir, { recursive: true, force: true });
console.log('\nSummary:');
for (const line of summary) console.log(`  ${line}`);
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nTests finished in ${minutes} min${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
console.log(`${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
process.exit(results.failed > 0 || failures.length > 0 ? 1 : 0);
