// The architecture checks: rules about how the packages are put together, which no unit test sees.
// `./cellplane test` runs them all (scripts/run-tests.mjs); each also runs alone.
//
//   yarn test:arch                       every check (the pack smoke test takes a few minutes)
//   yarn test:arch cycles long-functions  only these (ids below)
//   node scripts/arch/run.mjs --no-tsc    skip `yarn tsc` where a check needs dist-types/ (just written)
//
// Prints one PASS/FAIL line per check, a failing check's details under it, and ends with
// "N passed, N failed".
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './workspace.mjs';

const script = name => join('scripts', 'arch', name);

/** id, what the line says, the script and its arguments; `tsc` when it needs dist-types/. */
export const CHECKS = [
  {
    id: 'dependencies',
    title: 'Published packages depend on no private package',
    args: [script('dependencies.mjs')],
  },
  {
    id: 'cycles',
    title: 'No import circle in any package (type-only imports included)',
    args: [script('cycles.mjs')],
  },
  {
    id: 'long-functions',
    title: 'No function over 120 lines outside tests',
    args: [script('long-functions.mjs')],
  },
  {
    id: 'package-size',
    title: 'cellplane-node under 3,500 lines of non-test source',
    args: [script('package-size.mjs')],
  },
  {
    id: 'api-reports',
    title: "API reports (report.api.md) match the published packages' code",
    args: [script('api-reports.mjs'), '--check'],
    tsc: true,
  },
  {
    id: 'api-report-warnings',
    title: 'API reports carry no API Extractor warning',
    args: [script('api-report-warnings.mjs')],
  },
  {
    id: 'pack',
    title: 'Published packages pack, install and start outside the repository',
    args: [script('pack-smoke.mjs')],
    tsc: true,
  },
];

const MAX_DETAIL_LINES = 40;

function runOne(check, { noTsc }) {
  const args = [...check.args, ...(check.tsc && noTsc ? ['--no-tsc'] : [])];
  const started = Date.now();
  return new Promise(resolve => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('close', code =>
      resolve({
        ...check,
        ok: code === 0,
        seconds: (Date.now() - started) / 1000,
        output: output.trimEnd(),
        command: `node ${check.args.join(' ')}`,
      }),
    );
  });
}

export function formatLine(result) {
  return `${result.ok ? 'PASS' : 'FAIL'}  ${
    result.title
  } (${result.seconds.toFixed(1)}s)`;
}

/** Runs the checks one after the other, printing each line (and a failure's details) as it ends. */
export async function runChecks({
  only = [],
  noTsc = false,
  print = line => process.stdout.write(`${line}\n`),
} = {}) {
  const unknown = only.filter(id => !CHECKS.some(c => c.id === id));
  if (unknown.length)
    throw new Error(
      `unknown check(s) ${unknown.join(', ')}; the checks are ${CHECKS.map(
        c => c.id,
      ).join(', ')}`,
    );
  const selected = CHECKS.filter(c => only.length === 0 || only.includes(c.id));
  if (!noTsc && selected.some(c => c.tsc)) {
    // Once for all the checks that read the type declarations.
    print('(yarn tsc: type declarations into dist-types/)');
    await new Promise(resolve =>
      spawn('yarn', ['tsc'], { cwd: ROOT, stdio: 'ignore' }).on(
        'close',
        resolve,
      ),
    );
  }
  const results = [];
  for (const check of selected) {
    const result = await runOne(check, { noTsc: true });
    results.push(result);
    print(formatLine(result));
    if (!result.ok) {
      const lines = result.output.split('\n');
      for (const line of lines.slice(0, MAX_DETAIL_LINES))
        print(`      ${line}`);
      if (lines.length > MAX_DETAIL_LINES)
        print(`      ... ${lines.length - MAX_DETAIL_LINES} more lines`);
      print(`      (run it alone: ${result.command})`);
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const results = await runChecks({
    only: argv.filter(a => !a.startsWith('--')),
    noTsc: argv.includes('--no-tsc'),
  });
  const failed = results.filter(r => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
