import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CELLPLANE_ANNOTATIONS,
  CELLPLANE_ENTITY_KINDS,
  ModelProblem,
  encodeProblemsAnnotation,
  formatProblem,
} from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';

/** At most this many problems ride on one entity; the rest are counted. */
const MAX_PROBLEMS_PER_ENTITY = 50;

/**
 * Puts each error of the repository on the catalog entity a developer would look at: a
 * Workload's or ReleaseBinding's on its Component, a Project's on its System, and so on.
 * Problems that belong to no published entity (a file that is not YAML, a document that failed
 * validation, a duplicate) go on one Location entity for the repository, so nothing is silent.
 */
export function attachProblems(
  entities: Entity[],
  model: RepositoryModel,
  options: { providerName: string; repositoryUrl: string },
): Entity[] {
  const byRef = new Map(entities.map(entity => [stringifyEntityRef(entity), entity]));
  const problemsByRef = new Map<string, string[]>();
  const repositoryLocation = repositoryLocationEntity(options);
  const locationRef = stringifyEntityRef(repositoryLocation);

  for (const problem of model.problems) {
    if (problem.severity !== 'error') continue;
    const target = entityRefOf(problem, model);
    const ref = target && byRef.has(target) ? target : locationRef;
    const list = problemsByRef.get(ref) ?? [];
    list.push(formatProblem(problem));
    problemsByRef.set(ref, list);
  }

  const withProblems = (entity: Entity): Entity => {
    const problems = problemsByRef.get(stringifyEntityRef(entity));
    if (!problems) return entity;
    const shown = problems.slice(0, MAX_PROBLEMS_PER_ENTITY);
    if (problems.length > shown.length) {
      shown.push(`... and ${problems.length - shown.length} more problems in the repository`);
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: { ...entity.metadata.annotations, [CELLPLANE_ANNOTATIONS.problems]: encodeProblemsAnnotation(shown) },
      },
    };
  };
  return [...entities.map(withProblems), withProblems(repositoryLocation)];
}

function repositoryLocationEntity(options: { providerName: string; repositoryUrl: string }): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: `${options.providerName.replace(/[^a-zA-Z0-9]+/g, '-')}-repository`,
      namespace: 'default',
      title: 'Cellplane GitOps repository',
      description: `The GitOps repository ${options.repositoryUrl}, read by ${options.providerName}`,
      annotations: {
        'backstage.io/managed-by-location': `cellplane:${options.repositoryUrl}`,
        'backstage.io/managed-by-origin-location': `cellplane:${options.repositoryUrl}`,
      },
    },
    // No targets: the provider publishes the entities itself; the entity carries the problems.
    spec: { type: 'cellplane', targets: [] },
  };
}

const COMPONENT_FOLDER = /(?:^|\/)projects\/[^/]+\/components\/([^/]+)\//;

function componentRef(namespace: string | undefined, component: string) {
  return stringifyEntityRef({ kind: 'Component', namespace: namespace ?? 'default', name: component });
}

/** The entity a problem is about, if it maps to one. */
function entityRefOf(problem: ModelProblem, model: RepositoryModel): string | undefined {
  const resource = problem.resource;
  if (!resource) return undefined;
  const { kind, name, namespace } = resource;
  const custom = (customKind: string, ns?: string) =>
    stringifyEntityRef({ kind: customKind, namespace: ns ?? 'default', name });
  switch (kind) {
    case 'Component':
      return componentRef(namespace, name);
    case 'Workload':
    case 'ReleaseBinding':
    case 'ComponentRelease': {
      const entry = model.get(kind, name, namespace);
      if (entry) return componentRef(namespace, entry.resource.spec.owner.componentName);
      // A document that failed validation is not in the model, so its owner is unknown; the
      // component folder it sits in (OpenChoreo's layout) still says whose page it belongs on.
      const folder = problem.file?.match(COMPONENT_FOLDER)?.[1];
      return folder ? componentRef(namespace, folder) : undefined;
    }
    case 'Project':
      return stringifyEntityRef({ kind: 'System', namespace, name });
    case 'Resource':
      return stringifyEntityRef({ kind: 'Resource', namespace, name });
    case 'ResourceReleaseBinding': {
      const entry = model.get(kind, name, namespace);
      return entry
        ? stringifyEntityRef({ kind: 'Resource', namespace, name: entry.resource.spec.owner.resourceName })
        : undefined;
    }
    case 'Environment':
    case 'DeploymentPipeline':
    case 'DataPlane':
    case 'ComponentType':
      return custom(CELLPLANE_ENTITY_KINDS[lowerFirst(kind)], namespace);
    case 'ClusterDataPlane':
      return custom(CELLPLANE_ENTITY_KINDS.dataPlane);
    case 'ClusterComponentType':
      return custom(CELLPLANE_ENTITY_KINDS.componentType);
    default:
      return undefined;
  }
}

function lowerFirst<K extends string>(kind: K) {
  return (kind.charAt(0).toLowerCase() + kind.slice(1)) as keyof typeof CELLPLANE_ENTITY_KINDS;
}
