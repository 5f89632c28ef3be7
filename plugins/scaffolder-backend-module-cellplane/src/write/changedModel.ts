import { applyChanges, FileChange, gitOpsLayout, RepositoryModel } from '@cellplane/backstage-plugin-node';

/** The last change applied to each base model, and the model it led to. */
const lastApplied = new WeakMap<RepositoryModel, { key: string; model: Promise<RepositoryModel> }>();

/**
 * The model a change leads to (applyChanges), built once for a base model and a change: the
 * re-render and the production check of one write both need it, and on a repository of
 * thousands of components each build costs a few hundred milliseconds. Only the change's model
 * files count; rendered manifests do not change the model.
 */
export function changedModel(base: RepositoryModel, changes: ReadonlyArray<FileChange>): Promise<RepositoryModel> {
  const key = JSON.stringify(
    changes
      .filter(change => gitOpsLayout.isModelFile(change.path))
      .map(({ path, content }) => [path, typeof content === 'string' || content === null ? content : { bytes: content.toString('base64') }]),
  );
  const last = lastApplied.get(base);
  if (last?.key === key) return last.model;
  const model = applyChanges(base, changes);
  lastApplied.set(base, { key, model });
  return model;
}
