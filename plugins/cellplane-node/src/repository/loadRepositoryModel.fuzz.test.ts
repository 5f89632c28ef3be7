/**
 * The loader against hostile and broken files: documents of the example repository mutated
 * (wrong types, huge numbers, deep nesting, odd unicode, deleted and unknown fields), then
 * broken as text (duplicate keys, anchors and aliases, alias bombs, several documents, cuts,
 * binary), added to the example repository. Whatever the files, the load never throws, every
 * problem names its file, nothing valid elsewhere is lost, and the load is deterministic (and the
 * same whether it runs at once or in event-loop slices).
 *
 * Fixed seed, bounded runs for the everyday suite; for a release check:
 * `CELLPLANE_FUZZ_RUNS=5000 yarn backstage-cli package test --ci --watchAll=false src/repository/loadRepositoryModel.fuzz`
 * (and `CELLPLANE_FUZZ_SEED=<n>` to explore beyond the fixed seed).
 */
import fc from 'fast-check';
import yaml from 'js-yaml';
import { EventLoopSlicer, runToCompletion } from '../async/cooperative';
import { EXAMPLE_REPOSITORY } from '../testUtils/gitFixtures';
import { locateFieldsInSteps } from '../yaml/locateFields';
import { DEFAULT_YAML_LIMITS, parseYamlDocuments } from '../yaml/parseYamlDocuments';
import { DEFAULT_MAX_PROBLEMS_PER_FILE, FileAnalysis, RepositoryModelBuilder } from './loadRepositoryModel';
import { RepositoryModel } from './RepositoryModel';
import { RepositoryFile, readWorkingTree } from './sources';

const RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS) || 150;
const SEED = Number(process.env.CELLPLANE_FUZZ_SEED) || 42;
/** Jest's time limit per property, grown with the number of runs (a run takes a few ms). */
const TIMEOUT_MS = Math.max(30_000, RUNS * 100);

let exampleFiles: RepositoryFile[];
let exampleDocuments: unknown[];
/** Example files analysed once: every run adds them to its builder as they are. */
let exampleAnalyses: Array<{ path: string; analysis: FileAnalysis }>;
let exampleModel: RepositoryModel;

beforeAll(async () => {
  exampleFiles = (await readWorkingTree(EXAMPLE_REPOSITORY)).files;
  exampleDocuments = exampleFiles.flatMap(file => {
    const parsed = parseYamlDocuments(file.content);
    return parsed.ok ? parsed.documents.map(d => d.value) : [];
  });
  const builder = new RepositoryModelBuilder();
  exampleAnalyses = exampleFiles.map(file => ({ path: file.path, analysis: runToCompletion(builder.analyseInSteps(file)) }));
  exampleModel = load([]);
  if (exampleModel.problems.length > 0) throw new Error('the example repository should load without problems');
});

/** The example repository plus `extra` files, loaded at once. */
function load(extra: RepositoryFile[]): RepositoryModel {
  const builder = new RepositoryModelBuilder();
  for (const { path, analysis } of exampleAnalyses) builder.addAnalysedFile(path, analysis);
  for (const file of extra) builder.addFile(file);
  return builder.build();
}

/** The same, with the work run in event-loop slices as the backend runs it. */
async function loadInSlices(extra: RepositoryFile[]): Promise<RepositoryModel> {
  const builder = new RepositoryModelBuilder();
  const slicer = new EventLoopSlicer(0); // pause at every step, the most interleaving
  for (const { path, analysis } of exampleAnalyses) builder.addAnalysedFile(path, analysis);
  for (const file of extra) builder.addAnalysedFile(file.path, await slicer.run(builder.analyseInSteps(file)));
  return slicer.run(builder.buildInSteps());
}

// ---- Values that break documents ----

const oddStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u202eevil\u202c', // right-to-left override
    'zero\u200bwidth',
    '\ufeffbom',
    'emoji-🚀',
    'ǅ', // title case
    '../../etc/passwd',
    'a'.repeat(5_000),
    '${{ secrets.X }}',
    '$(rm -rf /)',
    'line\nbreak',
    'null',
    '0x1F',
    '1e309',
  ),
);

const wrongValues: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, [], {}),
  fc.integer(),
  fc.double({ noNaN: false }),
  oddStrings,
  fc.array(fc.oneof(fc.integer(), oddStrings), { maxLength: 5 }),
  fc.dictionary(oddStrings, fc.oneof(fc.integer(), oddStrings), { maxKeys: 4 }),
  // Deep nesting, around and past the parser's depth limit.
  fc.integer({ min: 1, max: 150 }).map(depth => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { deeper: value };
    return value;
  }),
);

