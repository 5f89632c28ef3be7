import {
  ComponentEnvironmentStatus,
  ComponentTypeKind,
  OPENCHOREO_ANNOTATIONS,
  OpenChoreoResource,
  ResourceOfKind,
  PlatformCluster,
  PlatformComponentRef,
  PlatformComponentType,
  PlatformDataPlane,
  PlatformEnvironment,
  PlatformOverview,
  PlatformPipeline,
  PlatformTrait,
  environmentRefName,
  publishModeOfEnvironment,
  traitKindIn,
} from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { pipelineOrder } from '../status/StatusService';
import { schemaFields } from './schemaFields';

/** What the status backend knows of a watched cluster (StatusService.dataPlanes()). */
export interface WatchedCluster {
  name: string;
  sandbox: boolean;
  available: boolean;
  reason?: string;
  openChoreoControlPlane: boolean;
}

/** What the overview is built from: the model at the head, the watched clusters, the statuses. */
export interface PlatformSources {
  model: RepositoryModel;
  clusters: WatchedCluster[];
  /** Every component in every environment, as the status backend derives it. */
  statuses: ComponentEnvironmentStatus[];
}

const described = (resource: OpenChoreoResource) => {
  const annotations = resource.metadata.annotations ?? {};
  const specName = (resource.spec as { displayName?: unknown } | undefined)?.displayName;
  const displayName = typeof specName === 'string' ? specName : annotations[OPENCHOREO_ANNOTATIONS.displayName];
  return {
    ...(displayName ? { displayName } : {}),
    ...(annotations[OPENCHOREO_ANNOTATIONS.description] ? { description: annotations[OPENCHOREO_ANNOTATIONS.description].trim() } : {}),
  };
};

const byName = <T extends { namespace?: string; name: string }>(a: T, b: T) =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);

/** The data plane an Environment deploys to: a plain name is a DataPlane; none is ClusterDataPlane "default". */
function dataPlaneOf(environment: ResourceOfKind<'Environment'>): { kind: 'DataPlane' | 'ClusterDataPlane'; name: string } {
  const ref = environment.spec.dataPlaneRef;
  if (ref === undefined) return { kind: 'ClusterDataPlane', name: 'default' };
  return typeof ref === 'string' ? { kind: 'DataPlane', name: ref } : ref;
}

function environmentsOf(model: RepositoryModel): PlatformEnvironment[] {
  return model
    .list('Environment')
    .map(({ resource, namespace }) => ({
      namespace: namespace!,
      name: resource.metadata.name,
      ...described(resource),
      isProduction: resource.spec.isProduction === true,
      publish: publishModeOfEnvironment(resource) === 'pull-request' ? ('pull-request' as const) : ('commit' as const),
      dataPlane: dataPlaneOf(resource),
    }))
    .sort(byName);
}

function pipelinesOf(model: RepositoryModel): PlatformPipeline[] {
  return model
    .list('DeploymentPipeline')
    .map(({ resource, namespace }) => {
      const promotionPaths = (resource.spec.promotionPaths ?? []).map(path => ({
        source: environmentRefName(path.sourceEnvironmentRef),
        targets: (path.targetEnvironmentRefs ?? []).map(environmentRefName),
      }));
      const order = pipelineOrder(model, namespace!).filter(env =>
        promotionPaths.some(p => p.source === env || p.targets.includes(env)),
      );
      const projects = model
        .list('Project', namespace)
        .filter(p => environmentRefName(p.resource.spec.deploymentPipelineRef) === resource.metadata.name)
        .map(p => p.resource.metadata.name)
        .sort();
      return { namespace: namespace!, name: resource.metadata.name, ...described(resource), promotionPaths, order, projects };
    })
    .sort(byName);
}

function connectionOf(clusters: WatchedCluster[], name: string): PlatformDataPlane['connection'] {
  // The sandbox stands in for every data plane (StatusService deploys each environment to it).
  const cluster = clusters.find(c => c.sandbox) ?? clusters.find(c => c.name === name);
  if (!cluster) {
    return { connected: false, sandbox: false, reason: `no cluster named ${JSON.stringify(name)} under cellplane.dataPlanes: its status cannot be read` };
  }
  return { connected: cluster.available, sandbox: cluster.sandbox, cluster: cluster.name, ...(cluster.reason ? { reason: cluster.reason } : {}) };
}

