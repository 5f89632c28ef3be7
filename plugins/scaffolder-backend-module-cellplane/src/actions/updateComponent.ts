import { Component, Workload } from '@cellplane/backstage-plugin-common';
import { requireComponent, requireNamespace } from '../write/lookups';
import { componentChanges } from '../write/modelChanges';
import { ResourceFiles } from '../write/resourceFiles';
import { requireValidResource } from '../write/validate';

/**
 * A change to an existing component's Component or Workload, with the release snapshot (and
 * the autoDeploy binding) it brings, checked against the model before anything is written.
 * They are changed where they live (see ResourceFiles).
 */
export async function updateComponent(
  files: ResourceFiles,
  namespaceInput: string,
  componentInput: string,
  change: (current: { component: Component; workload: Workload }, namespace: string) => { component: Component; workload: Workload },
): Promise<void> {
  const namespace = requireNamespace(files.model, namespaceInput);
  const current = requireComponent(files.model, namespace, componentInput);
  const next = change(structuredClone(current), namespace);
  await componentChanges(files, requireValidResource('input', next.component), requireValidResource('input', next.workload));
}