/** Every path of keys and indexes in a value. */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  }
  return out;
}

function withReplaced(value: unknown, path: Array<string | number>, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = path;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head];
  } else {
    copy[head] = withReplaced(copy[head], rest, replacement, remove);
  }
  return copy;
}

/** A document of the example repository with one field replaced, deleted or added. */
const mutatedDocument = fc
  .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), wrongValues, fc.constantFrom('replace', 'remove', 'add'), oddStrings)
  .map(([documentPick, pathPick, replacement, how, newKey]) => {
    const document = exampleDocuments[documentPick % exampleDocuments.length];
    const paths = pathsOf(document);
    const path = paths[pathPick % paths.length];
    if (how === 'add') {
      const target = paths.filter(p => {
        let node: any = document;
        for (const key of p) node = node[key];
        return node && typeof node === 'object' && !Array.isArray(node);
      });
      return withReplaced(document, [...target[pathPick % target.length], newKey], replacement, false);
    }
    return withReplaced(document, path, replacement, how === 'remove');
  });

function dump(value: unknown): string {
  try {
    return yaml.dump(value, { noRefs: true, lineWidth: -1 });
  } catch {
    return JSON.stringify(value) ?? 'null';
  }
}

// ---- Text that breaks files ----

/** Cuts, insertions and repeated lines (duplicate keys) in a YAML text. */
const textMutation = (text: string) =>
  fc.oneof(
    fc.constant(text),
    fc.integer({ min: 0, max: text.length }).map(at => text.slice(0, at)),
    fc.tuple(fc.integer({ min: 0, max: text.length }), fc.constantFrom(': ', '- ', '{', '[', '"', "'", '\t', '&a ', '*a', '<<: *a\n', '\n---\n', '\n...\n', '%YAML 1.2\n', '!!binary ', '!custom ', '? ', '|\n', '#', '\0')).map(
      ([at, insert]) => text.slice(0, at) + insert + text.slice(at),
    ),
    fc.integer({ min: 0, max: 200 }).map(pick => {
      const lines = text.split('\n');
      const line = pick % Math.max(lines.length, 1);
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n'); // often a duplicate key
    }),
  );

const aliasBomb = fc.integer({ min: 2, max: 9 }).map(levels => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let level = 1; level < levels; level += 1) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
});

const anchorsAndMerges = mutatedDocument.map(document => {
  const text = dump(document);
  return `base: &base\n  name: anchored\n---\n${text.replace(/^metadata:\n/m, 'metadata:\n  <<: *base\n')}`;
});

