import type { ModelProblem } from '@cellplane/backstage-plugin-common';
import type { FileChange, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderedLayout } from './renderedLayout';
import { gitBlobId } from './renderPhases';
import { renderRepository } from './renderRepository';
import type { RenderRepositoryOptions } from './types';

/** What `renderedTreeChanges` returns. @public */
export interface RenderedTreeChanges {
  /** Writes of new or changed files, deletions (`content: null`) of files no longer rendered. */
  changes: FileChange[];
  /** The render's problems (see `RenderedRepository.problems`). */
  problems: ModelProblem[];
}

/**
 * The file changes that bring a revision's `rendered/` tree up to date with `model`, for a
 * writer that re-renders in the same commit as its change (e.g. the scaffolder):
 *
 * ```ts
 * await repository.commit({ message, author, changes: async base => {
 *   const own = computeOwnChanges(base);
 *   const model = await modelWith(base, own);             // the model after the change
 *   return [...own, ...(await renderedTreeChanges(model, base.readFile)).changes];
 * }});
 * ```
 *
 * Which files exist and what they hold is read from `rendered/index.txt` (one `readFile`), so
 * only files whose content changed are written and files no longer rendered are deleted.
 *
 * @public
 */
export async function renderedTreeChanges(
  model: RepositoryModel,
  readFile: (path: string) => Promise<Buffer | undefined>,
  options?: RenderRepositoryOptions,
): Promise<RenderedTreeChanges> {
  const rendered = await renderRepository(model, options);
  const index = await readFile(renderedLayout.indexFile);
  const previous = new Map<string, string>();
  for (const line of (index?.toString('utf8') ?? '').split('\n')) {
    const match = /^([0-9a-f]{40}) (rendered\/\S+)$/.exec(line);
    if (match) previous.set(match[2], match[1]);
  }
  const changes: FileChange[] = [];
  for (const [path, content] of rendered.files) {
    if (previous.get(path) !== gitBlobId(content) || path === renderedLayout.indexFile) {
      changes.push({ path, content });
    }
  }
  for (const path of previous.keys()) {
    if (!rendered.files.has(path)) changes.push({ path, content: null });
  }
  return { changes, problems: rendered.problems };
}

/** The difference between what is on disk and what should be: for the CLI's write and `--check`. @public */
export function diffRenderedFiles(
  existing: Map<string, Buffer>,
  wanted: Map<string, string>,
): { write: string[]; remove: string[] } {
  const write = [...wanted].filter(([path, content]) => !existing.get(path)?.equals(Buffer.from(content, 'utf8'))).map(([path]) => path);
  const remove = [...existing.keys()].filter(path => !wanted.has(path)).sort();
  return { write, remove };
}
