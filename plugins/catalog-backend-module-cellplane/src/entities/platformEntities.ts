import { DEFAULT_NAMESPACE, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CELLPLANE_ANNOTATIONS, CELLPLANE_ENTITY_API_VERSION, CELLPLANE_ENTITY_KINDS } from '@cellplane/backstage-plugin-common';
import { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { SourceContext, entityMetadata } from './entityMetadata';

type Scope = 'Cluster' | 'Namespaced';

/**
 * The platform resources, as Cellplane's custom kinds. They belong to the platform team
 * (the default owner): OpenChoreo has no owner field for them. Cluster-scoped resources have no
 * namespace, so they land in Backstage's `default` namespace, next to their namespaced peers of
 * the same kind (`scope` tells them apart).
 */
export function platformEntities(model: RepositoryModel, context: SourceContext, owner: string): Entity[] {
  const entity = (
    kind: string,
    entry: ModelEntry,
    spec: Record<string, unknown>,
  ): Entity => {
    const namespace = entry.namespace ?? DEFAULT_NAMESPACE;
    return {
      apiVersion: CELLPLANE_ENTITY_API_VERSION,
      kind,
      metadata: entityMetadata(context, {
        name: entry.resource.metadata.name,
        namespace,
        file: entry.file,
        resource: entry.resource,
        annotations: entry.namespace ? { [CELLPLANE_ANNOTATIONS.namespace]: entry.namespace } : {},
      }),
      spec: { ...spec, owner },
    };
  };
  const ref = (kind: string, name: string, namespace?: string) =>
    stringifyEntityRef({ kind, name, namespace: namespace ?? DEFAULT_NAMESPACE });
  const dataPlaneRef = (kind: 'DataPlane' | 'ClusterDataPlane', name: string, namespace: string) =>
    ref(CELLPLANE_ENTITY_KINDS.dataPlane, name, kind === 'DataPlane' ? namespace : undefined);

  const environments = model.list('Environment').map(entry => {
    const namespace = entry.namespace!;
    const declared = entry.resource.spec.dataPlaneRef;
    // Without a dataPlaneRef OpenChoreo falls back to the "default" DataPlane of the namespace,
    // then to the "default" ClusterDataPlane.
    let dataPlane;
    if (declared === undefined) {
      dataPlane = dataPlaneRef(model.get('DataPlane', 'default', namespace) ? 'DataPlane' : 'ClusterDataPlane', 'default', namespace);
    } else if (typeof declared === 'string') {
      dataPlane = dataPlaneRef('DataPlane', declared, namespace);
    } else {
      dataPlane = dataPlaneRef(declared.kind, declared.name, namespace);
    }
    return entity(CELLPLANE_ENTITY_KINDS.environment, entry, {
      isProduction: entry.resource.spec.isProduction ?? false,
      dataPlane,
    });
  });

  const pipelines = model.list('DeploymentPipeline').map(entry => {
    const environmentRef = (environment: string | { name: string }) =>
      ref(CELLPLANE_ENTITY_KINDS.environment, typeof environment === 'string' ? environment : environment.name, entry.namespace);
    return entity(CELLPLANE_ENTITY_KINDS.deploymentPipeline, entry, {
      promotionPaths: (entry.resource.spec.promotionPaths ?? []).map(path => ({
        source: environmentRef(path.sourceEnvironmentRef),
        targets: path.targetEnvironmentRefs.map(environmentRef),
      })),
    });
  });

  const dataPlanes = [
    ...model.list('DataPlane').map(entry => ({ entry, scope: 'Namespaced' as Scope })),
    ...model.list('ClusterDataPlane').map(entry => ({ entry, scope: 'Cluster' as Scope })),
  ].map(({ entry, scope }) => entity(CELLPLANE_ENTITY_KINDS.dataPlane, entry, { scope }));

  const componentTypes = [
    ...model.list('ComponentType').map(entry => ({ entry, scope: 'Namespaced' as Scope })),
    ...model.list('ClusterComponentType').map(entry => ({ entry, scope: 'Cluster' as Scope })),
  ].map(({ entry, scope }) =>
    entity(CELLPLANE_ENTITY_KINDS.componentType, entry, { workloadType: entry.resource.spec.workloadType, scope }),
  );

  return [...environments, ...pipelines, ...dataPlanes, ...componentTypes];
}
