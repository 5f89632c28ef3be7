import { InputError } from '@backstage/errors';
import { Component, Environment, explainInvalidOwnerRef, OPENCHOREO_ANNOTATIONS, OpenChoreoResource } from '@cellplane/backstage-plugin-common';
import { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireName, requireText, requireThat } from './validate';

/**
 * Look-ups against the repository's current state. A miss is the user's input naming something
 * that is not there, so each throws an InputError naming the input field.
 */

/**
 * A model resource with the namespace the loader gave it. A document under `namespaces/<ns>/`
 * may leave its namespace out (the folder says it); a writer needs it to find the resource
 * again and to name what it writes. ResourceFiles leaves it out again when it writes the
 * document back.
 */
export function withNamespace<R extends OpenChoreoResource>(entry: ModelEntry<R>): R {
  if (!entry.namespace || entry.resource.metadata.namespace) return entry.resource;
  return { ...entry.resource, metadata: { ...entry.resource.metadata, namespace: entry.namespace } };
}

export function requireNamespace(model: RepositoryModel, namespace: unknown, field = 'namespace'): string {
  requireName(field, namespace);
  if (!model.namespaces().includes(namespace as string)) {
    throw new InputError(
      `${field}: namespace ${JSON.stringify(namespace)} does not exist in the GitOps repository (known: ${model.namespaces().join(', ') || 'none'})`,
    );
  }
  return namespace as string;
}

export function requireProject(model: RepositoryModel, namespace: string, project: unknown, field = 'project') {
  requireName(field, project);
  const entry = model.get('Project', project as string, namespace);
  if (!entry) {
    throw new InputError(`${field}: Project ${JSON.stringify(project)} does not exist in namespace ${namespace}`);
  }
  return entry.resource;
}

export function requireComponent(model: RepositoryModel, namespace: string, name: unknown, field = 'component') {
  requireName(field, name);
  const entry = model.get('Component', name as string, namespace);
  if (!entry) {
    throw new InputError(`${field}: Component ${JSON.stringify(name)} does not exist in namespace ${namespace}`);
  }
  const workload = model.workload(namespace, name as string);
  if (!workload) {
    throw new InputError(`${field}: Component ${name} has no Workload; add its workload.yaml first`);
  }
  return { component: withNamespace(entry), workload: withNamespace(workload) };
}

export function requireEnvironment(model: RepositoryModel, namespace: string, name: unknown, field: string): Environment {
  requireName(field, name);
  const entry = model.get('Environment', name as string, namespace);
  if (!entry) {
    throw new InputError(`${field}: Environment ${JSON.stringify(name)} does not exist in namespace ${namespace}`);
  }
  return entry.resource;
}

/** The ComponentType or ClusterComponentType `deployment/service` names (a namespaced one first). */
export function requireComponentType(
  model: RepositoryModel,
  namespace: string,
  typeName: unknown,
  kind: 'ComponentType' | 'ClusterComponentType' | undefined,
  field = 'componentType',
) {
  if (typeof typeName !== 'string' || !/^(deployment|statefulset|cronjob|job|proxy)\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(typeName)) {
    throw new InputError(
      `${field} must be '<workloadType>/<componentTypeName>', e.g. 'deployment/service' (got ${JSON.stringify(typeName)})`,
    );
  }
  const [workloadType, name] = typeName.split('/');
  const entry =
    (kind !== 'ClusterComponentType' ? model.get('ComponentType', name, namespace) : undefined) ??
    (kind !== 'ComponentType' ? model.get('ClusterComponentType', name) : undefined);
  if (!entry) {
    const known = [...model.list('ComponentType', namespace), ...model.list('ClusterComponentType')]
      .map(e => `${e.resource.spec.workloadType}/${e.resource.metadata.name}`)
      .sort();
    throw new InputError(`${field}: no ComponentType ${JSON.stringify(typeName)} (known: ${known.join(', ') || 'none'})`);
  }
  if (entry.resource.spec.workloadType !== workloadType) {
    throw new InputError(
      `${field}: ${entry.resource.kind} ${name} has workloadType ${entry.resource.spec.workloadType}, not ${workloadType}`,
    );
  }
  return entry.resource;
}

const DISPLAY_NAME_MAX_LENGTH = 256;
const DESCRIPTION_MAX_LENGTH = 4096;

/**
 * Display name, description and owner as the annotations OpenChoreo and Cellplane read. The
 * owner becomes a catalog relation, so it must be an entity reference the catalog accepts.
 */
export function describedBy(input: { displayName?: string; description?: string; owner?: string }) {
  const annotations: Record<string, string> = {};
  const displayName = requireText('displayName', input.displayName, DISPLAY_NAME_MAX_LENGTH);
  const description = requireText('description', input.description, DESCRIPTION_MAX_LENGTH, true);
  if (displayName) annotations[OPENCHOREO_ANNOTATIONS.displayName] = displayName;
  if (description) annotations[OPENCHOREO_ANNOTATIONS.description] = description;
  if (input.owner) {
    annotations[OPENCHOREO_ANNOTATIONS.owner] = requireThat('owner', input.owner, explainInvalidOwnerRef);
  }
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}


export type { Component };
