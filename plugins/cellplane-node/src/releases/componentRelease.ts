import { createHash } from 'node:crypto';
import { NotFoundError } from '@backstage/errors';
import {
  ComponentRelease,
  OPENCHOREO_API_VERSION,
  OPENCHOREO_LABELS,
} from '@cellplane/backstage-plugin-common';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import { RepositoryModel } from '../repository/RepositoryModel';

/**
 * JSON with object keys sorted at every level and `undefined` members left out, so equal
 * snapshots give equal bytes (and equal hashes) whatever order their YAML was written in.
 *
 * @public
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(item => (item === undefined ? null : sortKeys(item)));
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member);
    }
    return sorted;
  }
  return value;
}

/**
 * The content hash a ComponentRelease is named by: the first 10 hex digits of the SHA-256 of
 * the canonical JSON of its spec.
 *
 * @internal
 */
export function componentReleaseHash(spec: ComponentRelease['spec']): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 10);
}

/** A release and where it lives in the repository. @public */
export interface BuiltComponentRelease {
  resource: ComponentRelease;
  /** `<component>-<hash>`. */
  name: string;
  /** The content hash of its spec: 10 hexadecimal digits of the SHA-256 of its canonical JSON. */
  hash: string;
  /** Repository-relative path from the GitOps layout. */
  path: string;
}

/**
 * Snapshots a component as OpenChoreo's ComponentRelease does: the ComponentType's spec, the
 * spec of every Trait it uses, the component's parameters and trait instances (its profile),
 * and its Workload without the owner. The snapshot is immutable and named from its content, so
 * the same component state always gives the same release, and any change gives a new one.
 *
 * Throws NotFoundError when the component, its Workload, its ComponentType or one of its traits
 * is not in the model.
 *
 * @public
 */
export function buildComponentRelease(
  model: RepositoryModel,
  namespace: string,
  componentName: string,
): BuiltComponentRelease {
  const componentEntry = model.get('Component', componentName, namespace);
  if (!componentEntry) {
    throw new NotFoundError(`Component ${JSON.stringify(componentName)} not found in namespace ${namespace}`);
  }
  const component = componentEntry.resource;
  const projectName = component.spec.owner.projectName;
  const workload = model.workload(namespace, componentName);
  if (!workload) {
    throw new NotFoundError(
      `Component ${componentName} has no Workload; a release snapshots the workload, so create one first`,
    );
  }
  const type = model.componentTypeOf(component, namespace);
  const typeRef = component.spec.componentType;
  const typeName = typeof typeRef === 'string' ? typeRef : typeRef.name;
  if (!type) {
    throw new NotFoundError(`the ComponentType of Component ${componentName} (${typeName}) was not found`);
  }

  const traitInstances = (component.spec.traits ?? []).map(trait => ({
    kind: trait.kind ?? ('Trait' as const),
    name: trait.name,
    instanceName: trait.instanceName,
    ...(trait.parameters !== undefined ? { parameters: trait.parameters } : {}),
  }));
  const traits: NonNullable<ComponentRelease['spec']['traits']> = [];
  // Each trait once, in the order of its first instance.
  const usedTraits = new Map(traitInstances.map(instance => [`${instance.kind}/${instance.name}`, instance]));
  for (const instance of usedTraits.values()) {
    const trait = model.get(instance.kind, instance.name, namespace);
    if (!trait) {
      throw new NotFoundError(`${instance.kind} ${JSON.stringify(instance.name)} used by Component ${componentName} was not found`);
    }
    traits.push({ kind: instance.kind, name: instance.name, spec: trait.resource.spec as Record<string, unknown> });
  }

  const { owner: _owner, ...workloadTemplate } = workload.resource.spec;
  const spec: ComponentRelease['spec'] = {
    owner: { projectName, componentName },
    componentType: {
      kind: type.resource.kind,
      name: typeName,
      spec: type.resource.spec as Record<string, unknown>,
    },
    ...(traits.length > 0 ? { traits } : {}),
    componentProfile: {
      ...(component.spec.parameters !== undefined ? { parameters: component.spec.parameters } : {}),
      ...(traitInstances.length > 0 ? { traits: traitInstances } : {}),
    },
    workload: workloadTemplate,
  };
  const hash = componentReleaseHash(spec);
  // A component name is at most 63 characters: the name (a DNS subdomain, at most 253) always fits.
  const name = `${componentName}-${hash}`;
  const resource: ComponentRelease = {
    apiVersion: OPENCHOREO_API_VERSION,
    kind: 'ComponentRelease',
    metadata: {
      name,
      namespace,
      labels: {
        [OPENCHOREO_LABELS.project]: projectName,
        [OPENCHOREO_LABELS.component]: componentName,
      },
    },
    spec,
  };
  return {
    resource,
    name,
    hash,
    path: gitOpsLayout.componentReleaseFile(namespace, projectName, componentName, name),
  };
}
