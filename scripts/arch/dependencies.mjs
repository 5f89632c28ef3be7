// Check: no published package depends on a private one.
//
// A published package (a workspace package whose package.json is not "private": true) must be
// installable from the registry alone, so its dependencies, peerDependencies and
// optionalDependencies may not name
//   - a private workspace package (it is never published, so the install fails), nor
//   - anything by a local protocol (link:, file:, portal:), which only resolves inside this clone.
// devDependencies are not installed for consumers, so they may name anything.
// Also: the shipped (non-test) source of a published package may not import a private workspace
// package at all, even one listed only in devDependencies (it would fail at run time).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, sourceFiles, workspacePackages } from './workspace.mjs';

const RUNTIME_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
];
const LOCAL_PROTOCOL = /^(link|file|portal):/;
const TEST_PATH =
  /(\.test\.[cm]?[jt]sx?$|(^|\/)(__testUtils__|__fixtures__|__mocks__|testing|testUtils|setupTests\.[jt]s))/;

export function findViolations(packages = workspacePackages()) {
  const byName = new Map(packages.map(p => [p.name, p]));
  const violations = [];
  for (const p of packages.filter(q => q.published)) {
    for (const field of RUNTIME_FIELDS) {
      for (const [dep, range] of Object.entries(p.pkg[field] ?? {})) {
        const target = byName.get(dep);
        if (target && !target.published) {
          violations.push(
            `${p.dir}/package.json ${field} names ${dep} (${target.dir}), which is private: ` +
              `move what ${p.name} needs from it into a published package, or make it a devDependency if only tests use it`,
          );
        } else if (LOCAL_PROTOCOL.test(String(range))) {
          violations.push(
            `${p.dir}/package.json ${field} names ${dep}@${range}, a local path that does not exist ` +
              `for someone installing from the registry: depend on a published version (workspace:^ for a published workspace package)`,
          );
        }
      }
    }
    const privateNames = packages.filter(q => !q.published).map(q => q.name);
    for (const file of sourceFiles(join(ROOT, p.dir, 'src'))) {
      const rel = relative(join(ROOT, p.dir, 'src'), file);
      if (TEST_PATH.test(rel)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm,
      )) {
        const spec = m[1];
        const hit = privateNames.find(
          n => spec === n || spec.startsWith(`${n}/`),
        );
        if (hit) {
          const line = text.slice(0, m.index).split('\n').length;
          violations.push(
            `${relative(
              ROOT,
              file,
            )}:${line} imports ${spec}, a private package that is not published: ` +
              `the published ${p.name} would fail at run time; move the code it needs into a published package`,
          );
        }
      }
    }
  }
  return violations;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const packages = workspacePackages();
  const violations = findViolations(packages);
  const published = packages.filter(p => p.published).map(p => p.name);
  if (violations.length === 0) {
    console.log(
      `ok: ${
        published.length
      } published packages depend on no private workspace package (${published.join(
        ', ',
      )})`,
    );
  } else {
    console.log(
      `${violations.length} dependency problem(s) in published packages:`,
    );
    for (const v of violations) console.log(`  - ${v}`);
    process.exitCode = 1;
  }
}
