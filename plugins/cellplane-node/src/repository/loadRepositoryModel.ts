import {
  ModelProblem,
  PendingProblem,
  checkReferences,
  isClusterScoped,
  parseFieldPath,
  problemAt,
  validateResource,
  withLine,
} from '@cellplane/backstage-plugin-common';
import { EventLoopSlicer, Steps, runToCompletion } from '../async/cooperative';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import { locateFieldsInSteps } from '../yaml/locateFields';
import { DEFAULT_YAML_LIMITS, YamlLimits, parseYamlDocumentsInSteps } from '../yaml/parseYamlDocuments';
import { impliedReleaseBindings } from './impliedBindings';
import { ModelEntry, RepositoryModel } from './RepositoryModel';
import { GitBlob, RepositoryFile, RepositorySnapshot, iterateGitFiles } from './sources';

/** How many problems of one file the loader lists unless told otherwise. @internal */
export const DEFAULT_MAX_PROBLEMS_PER_FILE = 50;

/** How the loader reads a repository: the YAML limits and the problems listed per file. @public */
export interface LoadRepositoryModelOptions {
  /** Limits on each YAML file read (default: 1 MiB per file, 5,000 values per document). */
  yamlLimits?: YamlLimits;
  /**
   * Most problems listed for one file (default 50); the others are counted in one last problem
   * of the file, "… and N more problems in this file". A file with thousands of broken values
   * then costs a short list rather than thousands of lines to locate, store and show.
   */
  maxProblemsPerFile?: number;
}

/** What one file holds, independent of every other file: cacheable by path and content. @internal */
export interface FileAnalysis {
  content: Buffer;
  /** The first problems found in the file on its own (at most the cap), with their lines. */
  problems: ModelProblem[];
  /** How many more problems the file had, and whether one of them is an error. */
  omitted: { count: number; errors: boolean };
  /** Valid resources, with the namespace they belong to. */
  entries: ModelEntry[];
  /**
   * Lines of fields located for problems found later by the checks across files (duplicates,
   * references), by document and field path: an unchanged file is read for them once, not at
   * every commit.
   */
  lines: Map<string, number | undefined>;
}

/** Most remembered lines per file (they are remembered only for listed problems). */
const MAX_REMEMBERED_LINES = 1000;

/**
 * Parses and validates each file once per content: a cache of file analyses keyed by path and
 * Git blob id, shared between the loads of successive commits, so that loading a commit costs
 * reading and parsing only the files it changed (plus the cross-reference checks, which always
 * see the whole model). The analyses keep their problems located, so an unchanged file, however
 * broken, costs nothing at a later commit. Resources in the cache are shared by the models
 * built from it and must be treated as read-only, as RepositoryModel already requires.
 *
 * @public
 */
export class ParsedFileCache {
  private files = new Map<string, FileAnalysis>();
  private used = new Set<string>();

  /** How many files the last load took from the cache, and how many it had to parse. */
  lastLoad = { reused: 0, parsed: 0 };

  /** @internal */
  get(path: string, blob: string): FileAnalysis | undefined {
    const key = `${path}\u0000${blob}`;
    const analysis = this.files.get(key);
    if (analysis) this.used.add(key);
    return analysis;
  }

  /** @internal */
  set(path: string, blob: string, analysis: FileAnalysis) {
    const key = `${path}\u0000${blob}`;
    this.files.set(key, analysis);
    this.used.add(key);
  }

  /** Forgets what the last load did not use, so the cache holds one revision's files. @internal */
  endLoad(reused: number, parsed: number) {
    for (const key of this.files.keys()) {
      if (!this.used.has(key)) this.files.delete(key);
    }
    this.used = new Set();
    this.lastLoad = { reused, parsed };
  }
}

/** The files each model was built from, in order, and the options that read them: see applyChanges. @internal */
export const modelSources = new WeakMap<
  RepositoryModel,
  { files: ReadonlyArray<{ path: string; analysis: FileAnalysis }>; options: LoadRepositoryModelOptions }
>();

