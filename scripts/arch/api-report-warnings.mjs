// Check: the published packages' API reports carry no API Extractor warning. api-reports.mjs
// writes every warning into report.api.md (it does not stop at them), so this reads them there:
// inline ("// Warning: (ae-...) ...") and in the closing "Warnings were encountered" list.
// Fix each in the package's source (a release tag such as @public in the doc comment, export the
// forgotten type from the entry point, document the member), then run `yarn build:api-reports`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, publishedPackages } from './workspace.mjs';

const ADVICE = {
  'ae-missing-release-tag':
    'add a release tag (@public, or @alpha/@beta/@internal) to its doc comment',
  'ae-forgotten-export':
    'export the type from the package entry point (src/index.ts), or stop using it in the public API',
  'ae-undocumented': 'write a doc comment for it',
  'ae-incompatible-release-tags':
    'a public API must not use a less public (@alpha/@beta/@internal) type',
  'ae-internal-missing-underscore': 'prefix the @internal member with _',
};

export function reportWarnings(dir) {
  const files = readdirSync(join(ROOT, dir)).filter(f =>
    /^report(-[^.]+)?\.api\.md$/.test(f),
  );
  const warnings = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, dir, file), 'utf8').split('\n');
    let trailer = false;
    lines.forEach((line, index) => {
      if (line === '// Warnings were encountered during analysis:')
        trailer = true;
      let inline = line.match(/^\/\/ Warning: \(([a-z0-9-]+)\) (.*)$/);
      if (inline && !inline[2].includes('"')) {
        // A TSDoc warning names no symbol: say which declaration follows it.
        const next = lines.slice(index + 1).find(l => l && !l.startsWith('//'));
        inline = [
          inline[0],
          inline[1],
          `${inline[2]} (in the doc comment of: ${next?.trim().slice(0, 80)})`,
        ];
      }
      const listed =
        trailer && line.match(/^\/\/ (\S+) - \(([a-z0-9-]+)\) (.*)$/);
      if (inline) warnings.push({ file, code: inline[1], text: inline[2] });
      else if (listed)
        warnings.push({
          file,
          code: listed[2],
          text: `${listed[1]}: ${listed[3]}`,
        });
    });
  }
  return { files, warnings };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const packages = publishedPackages();
  let total = 0;
  const out = [];
  for (const p of packages) {
    if (!existsSync(join(ROOT, p.dir))) continue;
    const { files, warnings } = reportWarnings(p.dir);
    if (files.length === 0) {
      out.push(
        `  ${p.dir}: no report.api.md to read (see the API reports check)`,
      );
      total += 1;
      continue;
    }
    if (warnings.length === 0) continue;
    total += warnings.length;
    const byCode = new Map();
    for (const w of warnings)
      byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
    out.push(
      `  ${p.dir}: ${warnings.length} (${[...byCode]
        .map(([c, ws]) => `${ws.length} ${c}`)
        .join(', ')})`,
    );
    for (const [code, ws] of byCode) {
      const inFile = w => (files.length > 1 ? ` [${w.file}]` : '');
      if (code === 'ae-undocumented') {
        const where = [...new Set(ws.map(w => `${p.dir}/${w.file}`))];
        out.push(
          `      ${code}: ${
            ws.length
          } exported declaration(s) or member(s) without a doc comment, listed in ${where.join(
            ', ',
          )}`,
        );
      } else {
        for (const w of ws) out.push(`      ${code}: ${w.text}${inFile(w)}`);
      }
    }
  }
  if (total === 0) {
    console.log(
      `ok: the API reports of ${packages.length} published packages carry no API Extractor warning`,
    );
  } else {
    console.log(
      `${total} API Extractor warning(s) in the published packages' API reports. Fix each in the package's ` +
        'source, then run `yarn build:api-reports`:',
    );
    for (const [code, advice] of Object.entries(ADVICE))
      console.log(`    ${code}: ${advice}`);
    for (const line of out) console.log(line);
    process.exitCode = 1;
  }
}
