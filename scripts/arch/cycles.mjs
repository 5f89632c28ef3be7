// Check: no import circle in any package. Runs madge over the src/ of every workspace package at
// once (with the root tsconfig, so imports resolve as TypeScript resolves them, workspace
// packages included). Type-only imports (`import type`, `import { type X }`) count: a circle of
// types is still a circle of modules. Usage: node scripts/arch/cycles.mjs [dir ...]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { ROOT, workspacePackages } from './workspace.mjs';

const madge = createRequire(join(ROOT, 'package.json'))('madge');

export async function findCycles(dirs) {
  const result = await madge(dirs, {
    baseDir: ROOT,
    fileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs'],
    tsConfig: join(ROOT, 'tsconfig.json'),
    detectiveOptions: {
      ts: { skipTypeImports: false },
      tsx: { skipTypeImports: false },
    },
  });
  return {
    cycles: result.circular(),
    files: Object.keys(result.obj()).length,
    skipped: result.warnings().skipped,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const packages = workspacePackages();
  const args = process.argv.slice(2);
  const dirs = args.length
    ? args
    : packages
        .map(p => join(p.dir, 'src'))
        .filter(d => existsSync(join(ROOT, d)));
  const { cycles, files, skipped } = await findCycles(
    dirs.map(d => join(ROOT, d)),
  );
  const packageOf = file => {
    const abs = join(ROOT, file);
    const dir = [...packages.map(p => p.dir), ...dirs].find(d =>
      abs.startsWith(`${join(ROOT, d)}/`),
    );
    return dir ?? relative(ROOT, join(abs, '..'));
  };
  const unresolved = skipped.filter(s => s.startsWith('.'));
  if (cycles.length === 0) {
    console.log(
      `ok: no import circle in ${files} files of ${dirs.length} packages' src (type-only imports included)`,
    );
  } else {
    console.log(
      `${cycles.length} import circle(s) (break each: move what both sides need into a module of its own, ` +
        `or pass it in instead of importing it; type-only imports count too):`,
    );
    for (const cycle of cycles) {
      const owners = [...new Set(cycle.map(packageOf))];
      const where =
        owners.length === 1
          ? owners[0]
          : `across packages ${owners.join(', ')}`;
      console.log(
        `  - ${where}: ${[...cycle, cycle[0]]
          .map(f => relative(ROOT, join(ROOT, f)))
          .join(' -> ')}`,
      );
    }
    process.exitCode = 1;
  }
  if (unresolved.length)
    console.log(`  note: madge could not resolve ${unresolved.join(', ')}`);
}