/**
 * Builds a RepositoryModel file by file, so that files can be parsed while they are still being
 * read (see loadRepositoryModelFromGit). Nothing stops the load: an unparsable file, an invalid
 * document, a duplicate or a dangling reference becomes a problem naming the file and field,
 * and everything else is still in the model.
 *
 * The work is written in steps (cooperative.ts): `addFile` and `build` run them at once, and
 * loadRepositoryModelFromGit runs them in slices so that the event loop keeps turning while a
 * big or hostile commit loads.
 *
 * @public
 */
export class RepositoryModelBuilder {
  private readonly limits: YamlLimits;
  private readonly maxProblemsPerFile: number;
  private readonly files: Array<{ path: string; analysis: FileAnalysis }> = [];

  constructor(options: LoadRepositoryModelOptions = {}) {
    this.limits = options.yamlLimits ?? DEFAULT_YAML_LIMITS;
    this.maxProblemsPerFile = Math.max(1, options.maxProblemsPerFile ?? DEFAULT_MAX_PROBLEMS_PER_FILE);
  }

  /** Parses and validates a file, at once, and adds it to the model being built. */
  addFile(file: RepositoryFile): void {
    this.addAnalysedFile(file.path, runToCompletion(this.analyseInSteps(file)));
  }

  /** @internal */
  analyseInSteps(file: RepositoryFile): Steps<FileAnalysis> {
    return analyseFile(file, this.limits, this.maxProblemsPerFile);
  }

  /** Adds a file analysed before (by analyseInSteps, possibly for an earlier load). @internal */
  addAnalysedFile(path: string, analysis: FileAnalysis): void {
    this.files.push({ path, analysis });
  }

  /** Cross-checks the references and returns the model; the builder is spent afterwards. */
  build(revision?: string): RepositoryModel {
    return runToCompletion(this.buildInSteps(revision));
  }

  /** @internal */
  *buildInSteps(revision?: string): Steps<RepositoryModel> {
    const { entries, duplicates } = yield* chooseEntries(this.files);
    const problems: ModelProblem[] = [];
    const model = new RepositoryModel(revision, entries, problems);
    modelSources.set(model, { files: [...this.files], options: { yamlLimits: this.limits, maxProblemsPerFile: this.maxProblemsPerFile } });
    // What OpenChoreo's controllers would create from the files (autoDeploy's bindings) joins
    // the model before the reference checks, which check it like the rest.
    const implied = impliedReleaseBindings(model);
    model.addImpliedEntries(implied.entries);
    yield;
    // The model is complete but for its problems, which the reference checks need it to find.
    const references = yield* checkReferences(model);
    // One by one: a spread of hundreds of thousands of arguments overflows the stack.
    for (const problem of yield* this.listProblems([...duplicates, ...implied.problems, ...references])) problems.push(problem);
    return model;
  }

  /**
   * Every problem, in file order: each file's own (located when it was analysed), then those
   * found across files, located with one read per file and only while the file is under its
   * cap; then, for each file over its cap, how many more it has.
   */
  private *listProblems(found: PendingProblem[]): Steps<ModelProblem[]> {
    const byPath = new Map(this.files.map(({ path, analysis }) => [path, analysis]));
    const listed = new Map<string, number>();
    const omitted = new Map<string, { count: number; errors: boolean }>();
    const own: ModelProblem[] = [];
    for (const { path, analysis } of this.files) {
      for (const problem of analysis.problems) own.push(problem);
      listed.set(path, analysis.problems.length);
      if (analysis.omitted.count > 0) omitted.set(path, { ...analysis.omitted });
    }
    const kept: PendingProblem[] = [];
    for (const problem of found) {
      const file = problem.file!;
      const count = listed.get(file) ?? 0;
      if (count < this.maxProblemsPerFile) {
        listed.set(file, count + 1);
        kept.push(problem);
      } else {
        const more = omitted.get(file) ?? { count: 0, errors: false };
        omitted.set(file, { count: more.count + 1, errors: more.errors || problem.severity === 'error' });
      }
    }
    const position = new Map(kept.map((problem, index) => [problem, index]));
    const located: ModelProblem[] = new Array(kept.length);
    for (const [file, problems] of Map.groupBy(kept, problem => problem.file!)) {
      const analysis = byPath.get(file);
      const withLines = analysis ? yield* locateRemembering(analysis, problems) : problems.map(p => withLine(p, undefined));
      problems.forEach((problem, i) => {
        located[position.get(problem)!] = withLines[i];
      });
    }
    const summaries = [...omitted].map(([file, more]) => moreProblems(file, more, this.maxProblemsPerFile));
    return [...own, ...located, ...summaries];
  }
}

