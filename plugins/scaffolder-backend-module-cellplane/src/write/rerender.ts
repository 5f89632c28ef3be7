import { InputError } from '@backstage/errors';
import { formatProblem, validateResource } from '@cellplane/backstage-plugin-common';
import {
  FileChange,
  gitOpsLayout,
  ModelEntry,
  RepositoryModel,
  RepositoryRevision,
} from '@cellplane/backstage-plugin-node';
import { renderedTreeChanges } from '@cellplane/renderer';
import yaml from 'js-yaml';
import { Rerender } from './writeChange';

/** The model as it will be once `changes` land on `base`: changed files replace what they held. */
export async function modelAfter(base: RepositoryRevision, changes: FileChange[]): Promise<RepositoryModel> {
  const model = await base.model();
  const changed = new Set(changes.map(change => change.path));
  const entries: ModelEntry[] = model.entries().filter(entry => !changed.has(entry.file));
  for (const change of changes) {
    if (change.content === null || !gitOpsLayout.isModelFile(change.path)) continue;
    yaml.loadAll(change.content.toString()).forEach((document, documentIndex) => {
      const { resource } = validateResource(document);
      if (resource) {
        entries.push({
          resource,
          file: change.path,
          documentIndex,
          namespace: resource.metadata.namespace ?? gitOpsLayout.namespaceOfPath(change.path),
        });
      }
    });
  }
  return new RepositoryModel(base.commit, entries, model.problems);
}

/**
 * Re-renders `rendered/` for a change, in the same commit, with the renderer of
 * `@cellplane/backstage-plugin-node`. The renderer also evaluates each ComponentType's CEL
 * validation rules and checks each rendered object against its schema: a render error about a
 * resource the change writes refuses the change (InputError), so nothing that cannot be
 * deployed is committed.
 */
export function rerenderWithRenderer(): Rerender {
  return async (base, changes) => {
    const model = await modelAfter(base, changes);
    const written = new Set<string>();
    for (const change of changes) {
      if (change.content === null || !gitOpsLayout.isModelFile(change.path)) continue;
      for (const document of yaml.loadAll(change.content.toString()) as any[]) {
        written.add(`${document?.kind}/${document?.metadata?.namespace ?? ''}/${document?.metadata?.name}`);
      }
    }
    const rendered = await renderedTreeChanges(model, path => base.readFile(path));
    const errors = rendered.problems.filter(
      problem =>
        problem.severity === 'error' &&
        problem.resource &&
        written.has(`${problem.resource.kind}/${problem.resource.namespace ?? ''}/${problem.resource.name}`),
    );
    if (errors.length > 0) {
      throw new InputError(`the change does not render: ${errors.map(p => formatProblem(p)).join('; ')}`);
    }
    return rendered.changes;
  };
}
