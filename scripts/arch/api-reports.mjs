// API reports of the published packages (report.api.md at each package's root), made by
// @backstage/repo-tools (API Extractor) from the type declarations `yarn tsc` writes to dist-types/.
//
//   yarn build:api-reports                      regenerate every published package's report
//   node scripts/arch/api-reports.mjs --check   fail when a report differs from the code (CI)
//   ... --no-tsc                                skip `yarn tsc` (dist-types/ is already current)
//   ... plugins/cellplane-common                only these packages
//
// repo-tools stops at the first package it cannot process (an API Extractor error, or in --check a
// report that differs); this script then goes on with the packages it had not reached, so one run
// tells about every package.
//
// Warnings (missing release tags, forgotten exports, undocumented members ...) are allowed here
// and written into the reports, where review sees them; api-report-warnings.mjs fails on them.
// One message is left out: ae-wrong-input-file-type. It appears only because, inside this
// monorepo, a workspace dependency's "types" is its src/index.ts (after publishing it is
// dist/index.d.ts); it names the file by its absolute path, so a report that included it would
// differ in every clone. And ae-undocumented, as Backstage's own repositories leave it out
// (`-o ae-wrong-input-file-type,ae-undocumented --validate-release-tags`): a missing release tag or
// a forgotten export still fails the check.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, publishedPackages } from './workspace.mjs';

const OMIT = ['ae-wrong-input-file-type', 'ae-undocumented'];
const REGENERATE = 'yarn build:api-reports';

const args = process.argv.slice(2);
const check = args.includes('--check');
const runTsc = !args.includes('--no-tsc');
const requested = args.filter(a => !a.startsWith('--'));
const dirs = requested.length ? requested : publishedPackages().map(p => p.dir);

function log(line = '') {
  process.stdout.write(`${line}\n`);
}

if (runTsc) {
  log('# yarn tsc (type declarations into dist-types/, from scratch)');
  // From scratch: an incremental build may print a union's members in another order than a fresh
  // one (tsc orders them by when it first met each type), and the reports would differ from CI's.
  rmSync(join(ROOT, 'dist-types'), { recursive: true, force: true });
  const tsc = spawnSync('yarn', ['tsc'], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) {
    log(
      `yarn tsc reported type errors; the reports below may be incomplete until they are fixed:\n${tsc.stdout.slice(
        -3000,
      )}`,
    );
  }
}

const repoTools = join(ROOT, 'node_modules', '.bin', 'backstage-repo-tools');
const problems = []; // { dir, kind: 'stale' | 'missing' | 'error', detail }
const ok = [];
let remaining = [...dirs];
while (remaining.length > 0) {
  const run = spawnSync(
    repoTools,
    [
      'api-reports',
      ...(check ? ['--ci'] : []),
      '--allow-all-warnings',
      '-o',
      OMIT.join(','),
      ...remaining,
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  const processed = [...output.matchAll(/^## Processing (.+)$/gm)].map(m =>
    m[1].trim(),
  );
  if (run.status === 0) {
    ok.push(...remaining);
    break;
  }
  const failed = processed.at(-1);
  ok.push(...processed.slice(0, -1));
  if (!failed || !remaining.includes(failed)) {
    // Failed before reaching any package: nothing to retry with.
    problems.push({
      dir: remaining.join(', '),
      kind: 'error',
      detail: output.trim().split('\n').slice(-15).join('\n'),
    });
    break;
  }
  // API Extractor's messages go to stderr, those of the packages processed before this one too:
  // keep the end of it, where the error that stopped the run is.
  const stderrTail = run.stderr
    .split('\n')
    .filter(l => l.trim())
    .slice(-8)
    .join('\n');
  const section = `${run.stdout.slice(
    run.stdout.lastIndexOf(`## Processing ${failed}`),
  )}\n${stderrTail}`;
  const detail = section
    .split('\n')
    .slice(1)
    .filter(
      l =>
        l.trim() &&
        !/^\*|^Analysis will use|^TIP:|yarn build:api-reports packages/.test(
          l.trim(),
        ),
    )
    .slice(0, 12)
    .join('\n');
  if (
    check &&
    /You have changed the API signature|The conflicting file is/.test(section)
  ) {
    problems.push({ dir: failed, kind: 'stale', detail: '' });
  } else if (check && /report file is missing/i.test(section)) {
    problems.push({ dir: failed, kind: 'missing', detail: '' });
  } else {
    problems.push({ dir: failed, kind: 'error', detail });
  }
  remaining = remaining.filter(d => !processed.includes(d));
}

/** The start of the difference between a package's report and the one API Extractor made in --check. */
function reportDiff(dir) {
  const unscoped = JSON.parse(
    readFileSync(join(ROOT, dir, 'package.json'), 'utf8'),
  ).name.replace(/^@[^/]+\//, '');
  const made = join(
    ROOT,
    'node_modules',
    '.cache',
    'api-extractor',
    unscoped,
    'report.api.md',
  );
  if (!existsSync(made)) return '';
  const diff =
    spawnSync(
      'diff',
      [
        '-u',
        '--label',
        `${dir}/report.api.md (committed)`,
        '--label',
        `${dir}/report.api.md (the code now)`,
        join(ROOT, dir, 'report.api.md'),
        made,
      ],
      { encoding: 'utf8' },
    ).stdout ?? '';
  const lines = diff.trimEnd().split('\n');
  return lines.length > 24
    ? [
        ...lines.slice(0, 24),
        `... (${lines.length - 24} more diff lines)`,
      ].join('\n')
    : lines.join('\n');
}

for (const p of problems) {
  if (p.kind === 'stale') {
    log(
      `- ${p.dir}/report.api.md is out of date: ${p.dir}'s public API changed. Review the change, run \`${REGENERATE}\` and commit the report.`,
    );
    const diff = reportDiff(p.dir);
    if (diff) log(diff.replace(/^/gm, '    '));
  } else if (p.kind === 'missing') {
    log(
      `- ${p.dir} has no report.api.md: run \`${REGENERATE}\` and commit it.`,
    );
  } else {
    const none = existsSync(join(ROOT, p.dir, 'report.api.md'))
      ? ''
      : ' (it has no report.api.md yet)';
    log(
      `- API Extractor cannot analyze ${p.dir}, so its report cannot be ${
        check ? 'checked' : 'written'
      }${none}; ` +
        `fix the package's exported types, then run \`${REGENERATE}\`. API Extractor says:`,
    );
    log(p.detail.replace(/^/gm, '    '));
  }
}
if (!check && ok.length)
  log(
    `reports written (report*.api.md) for ${ok.length} package(s): ${ok.join(
      ', ',
    )}`,
  );
if (problems.length === 0) {
  log(
    check
      ? `ok: the API reports of ${dirs.length} published packages match their code`
      : `ok: ${dirs.length} API reports written`,
  );
} else {
  if (check)
    log(
      `(${ok.length} of ${dirs.length} reports match their code${
        ok.length ? `: ${ok.join(', ')}` : ''
      })`,
    );
  process.exitCode = 1;
}