/** The last problem of a file over its cap. */
function moreProblems(file: string, more: { count: number; errors: boolean }, cap: number): ModelProblem {
  return {
    severity: more.errors ? 'error' : 'warning',
    file,
    message: `… and ${more.count} more ${more.count === 1 ? 'problem' : 'problems'} in this file (only the first ${cap} are listed)`,
  };
}

/**
 * The resources of the model, one per kind, namespace and name. When several files define the
 * same resource, the one in the file where the layout keeps it wins (whatever the order of the
 * files: a stray copy elsewhere must not take over the real resource), else the first; each
 * other copy is a problem.
 */
function* chooseEntries(
  files: ReadonlyArray<{ analysis: FileAnalysis }>,
): Steps<{ entries: ModelEntry[]; duplicates: PendingProblem[] }> {
  const byId = Map.groupBy(
    files.flatMap(({ analysis }) => analysis.entries),
    ({ resource, namespace }) => `${resource.kind}\u0000${namespace ?? ''}\u0000${resource.metadata.name}`,
  );
  yield;
  const entries: ModelEntry[] = [];
  const duplicates: PendingProblem[] = [];
  for (const copies of byId.values()) {
    if (copies.length === 1) {
      entries.push(copies[0]);
      continue;
    }
    const atLayoutPath = (entry: ModelEntry) => gitOpsLayout.isLayoutPathOf(entry.file, entry.resource, entry.namespace);
    const winner = copies.find(atLayoutPath) ?? copies[0];
    const winnerAtLayoutPath = atLayoutPath(winner);
    entries.push(winner);
    for (const copy of copies) {
      if (copy === winner) continue;
      const { kind } = copy.resource;
      const message =
        winnerAtLayoutPath && copy.file !== winner.file
          ? `duplicate ${kind}: ${winner.file} is where it belongs and is used; this copy is ignored`
          : `duplicate ${kind}: already defined in ${winner.file}; this one is ignored`;
      duplicates.push(problemAt(copy, ['metadata', 'name'], message));
    }
    yield;
  }
  return { entries, duplicates };
}

/** Parses and validates one file on its own: everything that does not need the other files. */
function* analyseFile(file: RepositoryFile, limits: YamlLimits, cap: number): Steps<FileAnalysis> {
  const pending: PendingProblem[] = [];
  const omitted = { count: 0, errors: false };
  const report = (problem: PendingProblem) => {
    if (pending.length < cap) {
      pending.push(problem);
    } else {
      omitted.count += 1;
      omitted.errors ||= problem.severity === 'error';
    }
  };
  const entries: ModelEntry[] = [];
  const analysis: FileAnalysis = { content: file.content, problems: [], omitted, entries, lines: new Map() };
  const parsed = yield* parseYamlDocumentsInSteps(file.content, limits);
  if (!parsed.ok) {
    analysis.problems.push({ severity: 'error', file: file.path, ...(parsed.line ? { line: parsed.line } : {}), message: parsed.message });
    return analysis;
  }
  const folderNamespace = gitOpsLayout.namespaceOfPath(file.path);
  for (const document of parsed.documents) {
    const result = validateResource(document.value);
    yield;
    if (result.undescribed) {
      // Counted in the file's "… and N more", like the file's own problems past its cap.
      omitted.count += result.undescribed.count;
      omitted.errors ||= result.undescribed.errors;
    }
    for (const problem of result.problems) {
      const { field, ...rest } = problem;
      report({
        ...rest,
        file: file.path,
        documentIndex: document.index,
        fieldPath: field ? parseFieldPath(field) : undefined,
      });
    }
    const resource = result.resource;
    if (!resource) continue;
    const at = { resource, file: file.path, documentIndex: document.index };

    let namespace: string | undefined;
    if (resource.kind !== 'Namespace' && !isClusterScoped(resource.kind)) {
      namespace = resource.metadata.namespace ?? folderNamespace;
      if (!namespace) {
        report(problemAt(at, ['metadata', 'namespace'], `is required for a ${resource.kind} outside namespaces/<namespace>/`));
        continue;
      }
      if (folderNamespace && namespace !== folderNamespace) {
        const message = `is ${JSON.stringify(namespace)} but the file is under namespaces/${folderNamespace}/; move the file or fix the namespace`;
        report(problemAt(at, ['metadata', 'namespace'], message));
        continue;
      }
    }
    entries.push({ ...at, ...(namespace ? { namespace } : {}) });
  }
  analysis.problems = yield* locateRemembering(analysis, pending);
  return analysis;
}

