import { Component, Workload } from '@cellplane/backstage-plugin-common';
import { FileChange, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireComponent, requireNamespace } from '../write/lookups';
import { componentChanges } from '../write/modelChanges';
import { requireValidResource } from '../write/validate';

/**
 * A change to an existing component's Component or Workload, with the release snapshot (and
 * the autoDeploy binding) it brings, checked against the model before anything is written.
 */
export async function updateComponent(
  model: RepositoryModel,
  namespaceInput: string,
  componentInput: string,
  change: (current: { component: Component; workload: Workload }, namespace: string) => { component: Component; workload: Workload },
): Promise<FileChange[]> {
  const namespace = requireNamespace(model, namespaceInput);
  const current = requireComponent(model, namespace, componentInput);
  const next = change(structuredClone(current), namespace);
  return componentChanges(model, requireValidResource('input', next.component), requireValidResource('input', next.workload));
}
