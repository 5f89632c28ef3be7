/**
 * yarn bench:observe: the observe features (#15) measured, one part per file in this folder.
 *
 * Every `*.ts` file here other than this one (and tests) is a part: it exports
 * `run(log: (line: string) => void): Promise<Record<string, unknown>>`, and the keys it returns
 * land in the final JSON object, beside the machine and the date. Parts run one after the other,
 * in file name order, so they do not compete for the CPU:
 *   - logLatency.ts: a log line written by a pod (the test server's log store) → received on the
 *     backend's logs stream, then a sandbox pod's line → drawn in the portal's Logs tab in
 *     headless Chromium (`logBrowser`), p99 over 200 lines each (target ≤ 1 s);
 *   - the delivery metrics part (issue #15's DORA figures) adds its own file.
 * BENCH_OBSERVE_PARTS=logLatency,... runs only those. Progress goes to stderr; the last stdout
 * line is one JSON object.
 */
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join } from 'node:path';

export type ObservePart = { run(log: (line: string) => void): Promise<Record<string, unknown>> };

async function main() {
  const only = process.env.BENCH_OBSERVE_PARTS?.split(',').map(p => p.trim());
  const parts = readdirSync(__dirname)
    .filter(file => file.endsWith('.ts') && file !== 'main.ts' && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map(file => basename(file, '.ts'))
    .filter(name => !only || only.includes(name))
    .sort();
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    loadAverageAtStart: loadavg().map(l => Math.round(l * 100) / 100),
  };
  for (const name of parts) {
    const log = (line: string) => process.stderr.write(`[bench:observe ${name}] ${line}\n`);
    const part = (await import(join(__dirname, name))) as Partial<ObservePart>;
    if (typeof part.run !== 'function') {
      log('exports no run(): skipped');
      continue;
    }
    log('running');
    Object.assign(result, await part.run(log));
  }
  result.loadAverageAtEnd = loadavg().map(l => Math.round(l * 100) / 100);
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