/**
 * Adds line numbers to problems of one file, reading the file at most once for all of them
 * (and not at all for fields located before: the lines are remembered with the analysis).
 */
function* locateRemembering(analysis: FileAnalysis, problems: PendingProblem[]): Steps<ModelProblem[]> {
  const keyOf = (p: PendingProblem) => `${p.documentIndex}\u0000${JSON.stringify(p.fieldPath ?? [])}`;
  const wanted = problems.filter(p => p.line === undefined && p.documentIndex !== undefined && !analysis.lines.has(keyOf(p)));
  if (wanted.length > 0) {
    const fields = wanted.map(p => ({ documentIndex: p.documentIndex!, path: p.fieldPath ?? [] }));
    const lines = yield* locateFieldsInSteps(analysis.content.toString('utf8'), fields);
    if (analysis.lines.size + wanted.length > MAX_REMEMBERED_LINES) analysis.lines.clear();
    wanted.forEach((problem, i) => analysis.lines.set(keyOf(problem), lines[i]));
  }
  return problems.map(p => withLine(p, p.line ?? (p.documentIndex === undefined ? undefined : analysis.lines.get(keyOf(p)))));
}

/**
 * Loads a repository snapshot into a RepositoryModel (see RepositoryModelBuilder), without
 * pausing: for the CLI and tests. The backend loads through loadRepositoryModelFromGit.
 *
 * @public
 */
export function loadRepositoryModel(
  snapshot: RepositorySnapshot,
  options: LoadRepositoryModelOptions = {},
): RepositoryModel {
  const builder = new RepositoryModelBuilder(options);
  for (const file of snapshot.files) {
    builder.addFile(file);
  }
  return builder.build(snapshot.revision);
}

/**
 * Loads the model of a commit straight from a Git repository, parsing each file as git streams
 * it out, so that git (reading objects) and Node (parsing them) work at the same time. With a
 * `cache`, files whose content the cache has seen at the same path are not read or parsed again.
 *
 * The work runs in slices of a few milliseconds with a turn of the event loop between them, so
 * that however big or hostile the commit, the backend keeps answering requests while it loads.
 *
 * @public
 */
export async function loadRepositoryModelFromGit(
  gitDir: string,
  ref: string,
  options: LoadRepositoryModelOptions & { cache?: ParsedFileCache } = {},
): Promise<RepositoryModel> {
  const builder = new RepositoryModelBuilder(options);
  const slicer = new EventLoopSlicer();
  const { cache } = options;
  // Analyses are collected first and added in tree order, so that the order of problems does
  // not depend on which files were cached.
  const analyses = new Map<string, FileAnalysis>();
  let parsed = 0;
  let listing: { revision: string; blobs: GitBlob[] } | undefined;
  const files = iterateGitFiles(gitDir, ref, {
    include: path => gitOpsLayout.isModelFile(path),
    skip: cache
      ? blob => {
          const cached = cache.get(blob.path, blob.sha);
          if (cached) analyses.set(blob.path, cached);
          return Boolean(cached);
        }
      : undefined,
    onListed: result => (listing = result),
  });
  for await (const file of files) {
    const analysis = await slicer.run(builder.analyseInSteps(file));
    cache?.set(file.path, file.sha, analysis);
    analyses.set(file.path, analysis);
    parsed += 1;
  }
  const { revision, blobs } = listing!;
  for (const blob of blobs) {
    builder.addAnalysedFile(blob.path, analyses.get(blob.path)!);
  }
  cache?.endLoad(blobs.length - parsed, parsed);
  return slicer.run(builder.buildInSteps(revision));
}