function dataPlanesOf(model: RepositoryModel, environments: PlatformEnvironment[], clusters: WatchedCluster[]): PlatformDataPlane[] {
  const declared = [...model.list('ClusterDataPlane'), ...model.list('DataPlane')].map(({ resource, namespace }) => ({
    kind: resource.kind as 'DataPlane' | 'ClusterDataPlane',
    name: resource.metadata.name,
    ...(resource.kind === 'DataPlane' ? { namespace } : {}),
    ...described(resource),
    declared: true,
  }));
  const planes = [...declared];
  const matches = (plane: { kind: string; name: string; namespace?: string }, env: PlatformEnvironment) =>
    plane.kind === env.dataPlane.kind && plane.name === env.dataPlane.name && (plane.kind === 'ClusterDataPlane' || plane.namespace === env.namespace);
  // An environment may name a data plane the repository does not hold (OpenChoreo's installation creates "default").
  for (const env of environments) {
    if (!planes.some(p => matches(p, env))) {
      planes.push({ kind: env.dataPlane.kind, name: env.dataPlane.name, ...(env.dataPlane.kind === 'DataPlane' ? { namespace: env.namespace } : {}), declared: false });
    }
  }
  return planes
    .map(plane => ({
      ...plane,
      environments: environments.filter(env => matches(plane, env)).map(env => `${env.namespace}/${env.name}`),
      connection: connectionOf(clusters, plane.name),
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || byName(a, b));
}

function otherClustersOf(dataPlanes: PlatformDataPlane[], clusters: WatchedCluster[]): PlatformCluster[] {
  const used = new Set(dataPlanes.map(p => p.connection.cluster).filter(Boolean));
  return clusters
    .filter(c => !used.has(c.name))
    .map(c => ({ name: c.name, connected: c.available, sandbox: c.sandbox, ...(c.reason ? { reason: c.reason } : {}), openChoreoControlPlane: c.openChoreoControlPlane }));
}

/** Who uses each type and trait: a component uses its type, its own traits and those its type embeds. */
function usage(model: RepositoryModel) {
  const uses = new Map<string, PlatformComponentRef[]>();
  const add = (key: string, ref: PlatformComponentRef) => {
    const list = uses.get(key) ?? [];
    if (!list.some(r => r.namespace === ref.namespace && r.name === ref.name)) list.push(ref);
    uses.set(key, list);
  };
  const typeKey = (kind: string, name: string, namespace?: string) => `${kind}\u0000${kind.startsWith('Cluster') ? '' : namespace ?? ''}\u0000${name}`;
  for (const { resource, namespace } of model.list('Component')) {
    const ref = { namespace: namespace!, project: resource.spec.owner.projectName, name: resource.metadata.name };
    const type = model.componentTypeOf(resource, namespace!);
    if (type) {
      add(typeKey(type.resource.kind, type.resource.metadata.name, namespace), ref);
      for (const trait of type.resource.spec.traits ?? []) {
        add(typeKey(traitKindIn(type.resource.kind as ComponentTypeKind, trait), trait.name, namespace), ref);
      }
    }
    // A Component is namespaced: a trait without kind is a Trait (OpenChoreo's TraitRef default).
    for (const trait of resource.spec.traits ?? []) add(typeKey(trait.kind ?? 'Trait', trait.name, namespace), ref);
  }
  const sorted = (key: string) => [...(uses.get(key) ?? [])].sort((a, b) => byName(a, b) || a.project.localeCompare(b.project));
  return { of: (kind: string, name: string, namespace?: string) => sorted(typeKey(kind, name, namespace)) };
}

function componentTypesOf(model: RepositoryModel, users: ReturnType<typeof usage>): PlatformComponentType[] {
  return [...model.list('ClusterComponentType'), ...model.list('ComponentType')]
    .map(({ resource, namespace }) => {
      const kind = resource.kind as ComponentTypeKind;
      return {
        kind,
        name: resource.metadata.name,
        ...(kind === 'ComponentType' ? { namespace } : {}),
        ...described(resource),
        workloadType: resource.spec.workloadType,
        allowedTraits: (resource.spec.allowedTraits ?? []).map(t => `${traitKindIn(kind, t)} ${typeof t === 'string' ? t : t.name}`),
        parameters: schemaFields(resource.spec.parameters?.openAPIV3Schema),
        environmentConfigs: schemaFields(resource.spec.environmentConfigs?.openAPIV3Schema),
        components: users.of(kind, resource.metadata.name, namespace),
      };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || byName(a, b));
}

function traitsOf(model: RepositoryModel, users: ReturnType<typeof usage>): PlatformTrait[] {
  return [...model.list('ClusterTrait'), ...model.list('Trait')]
    .map(({ resource, namespace }) => {
      const kind = resource.kind as 'Trait' | 'ClusterTrait';
      const spec = resource.spec as { parameters?: { openAPIV3Schema?: unknown }; environmentConfigs?: { openAPIV3Schema?: unknown } };
      return {
        kind,
        name: resource.metadata.name,
        ...(kind === 'Trait' ? { namespace } : {}),
        ...described(resource),
        parameters: schemaFields(spec.parameters?.openAPIV3Schema),
        environmentConfigs: schemaFields(spec.environmentConfigs?.openAPIV3Schema),
        components: users.of(kind, resource.metadata.name, namespace),
      };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || byName(a, b));
}

/**
 * The platform page's data: environments and pipelines, data planes and whether each is read,
 * component types and traits with their schemas and users, and every status. Pure: the route
 * hands it the model and what the status backend knows.
 */
export function platformOverview({ model, clusters, statuses }: PlatformSources): PlatformOverview {
  const environments = environmentsOf(model);
  const dataPlanes = dataPlanesOf(model, environments, clusters);
  const users = usage(model);
  return {
    revision: model.revision ?? null,
    sandbox: clusters.some(c => c.sandbox),
    environments,
    pipelines: pipelinesOf(model),
    dataPlanes,
    otherClusters: otherClustersOf(dataPlanes, clusters),
    componentTypes: componentTypesOf(model, users),
    traits: traitsOf(model, users),
    statuses,
  };
}
