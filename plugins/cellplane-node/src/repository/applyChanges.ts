import { EventLoopSlicer } from '../async/cooperative';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import { FileAnalysis, LoadRepositoryModelOptions, RepositoryModelBuilder, modelSources } from './loadRepositoryModel';
import { RepositoryModel } from './RepositoryModel';

type SourceFile = { path: string; analysis: FileAnalysis };

/** A file to write (content) or delete (content null), by repository-relative path. @public */
export interface FileChange {
  path: string;
  content: string | Buffer | null;
}

/**
 * The model as it will be once `changes` land on the files `model` was loaded from: what the
 * loader would read from the commit that applies them, problems included.
 *
 * The files the model was built from stay as they were parsed (nothing is read or parsed
 * again); a changed file is dropped (`content: null`) or parsed and validated by the loader's
 * own code, with the limits the model was loaded with (file size, values per document, YAML
 * aliases, problems per file), and with its checks of namespaces against folders. Then the
 * checks across files (duplicates, references) run over the whole new model, so its problems
 * are those of the new files: none is carried over from `model`. A hostile or broken change is
 * reported as the problems the loader would report for it once committed; nothing throws.
 *
 * As in a commit, the last change of a path wins, and files the loader does not read (outside
 * its layout, e.g. under `rendered/`) change nothing. The new model keeps `model`'s revision:
 * no commit holds it yet. The work runs in slices of the event loop, as the backend's loads do.
 *
 * A model that the loader did not build (made with `new RepositoryModel`) has no files to go
 * back to: its resources are taken as they are, and the problems of the new model are those
 * found in the changed files and by the checks across files.
 *
 * @public
 */
export async function applyChanges(model: RepositoryModel, changes: ReadonlyArray<FileChange>): Promise<RepositoryModel> {
  const sources = modelSources.get(model) ?? sourcesOfEntries(model);
  const builder = new RepositoryModelBuilder(sources.options);
  const slicer = new EventLoopSlicer();
  const latest = new Map(changes.map(change => [change.path, change]));
  const parsed = new Map<string, FileAnalysis | null>();
  for (const [path, change] of latest) {
    if (!gitOpsLayout.isModelFile(path)) continue;
    if (change.content === null) {
      parsed.set(path, null);
      continue;
    }
    const content = typeof change.content === 'string' ? Buffer.from(change.content, 'utf8') : change.content;
    parsed.set(path, await slicer.run(builder.analyseInSteps({ path, content })));
  }
  for (const file of filesAfter(sources.files, parsed)) builder.addAnalysedFile(file.path, file.analysis);
  return slicer.run(builder.buildInSteps(model.revision));
}

/**
 * The files after the change, in the loader's order: a changed file where it was, a new one
 * where its path sorts among the others (the order of a Git tree), a deleted one left out.
 */
function filesAfter(base: ReadonlyArray<SourceFile>, parsed: Map<string, FileAnalysis | null>): SourceFile[] {
  const basePaths = new Set(base.map(file => file.path));
  const added: SourceFile[] = [];
  for (const [path, analysis] of parsed) {
    if (analysis && !basePaths.has(path)) added.push({ path, analysis });
  }
  added.sort((a, b) => comparePaths(a.path, b.path));
  const files: SourceFile[] = [];
  let next = 0;
  for (const file of base) {
    while (next < added.length && comparePaths(added[next].path, file.path) < 0) files.push(added[next++]);
    const analysis = parsed.get(file.path);
    if (analysis === undefined) files.push(file);
    else if (analysis !== null) files.push({ path: file.path, analysis });
  }
  while (next < added.length) files.push(added[next++]);
  return files;
}

/** Git's order of paths in a tree listing (byte order), for the plain paths of a layout. */
function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** For a model the loader did not build: its resources, file by file, as if every file parsed cleanly. */
function sourcesOfEntries(model: RepositoryModel): { files: SourceFile[]; options: LoadRepositoryModelOptions } {
  // Implied resources are in no file: the new model implies them again, or not, from its files.
  const byFile = Map.groupBy(model.entries().filter(entry => !entry.implied), entry => entry.file);
  const files = [...byFile].map(([path, entries]) => ({
    path,
    analysis: {
      content: Buffer.alloc(0),
      problems: [],
      omitted: { count: 0, errors: false },
      entries: entries.sort((a, b) => a.documentIndex - b.documentIndex),
      lines: new Map(),
    },
  }));
  return { files: files.sort((a, b) => comparePaths(a.path, b.path)), options: {} };
}
