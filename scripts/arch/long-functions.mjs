// Check: no function longer than 120 lines outside tests, in plugins/*/src, packages/*/src and
// bench/. Functions, methods, constructors, accessors, function expressions and arrow functions
// all count, from their first line (the keyword or name, not the doc comment) to the closing
// brace. Tests are left out: *.test.ts(x), and anything under __testUtils__/, testing/ or
// __fixtures__/. Usage: node scripts/arch/long-functions.mjs [--limit N]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { ROOT, sourceFiles, workspacePackages } from './workspace.mjs';

const ts = createRequire(join(ROOT, 'package.json'))('typescript');
const limitArg = process.argv.indexOf('--limit');
const LIMIT = limitArg > 0 ? Number(process.argv[limitArg + 1]) : 120;
const SKIP =
  /(\.test\.[cm]?[jt]sx?$|(^|\/)(__testUtils__|testing|__fixtures__)(\/|$))/;

function nameOf(node) {
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)) &&
    parent.name
  ) {
    return parent.name.getText();
  }
  if (parent && ts.isCallExpression(parent))
    return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

export function longFunctions(files, limit = LIMIT) {
  const found = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const kind = /\.tsx$|\.jsx$/.test(file)
      ? ts.ScriptKind.TSX
      : /\.[cm]?js$/.test(file)
      ? ts.ScriptKind.JS
      : ts.ScriptKind.TS;
    const source = ts.createSourceFile(
      file,
      text,
      ts.ScriptTarget.Latest,
      true,
      kind,
    );
    const visit = node => {
      if (ts.isFunctionLike(node) && node.body) {
        const first = source.getLineAndCharacterOfPosition(
          node.getStart(source),
        ).line;
        const last = source.getLineAndCharacterOfPosition(node.end).line;
        const lines = last - first + 1;
        if (lines > limit)
          found.push({
            file: relative(ROOT, file),
            line: first + 1,
            name: nameOf(node),
            lines,
          });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const roots = [
    ...workspacePackages().map(p => join(ROOT, p.dir, 'src')),
    join(ROOT, 'bench'),
  ];
  const files = roots.flatMap(root =>
    sourceFiles(root, { skip: rel => SKIP.test(rel) }),
  );
  const found = longFunctions(files);
  if (found.length === 0) {
    console.log(
      `ok: no function over ${LIMIT} lines in ${files.length} non-test files (plugins/*/src, packages/*/src, bench)`,
    );
  } else {
    console.log(
      `${found.length} function(s) over ${LIMIT} lines (split each into named steps of at most ${LIMIT} lines):`,
    );
    for (const f of found)
      console.log(`  - ${f.file}:${f.line} ${f.name}: ${f.lines} lines`);
    process.exitCode = 1;
  }
}
