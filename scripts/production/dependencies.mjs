// The production dependencies of a backend bundle, found in the repository's own installation.
//
// `yarn workspaces focus --all --production` (what the image runs on the skeleton) installs the
// dependencies and optionalDependencies of every workspace in the skeleton, and theirs, and so
// on. productionInstall() finds the same packages where `yarn install` put them in this
// repository and lays them out in a folder the way they lie here: the folders holding them
// (node_modules/<name>, or <workspace>/node_modules/<name> where Yarn could not hoist) are
// hard-linked (copied across file systems), so every path stays inside the folder and Node
// resolves from there, as in the image; dev-only packages are absent, so a missing production
// dependency fails here as it would there. Workspaces are linked to the folder's own copies.
import { cpSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const readJson = file => JSON.parse(readFileSync(file, 'utf8'));

/** Where Node would find `name` from the package folder `from`, without leaving the repository. */
function resolvePackage(root, from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return undefined;
  }
}

/**
 * The folders to lay out (relative to the repository root) for the skeleton's workspaces, and
 * the dependencies that are not installed here.
 *
 * @param root the repository root (its node_modules is the installation)
 * @param workspaces [{ dir, pkg }]: each workspace of the skeleton, dir relative to the root
 */
export function productionFolders(root, workspaces) {
  const folders = new Set();
  const missing = [];
  const seen = new Set();
  const queue = [];
  const isLocal = spec => /^(workspace|link|portal|file):/.test(spec);
  const visit = (fromDir, pkg, who) => {
    const deps = { ...pkg.optionalDependencies, ...pkg.dependencies };
    for (const [name, spec] of Object.entries(deps)) {
      if (isLocal(spec)) continue;
      const found = resolvePackage(root, fromDir, name);
      if (!found) {
        if (!pkg.optionalDependencies?.[name]) missing.push(`${name} (a dependency of ${who})`);
        continue;
      }
      const path = relative(root, found);
      const top = path.match(/^((?:(?:packages|plugins)\/[^/]+\/)?node_modules\/(?:@[^/]+\/)?[^/]+)$/);
      if (top) folders.add(top[1].split('/').join(sep));
      const real = realpathSync(found);
      if (!seen.has(real)) {
        seen.add(real);
        queue.push([real, name]);
      }
    }
  };
  for (const { dir, pkg } of workspaces) visit(join(root, dir), pkg, pkg.name);
  while (queue.length) {
    const [dir, name] = queue.pop();
    visit(dir, readJson(join(dir, 'package.json')), name);
  }
  return { folders: [...folders].sort(), missing };
}

/** Hard-links the tree at `from` to `to` (symlinks recreated as they are); copies when linking fails. */
function linkTree(from, to, counter) {
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) linkTree(join(from, entry), join(to, entry), counter);
  } else {
    try {
      if (counter.copy) throw Object.assign(new Error('copying'), { code: 'EXDEV' });
      linkSync(from, to);
    } catch (error) {
      if (error.code !== 'EXDEV' && error.code !== 'EPERM') throw error;
      counter.copy = true; // another file system: copy from now on
      cpSync(from, to);
    }
    counter.files += 1;
  }
}

/**
 * Lays the production dependencies of the skeleton's workspaces out in `target` (a folder with
 * the skeleton extracted), from the repository's installation, and links each workspace as
 * Yarn does (node_modules/<name> -> the workspace; `link:` dependencies likewise).
 */
export function productionInstall(root, target, workspaces, onProgress = () => {}) {
  const { folders, missing } = productionFolders(root, workspaces);
  const counter = { files: 0, copy: false };
  folders.forEach((folder, i) => {
    linkTree(join(root, folder), join(target, folder), counter);
    if (i % 100 === 99) onProgress(`${i + 1} of ${folders.length} packages`);
  });
  const link = (at, to) => {
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(relative(dirname(at), to), at);
  };
  for (const { dir, pkg } of workspaces) {
    link(join(target, 'node_modules', pkg.name), join(target, dir));
    for (const [name, spec] of Object.entries(pkg.dependencies ?? {})) {
      if (spec.startsWith('link:')) link(join(target, dir, 'node_modules', name), join(target, dir, spec.slice(5)));
    }
  }
  return { packages: folders.length, files: counter.files, copied: counter.copy, missing };
}

/** The workspaces of an extracted skeleton: every package.json under packages/ and plugins/. */
export function skeletonWorkspaces(folder) {
  const workspaces = [];
  for (const parent of ['packages', 'plugins']) {
    if (!existsSync(join(folder, parent))) continue;
    for (const name of readdirSync(join(folder, parent))) {
      const file = join(folder, parent, name, 'package.json');
      if (existsSync(file)) workspaces.push({ dir: join(parent, name), pkg: readJson(file) });
    }
  }
  return workspaces;
}
