import { runCellplaneCommand } from '@cellplane/renderer';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateRepository } from '../generateRepository';

const EXAMPLE = resolve(__dirname, '../../examples/gitops');

/** The project of 100 components the cell view is timed on, beside the example's own projects. */
export const BIG_PROJECT = 'project-0';

/**
 * A seed folder for the portal's GitOps repository: the example organisation as it is (so
 * `web-shop` and its pipeline are there) plus one generated project of `components` components,
 * with `rendered/` brought up to date by `cellplane render`, as a GitOps repository's own CI
 * would, so the sandbox data plane runs all of them.
 */
export async function writeSeedRepository(folder: string, components: number, log: (line: string) => void): Promise<void> {
  cpSync(EXAMPLE, folder, { recursive: true });
  rmSync(join(folder, 'rendered'), { recursive: true, force: true });
  const generated = generateRepository({ projects: 1, componentsPerProject: components }).filter(file =>
    file.path.startsWith(`namespaces/acme/projects/${BIG_PROJECT}/`),
  );
  for (const file of generated) {
    mkdirSync(dirname(join(folder, file.path)), { recursive: true });
    writeFileSync(join(folder, file.path), file.content!);
  }
  const problems: string[] = [];
  const exitCode = await runCellplaneCommand(['render', folder], { out: () => {}, err: line => problems.push(line) });
  if (exitCode !== 0) throw new Error(`cellplane render of the generated repository failed (exit ${exitCode}): ${problems.slice(0, 5).join('\n')}`);
  log(`Generated ${folder}: the example organisation and ${BIG_PROJECT} with ${components} components, rendered`);
}
