import { CommitFileChange, TraceChange } from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';

/** A component in an environment that a commit changed, and how. */
export interface ChangedComponent {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  change: TraceChange;
  /** The component's rendered file for the environment (`rendered` and `removed`). */
  renderedPath?: string;
}

// rendered/<data plane>/<namespace>/<environment>/<project>/components/<component>.yaml; the
// folders starting with `_` (bootstrap, observability plane) are not synced to a data plane.
const RENDERED_COMPONENT = /^rendered\/([^_/][^/]*)\/([^/]+)\/([^/]+)\/([^/]+)\/components\/([^/]+)\.ya?ml$/;
// namespaces/<namespace>/projects/<project>/components/<component>/... (component, workload,
// bindings, releases): the spec layout of gitOpsLayout.
const COMPONENT_SPEC = /^namespaces\/([^/]+)\/projects\/([^/]+)\/components\/([^/]+)\//;

const key = (...parts: string[]) => parts.join('\u0000');

/**
 * The components × environments a commit changed, from the files it changed against its first
 * parent: each rendered file of a component is one environment with something new to deliver
 * (or, deleted, something to remove). A component whose spec changed without any rendered file
 * of an environment it is bound to changing (a pinned release, a change that renders the same)
 * is listed there too, as `spec`: the trace says there is nothing new to deliver rather than
 * leaving the developer to wonder. `model` is the model at the commit (its bindings).
 */
export function changedComponents(files: CommitFileChange[], model: RepositoryModel): ChangedComponent[] {
  const changed = new Map<string, ChangedComponent>();
  const specChanged = new Map<string, { namespace: string; project: string; component: string }>();
  for (const file of files) {
    const rendered = RENDERED_COMPONENT.exec(file.path);
    if (rendered) {
      const [, , namespace, environment, project, component] = rendered;
      changed.set(key(namespace, component, environment), {
        namespace,
        project,
        component,
        environment,
        change: file.status === 'deleted' ? 'removed' : 'rendered',
        renderedPath: file.path,
      });
      continue;
    }
    const spec = COMPONENT_SPEC.exec(file.path);
    if (spec) {
      const [, namespace, project, component] = spec;
      specChanged.set(key(namespace, component), { namespace, project, component });
    }
  }
  for (const { namespace, project, component } of specChanged.values()) {
    for (const binding of model.releaseBindings(namespace, component)) {
      const environment = binding.resource.spec.environment;
      const k = key(namespace, component, environment);
      if (!changed.has(k)) changed.set(k, { namespace, project, component, environment, change: 'spec' });
    }
  }
  return [...changed.values()];
}
