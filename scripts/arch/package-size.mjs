// Check: @cellplane/backstage-plugin-node (plugins/cellplane-node) stays under 3,500 lines of
// non-test source. It is the library every backend package shares; past that size it is doing
// the job of a plugin and should be split. (3,000 until the portal's views: their history reads
// (includesCommit, readFilesAtCommits, history details) must live in GitOpsRepository, the only
// owner of the mirror, and the loader reads YAML as Kubernetes does; what only one plugin used,
// the pull-request listing and the metrics config, moved into cellplane-backend.) Counted like `wc -l` over src/, leaving out tests
// (*.test.ts, *.test.tsx) and test helpers (testUtils/, __testUtils__/, __fixtures__/).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, sourceFiles } from './workspace.mjs';

const PACKAGE_DIR = 'plugins/cellplane-node';
const LIMIT = 3500;
const SKIP =
  /(\.test\.[cm]?[jt]sx?$|(^|\/)(testUtils|__testUtils__|__fixtures__)(\/|$))/;

const srcDir = join(ROOT, PACKAGE_DIR, 'src');
const files = sourceFiles(srcDir, {
  skip: rel => SKIP.test(relative(srcDir, join(ROOT, rel))),
});
const lines = f => {
  const text = readFileSync(f, 'utf8');
  return text === ''
    ? 0
    : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
};
const byFolder = new Map();
let total = 0;
for (const f of files) {
  const n = lines(f);
  total += n;
  const folder = relative(srcDir, f).split('/').slice(0, -1).join('/') || '.';
  byFolder.set(folder, (byFolder.get(folder) ?? 0) + n);
}
const breakdown = [...byFolder]
  .sort((a, b) => b[1] - a[1])
  .map(([f, n]) => `${f} ${n}`)
  .join(', ');
if (total < LIMIT) {
  console.log(
    `ok: ${PACKAGE_DIR}/src has ${total} lines of non-test source in ${files.length} files (limit ${LIMIT}): ${breakdown}`,
  );
} else {
  console.log(
    `${PACKAGE_DIR}/src has ${total} lines of non-test source in ${files.length} files; the limit is ${LIMIT}.`,
  );
  console.log(`  by folder: ${breakdown}`);
  console.log(
    `  Move what only one plugin uses into that plugin (or a new package) so the shared node library stays small.`,
  );
  process.exitCode = 1;
}
