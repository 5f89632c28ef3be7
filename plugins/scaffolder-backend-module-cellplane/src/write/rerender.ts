import { InputError } from '@backstage/errors';
import { formatProblem, ModelProblem } from '@cellplane/backstage-plugin-common';
import { canonicalJson, FileChange, ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderedTreeChanges } from '@cellplane/renderer';
import { changedModel } from './changedModel';
import { Rerender } from './writeChange';

/**
 * Re-renders `rendered/` for a change, in the same commit, with `@cellplane/renderer`: the
 * model the change leads to (see applyChanges) is rendered, and the rendered files that differ
 * from the revision's are the files to write. The renderer also evaluates each ComponentType's
 * CEL validation rules and checks each rendered object against its schema: a render error about
 * a resource the change writes refuses the change (InputError naming the resource), so nothing
 * that cannot be deployed is committed.
 *
 * @public
 */
export function rerenderWithRenderer(): Rerender {
  return async (base, changes) => {
    const model = await changedModel(await base.model(), changes);
    const rendered = await renderedTreeChanges(model, path => base.readFile(path));
    const written = resourcesWritten(await base.model(), model, changes);
    const errors = rendered.problems.filter(
      problem => problem.severity === 'error' && problem.resource && written.has(resourceKey(problem.resource)),
    );
    if (errors.length > 0) {
      throw new InputError(`the change does not render: ${errors.map(p => formatProblem(p)).join('; ')}`);
    }
    return rendered.changes;
  };
}

/**
 * The resources the change writes: those of the changed files that are new or differ from the
 * base. In a multi-document file, the documents beside an edited one are not written by it, and
 * a render error of theirs (there before the change) does not refuse it.
 */
function resourcesWritten(base: RepositoryModel, model: RepositoryModel, changes: FileChange[]): Set<string> {
  const written = new Set(changes.filter(change => change.content !== null).map(change => change.path));
  const unchanged = ({ resource, namespace }: ModelEntry) => {
    const before = base.get(resource.kind, resource.metadata.name, namespace);
    return before !== undefined && canonicalJson(before.resource) === canonicalJson(resource);
  };
  return new Set(
    model
      .entries()
      .filter(entry => written.has(entry.file) && !unchanged(entry))
      .map(({ resource, namespace }) => resourceKey({ kind: resource.kind, name: resource.metadata.name, namespace })),
  );
}

function resourceKey(resource: NonNullable<ModelProblem['resource']>): string {
  return `${resource.kind}/${resource.namespace ?? ''}/${resource.name}`;
}