const fileContent: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: mutatedDocument.map(dump).chain(textMutation).map(text => Buffer.from(text)) },
  {
    weight: 2,
    arbitrary: fc
      .array(mutatedDocument.map(dump), { minLength: 2, maxLength: 4 })
      .map(texts => Buffer.from(texts.join('---\n'))),
  },
  { weight: 1, arbitrary: aliasBomb.map(text => Buffer.from(text)) },
  { weight: 1, arbitrary: anchorsAndMerges.map(text => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map(bytes => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map(text => Buffer.from(text)) },
);

const extraFiles: fc.Arbitrary<RepositoryFile[]> = fc
  .array(fileContent, { minLength: 1, maxLength: 3 })
  .map(contents =>
    contents.map((content, i) => ({
      // Paths that sort after the example's files, under a namespace folder or not.
      path: i % 2 ? `zz-fuzz/file-${i}.yaml` : `namespaces/acme/zz-fuzz-${i}.yaml`,
      content,
    })),
  );

const keyOf = (e: { resource: { kind: string; metadata: { name: string } }; namespace?: string }) =>
  `${e.resource.kind} ${e.namespace ?? ''}/${e.resource.metadata.name}`;

describe('loadRepositoryModel under fuzzing', () => {
  it('never throws, names the file of every problem, caps them, and loses nothing valid elsewhere', () => {
    fc.assert(
      fc.property(extraFiles, extra => {
        const model = load(extra);
        const paths = new Set([...exampleFiles, ...extra].map(f => f.path));
        const perFile = new Map<string, number>();
        for (const problem of model.problems) {
          expect(paths.has(problem.file!)).toBe(true);
          perFile.set(problem.file!, (perFile.get(problem.file!) ?? 0) + 1);
        }
        for (const count of perFile.values()) expect(count).toBeLessThanOrEqual(DEFAULT_MAX_PROBLEMS_PER_FILE + 1);
        const loaded = new Map(model.entries().map(e => [keyOf(e), e.file]));
        for (const entry of exampleModel.entries()) {
          expect(loaded.get(keyOf(entry))).toBe(entry.file);
        }
        expect(model.workload('acme', 'cart-api')?.file).toBe(exampleModel.workload('acme', 'cart-api')?.file);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it('is deterministic, and the same at once or in event-loop slices', async () => {
    await fc.assert(
      fc.asyncProperty(extraFiles, async extra => {
        const once = load(extra);
        const again = load(extra);
        const sliced = await loadInSlices(extra);
        expect(again.problems).toEqual(once.problems);
        expect(again.entries()).toEqual(once.entries());
        expect(sliced.problems).toEqual(once.problems);
        expect(sliced.entries()).toEqual(once.entries());
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 3) },
    );
  }, TIMEOUT_MS);
});

describe('parseYamlDocuments under fuzzing', () => {
  /** YAML-ish text made of the pieces where a split into documents could go wrong. */
  const yamlish = fc
    .array(
      fc.constantFrom(
        '---',
        '--- ',
        '---\t# c',
        '--- |',
        '--- >',
        '--- "quoted',
        "--- 'single",
        '...',
        '---x',
        ' ---',
        'a: 1',
        'a: |',
        '  ---',
        'b: [1,',
        '  2]',
        '- item',
        '"multi',
        'line"',
        'key: "text',
        '# comment',
        '',
        'x: &anchor 1',
        'y: *anchor',
        '%YAML 1.2',
        'plain',
        '|',
        '>-',
        '  folded',
        '? complex',
        ': value',
      ),
      { maxLength: 14 },
    )
    .chain(lines => fc.constantFrom('\n', '\r\n').map(eol => lines.join(eol) + eol));

  it('reads a file a document at a time exactly as js-yaml reads it whole', () => {
    const schema = yaml.CORE_SCHEMA.extend({ implicit: [(yaml as any).types.merge] });
    fc.assert(
      fc.property(yamlish, text => {
        let whole: unknown[] | undefined;
        try {
          whole = yaml.loadAll(text, undefined, { schema });
        } catch {
          whole = undefined;
        }
        const split = parseYamlDocuments(text);
        // Both fail, or both read the same documents at the same positions.
        const asWhole = split.ok ? split : { ok: false };
        expect(asWhole).toEqual(
          whole === undefined
            ? { ok: false }
            : {
                ok: true,
                documents: whole
                  .map((value, index) => ({ index, value }))
                  .filter(d => d.value !== null && d.value !== undefined),
              },
        );
      }),
      { seed: SEED, numRuns: RUNS * 5 },
    );
  }, TIMEOUT_MS);

  it('locates fields in any text without throwing, on a line of the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(yamlish, fc.string({ unit: 'binary', maxLength: 200 })),
        fc.nat(4),
        fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.nat(3)), { maxLength: 4 }),
        (text, documentIndex, path) => {
          const [line] = runToCompletion(locateFieldsInSteps(text, [{ documentIndex, path }]));
          const lines = text.split('\n').length;
          expect(line === undefined || (line >= 1 && line <= lines)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: RUNS * 5 },
    );
  }, TIMEOUT_MS);

  it('refuses documents over the value limit whatever their shape', () => {
    fc.assert(
      fc.property(fc.constantFrom('map', 'flowMap', 'seq', 'flowSeq'), fc.integer({ min: 1, max: 3 }), (shape, documents) => {
        const count = DEFAULT_YAML_LIMITS.maxNodesPerDocument + 1;
        const items = Array.from({ length: count }, (_, i) => i);
        const body = {
          map: items.map(i => `k${i}: ${i}`).join('\n'),
          flowMap: `{${items.map(i => `k${i}: ${i}`).join(', ')}}`,
          seq: items.map(i => `- ${i}`).join('\n'),
          flowSeq: `[${items.join(', ')}]`,
        }[shape];
        const text = [...Array(documents - 1).fill('small: 1'), body].join('\n---\n');
        expect(parseYamlDocuments(text)).toEqual({
          ok: false,
          message: `document ${documents} expands to more than ${DEFAULT_YAML_LIMITS.maxNodesPerDocument} values (YAML aliases?); refusing it`,
        });
      }),
      { seed: SEED, numRuns: 12 },
    );
  }, TIMEOUT_MS);
});
