/**
 * yarn bench:render: how long Cellplane takes to render a GitOps repository of 10,000 components
 * in 3 environments (30,000 ReleaseBindings) into rendered/: templates, cells and network
 * policies, observability, labels, schema validation, YAML. Target: at most 10 s. A second render
 * must be byte-identical. Renders on 2 threads (BENCH_WORKERS=1: one); the worker threads stay up
 * between the two renders, as in a long-running process. CPU seconds count every thread.
 */
import { gitOpsLayout, loadRepositoryModel } from '@cellplane/backstage-plugin-node';
import { cpus, loadavg } from 'node:os';
import { loadRenderedObjectSchemas, renderRepository } from '@cellplane/renderer';
import { generateRepository } from './generateRepository';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 1000);
const COMPONENTS_PER_PROJECT = Number(process.env.BENCH_COMPONENTS_PER_PROJECT ?? 10);
/** Threads to render on (the main thread + workers); 1 renders in this thread only. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? Math.min(2, cpus().length));

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * The generator binds component c to 1 + c % 3 environments; the benchmark wants every component
 * in all 3, so the missing bindings are copied from the development one.
 */
function withEveryEnvironment(files: Array<{ path: string; content: Buffer }>) {
  const paths = new Set(files.map(file => file.path));
  const extra: typeof files = [];
  for (const file of files) {
    const match = /^(.*\/release-bindings\/)(.+)-development\.yaml$/.exec(file.path);
    if (!match) continue;
    for (const environment of ['staging', 'production']) {
      const path = `${match[1]}${match[2]}-${environment}.yaml`;
      if (paths.has(path)) continue;
      const text = file.content.toString('utf8').replace(/-development\b/g, `-${environment}`).replace(/environment: development/, `environment: ${environment}`);
      extra.push({ path, content: Buffer.from(text) });
    }
  }
  return [...files, ...extra];
}

async function main() {
  const components = PROJECTS * COMPONENTS_PER_PROJECT;
  console.error(`Generating ${components} components in ${PROJECTS} projects...`);
  const files = withEveryEnvironment(
    generateRepository({ projects: PROJECTS, componentsPerProject: COMPONENTS_PER_PROJECT })
      .filter(file => gitOpsLayout.isModelFile(file.path))
      .map(file => ({ path: file.path, content: Buffer.from(file.content!) })),
  );
  const model = loadRepositoryModel({ files });
  if (model.problems.length > 0) throw new Error(`the generated repository has problems, e.g. ${JSON.stringify(model.problems[0])}`);
  const bindings = model.list('ReleaseBinding').length;
  await loadRenderedObjectSchemas(); // once per process, like a backend; not part of a render
  console.error(`${bindings} ReleaseBindings; rendering twice on ${WORKERS} thread(s)...`);

  // CPU time beside wall time: on a shared machine the wall clock also counts other processes.
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  let cpu = process.cpuUsage();
  let start = process.hrtime.bigint();
  const first = await renderRepository(model, { workers: WORKERS });
  const firstSeconds = seconds(start);
  const firstCpu = cpuSeconds(cpu);
  console.error(`  render 1: ${firstSeconds.toFixed(2)} s, ${first.files.size} files, ${first.stats.objects} objects, ${first.problems.length} problems`);
  console.error(`  where the time went (s): ${JSON.stringify(first.timings, (_k, v) => (typeof v === 'number' ? Number(v.toFixed(2)) : v))}`);
  cpu = process.cpuUsage();
  start = process.hrtime.bigint();
  const second = await renderRepository(model, { workers: WORKERS });
  const secondSeconds = seconds(start);
  const secondCpu = cpuSeconds(cpu);
  console.error(`  render 2: ${secondSeconds.toFixed(2)} s (CPU ${secondCpu.toFixed(2)} s; render 1 CPU ${firstCpu.toFixed(2)} s)`);
  console.error(`  where the time went (s): ${JSON.stringify(second.timings, (_k, v) => (typeof v === 'number' ? Number(v.toFixed(2)) : v))}`);

  const identical =
    first.files.size === second.files.size && [...first.files].every(([path, content]) => second.files.get(path) === content);
  const errors = first.problems.filter(p => p.severity === 'error');
  if (errors.length > 0) console.error(`first error: ${JSON.stringify(errors[0])}`);
  console.log(
    JSON.stringify({
      components,
      environments: 3,
      bindings,
      seconds: Number(Math.min(firstSeconds, secondSeconds).toFixed(2)),
      firstRunSeconds: Number(firstSeconds.toFixed(2)),
      cpuSeconds: Number(Math.min(firstCpu, secondCpu).toFixed(2)),
      firstRunCpuSeconds: Number(firstCpu.toFixed(2)),
      workers: WORKERS,
      loadAverage: Number(loadavg()[0].toFixed(1)),
      files: first.files.size,
      objects: first.stats.objects,
      errors: errors.length,
      identical,
      node: process.version,
      cpus: cpus().length,
    }),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
