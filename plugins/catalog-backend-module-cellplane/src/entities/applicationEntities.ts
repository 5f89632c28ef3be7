import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CELLPLANE_ANNOTATIONS,
  Component,
  EndpointDependency,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  Project,
} from '@cellplane/backstage-plugin-common';
import { ModelEntry, RepositoryModel, gitOpsLayout } from '@cellplane/backstage-plugin-node';
import { SourceContext, declaredOwner, entityMetadata } from './entityMetadata';
import { apiDefinitionOf, apiEntityName, apiTypeOf, endpointVisibilities } from './endpointApis';
import { byCodePoint } from './byCodePoint';

/** Backstage has no notion of environments here: what is in the repository is what runs. */
const LIFECYCLE = 'production';

const apiRef = (namespace: string, component: string, endpoint: string) =>
  stringifyEntityRef({ kind: 'API', namespace, name: apiEntityName(component, endpoint) });

/**
 * The application side of the model: namespace → Domain, Project → System, Component →
 * Component, Workload endpoint → API, Resource → Resource. Only spec fields are set; the catalog
 * derives the relations (ownedBy, partOf, providesApi, …) from them.
 */
export function applicationEntities(model: RepositoryModel, context: SourceContext, defaultOwner: string): Entity[] {
  const projectOwner = (namespace: string, project: string) =>
    declaredOwner(model.get('Project', project, namespace)?.resource) ?? defaultOwner;
  const componentOwner = (namespace: string, component: Component) =>
    declaredOwner(component) ?? projectOwner(namespace, component.spec.owner.projectName);
  const entities: Entity[] = [];

  for (const namespace of model.namespaces()) {
    // A namespace used only through metadata.namespace has no Namespace document; its folder stands in.
    const file = model.get('Namespace', namespace)?.file ?? gitOpsLayout.namespaceDir(namespace);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: entityMetadata(context, {
        name: namespace,
        namespace,
        file,
        resource: model.get('Namespace', namespace)?.resource,
        annotations: { [CELLPLANE_ANNOTATIONS.namespace]: namespace },
      }),
      spec: { owner: defaultOwner },
    });
  }

  for (const entry of model.list('Project')) {
    entities.push(systemEntity(entry, context, projectOwner(entry.namespace!, entry.resource.metadata.name)));
  }

  for (const entry of model.list('Component')) {
    const namespace = entry.namespace!;
    const component = entry.resource;
    const name = component.metadata.name;
    const project = component.spec.owner.projectName;
    const owner = componentOwner(namespace, component);
    const workload = model.workload(namespace, name);
    const endpoints = Object.entries(workload?.resource.spec.endpoints ?? {}).sort(([a], [b]) => byCodePoint(a, b));
    const dependencies = workload?.resource.spec.dependencies;
    const typeRef = component.spec.componentType;
    const typeName = (typeof typeRef === 'string' ? typeRef : typeRef.name).split('/')[1];

    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: entityMetadata(context, {
        name,
        namespace,
        file: entry.file,
        resource: component,
        annotations: {
          [CELLPLANE_ANNOTATIONS.namespace]: namespace,
          [CELLPLANE_ANNOTATIONS.project]: project,
          [CELLPLANE_ANNOTATIONS.component]: name,
          // The labels OpenChoreo puts on everything it renders for the component.
          [KUBERNETES_LABEL_SELECTOR_ANNOTATION]: `openchoreo.dev/component=${name},openchoreo.dev/project=${project}`,
        },
      }),
      spec: {
        type: typeName,
        lifecycle: LIFECYCLE,
        owner,
        system: project,
        ...nonEmpty('providesApis', endpoints.map(([endpoint]) => apiRef(namespace, name, endpoint))),
        ...nonEmpty('consumesApis', consumedApis(model, namespace, project, dependencies?.endpoints ?? [])),
        ...nonEmpty(
          'dependsOn',
          [...new Set((dependencies?.resources ?? []).map(r => stringifyEntityRef({ kind: 'Resource', namespace, name: r.ref })))].sort(),
        ),
      },
    });

    for (const [endpointName, endpoint] of endpoints) {
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: entityMetadata(context, {
          name: apiEntityName(name, endpointName),
          namespace,
          // The endpoint is declared, and edited, in the Workload.
          file: workload!.file,
          title: endpoint.displayName,
          annotations: {
            [CELLPLANE_ANNOTATIONS.namespace]: namespace,
            [CELLPLANE_ANNOTATIONS.project]: project,
            [CELLPLANE_ANNOTATIONS.component]: name,
            [CELLPLANE_ANNOTATIONS.endpoint]: endpointName,
            [CELLPLANE_ANNOTATIONS.endpointVisibility]: endpointVisibilities(endpoint).join(','),
          },
        }),
        spec: {
          type: apiTypeOf(endpoint),
          lifecycle: LIFECYCLE,
          owner,
          system: project,
          definition: apiDefinitionOf(endpoint),
        },
      });
    }
  }

  for (const entry of model.list('Resource')) {
    const namespace = entry.namespace!;
    const project = entry.resource.spec.owner.projectName;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: entityMetadata(context, {
        name: entry.resource.metadata.name,
        namespace,
        file: entry.file,
        resource: entry.resource,
        annotations: { [CELLPLANE_ANNOTATIONS.namespace]: namespace, [CELLPLANE_ANNOTATIONS.project]: project },
      }),
      spec: { type: entry.resource.spec.type.name, owner: projectOwner(namespace, project), system: project },
    });
  }

  return entities;
}

function systemEntity(entry: ModelEntry<Project>, context: SourceContext, owner: string): Entity {
  const namespace = entry.namespace!;
  const name = entry.resource.metadata.name;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: entityMetadata(context, {
      name,
      namespace,
      file: entry.file,
      resource: entry.resource,
      annotations: { [CELLPLANE_ANNOTATIONS.namespace]: namespace, [CELLPLANE_ANNOTATIONS.project]: name },
    }),
    spec: { owner, domain: namespace },
  };
}

/**
 * The APIs a workload's endpoint dependencies point at, resolved as the model's reference check
 * does (namespace and project default to the workload's own). A dependency that does not resolve
 * to an existing endpoint of a component of the named project is left out rather than turned
 * into a dangling reference: the model already reports it as a problem of the Workload.
 */
function consumedApis(model: RepositoryModel, namespace: string, project: string, dependencies: EndpointDependency[]): string[] {
  const refs = new Set<string>();
  for (const dependency of dependencies) {
    const targetNamespace = dependency.namespace ?? namespace;
    const targetProject = dependency.project ?? project;
    const target = model.get('Component', dependency.component, targetNamespace);
    if (target?.resource.spec.owner.projectName !== targetProject) continue;
    const endpoints = model.workload(targetNamespace, dependency.component)?.resource.spec.endpoints ?? {};
    if (!Object.hasOwn(endpoints, dependency.name)) continue;
    refs.add(apiRef(targetNamespace, dependency.component, dependency.name));
  }
  return [...refs].sort();
}

/** Leaves out empty relation lists, which only clutter the entity's YAML. */
function nonEmpty(field: string, refs: string[]): Record<string, string[]> {
  return refs.length > 0 ? { [field]: refs } : {};
}
