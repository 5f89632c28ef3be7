// What the architecture checks share: the repository root and its workspace packages.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every workspace package: { dir (relative to the root), name, pkg (its package.json), published }. */
export function workspacePackages() {
  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const globs = Array.isArray(rootPkg.workspaces)
    ? rootPkg.workspaces
    : rootPkg.workspaces.packages;
  const dirs = [];
  for (const glob of globs) {
    if (!glob.endsWith('/*'))
      throw new Error(`workspace pattern ${glob} is not of the form folder/*`);
    const parent = join(ROOT, glob.slice(0, -2));
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent).sort()) {
      const dir = join(parent, entry);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'package.json')))
        dirs.push(dir);
    }
  }
  return dirs.map(dir => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    // Published = what `npm publish` would accept: any workspace package not marked private.
    return {
      dir: relative(ROOT, dir),
      name: pkg.name,
      pkg,
      published: pkg.private !== true,
    };
  });
}

export function publishedPackages() {
  return workspacePackages().filter(p => p.published);
}

/** Source files under a folder, skipping build output and installed packages. */
export function sourceFiles(dir, { skip = () => false } = {}) {
  const out = [];
  const walk = d => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (
        ['node_modules', 'dist', 'dist-types', 'coverage'].includes(entry.name)
      )
        continue;
      if (skip(relative(ROOT, path), entry)) continue;
      if (entry.isDirectory()) walk(path);
      else if (
        /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(entry.name) &&
        !/\.d\.[cm]?ts$/.test(entry.name)
      )
        out.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}
