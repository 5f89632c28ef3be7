import { createTwoFilesPatch } from 'diff';
import { FileChange, RepositoryRevision } from '@cellplane/backstage-plugin-node';

/** A change and what the file held before it (undefined when it did not exist). */
export interface EffectiveChange extends FileChange {
  before: string | undefined;
}

/** The changes that alter a file, with the content they replace; identical writes drop out. */
export async function effectiveChanges(
  base: RepositoryRevision,
  changes: FileChange[],
): Promise<EffectiveChange[]> {
  const latest = new Map<string, FileChange>();
  for (const change of changes) latest.set(change.path, change);
  const result: EffectiveChange[] = [];
  for (const change of [...latest.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const before = (await base.readFile(change.path))?.toString('utf8');
    const after = change.content === null ? undefined : change.content.toString();
    if (before !== after) result.push({ ...change, before });
  }
  return result;
}

/** The unified diff `git diff` would show for these changes. */
export function unifiedDiff(changes: EffectiveChange[]): string {
  return changes
    .map(change => {
      const after = change.content === null ? undefined : change.content.toString();
      return createTwoFilesPatch(
        change.before === undefined ? '/dev/null' : `a/${change.path}`,
        after === undefined ? '/dev/null' : `b/${change.path}`,
        change.before ?? '',
        after ?? '',
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, `diff --git a/${change.path} b/${change.path}\n`);
    })
    .join('');
}
