import {
  Entity,
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CONSUMES_API,
  RELATION_HAS_PART,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ENDPOINT_VISIBILITIES, EndpointVisibility, cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';

/** A component inside the cell. */
export interface CellComponent {
  /** Entity ref, e.g. `component:acme/web-shop`. */
  ref: string;
  /** The OpenChoreo component name (what status is keyed by). */
  name: string;
  title: string;
}

/** An endpoint: on the cell's boundary when its component is in the cell, outside otherwise. */
export interface CellEndpoint {
  /** Entity ref of the API, e.g. `api:acme/cart-api-grpc`. */
  ref: string;
  /** `component/endpoint`, as a developer names it. */
  label: string;
  title: string;
  /** Entity ref of the component that provides it (undefined when the catalog does not say). */
  providerRef?: string;
  /** The project it belongs to. */
  project?: string;
  /** The widest audience that may reach it; decides where on the boundary it sits. */
  visibility: EndpointVisibility;
  /** Every audience it is visible to. */
  visibilities: EndpointVisibility[];
}

/** A declared dependency of a component on an endpoint. */
export interface CellDependency {
  /** Entity ref of the consuming component (always in the cell). */
  from: string;
  /** Entity ref of the endpoint (API). */
  endpoint: string;
  /** Entity ref of the providing component when it is in the cell: the edge ends there. */
  to?: string;
}

/** A component of another project that consumes an endpoint on the cell's boundary. */
export interface CellConsumer {
  ref: string;
  name: string;
  title: string;
  project?: string;
}

/** A project as a cell: what is inside, what is on its boundary, and what it depends on outside. */
export interface CellModel {
  namespace: string;
  project: string;
  components: CellComponent[];
  /** Endpoints of the cell's components, on the boundary. */
  boundary: CellEndpoint[];
  /** Endpoints of other projects that the cell's components depend on. */
  outside: CellEndpoint[];
  dependencies: CellDependency[];
  /** Components of other projects that consume the cell's endpoints. */
  consumers: CellConsumer[];
  /** Which outside consumer uses which boundary endpoint. */
  incoming: Array<{ from: string; endpoint: string }>;
}

/** The refs the system's page must fetch: its parts (components and APIs). */
export function partRefsOf(system: Entity): string[] {
  return (system.relations ?? []).filter(r => r.type === RELATION_HAS_PART).map(r => r.targetRef);
}

/**
 * What the cell touches outside: the APIs its components consume that are not part of it, and
 * the components of other projects that consume its APIs.
 */
export function outsideRefsOf(parts: Entity[]): string[] {
  const inside = new Set(parts.map(e => stringifyEntityRef(e)));
  const related = (kind: string, type: string) =>
    parts.filter(e => e.kind.toLowerCase() === kind).flatMap(e => (e.relations ?? []).filter(r => r.type === type).map(r => r.targetRef));
  const refs = [...related('component', RELATION_CONSUMES_API), ...related('api', RELATION_API_CONSUMED_BY)].filter(
    ref => !inside.has(ref),
  );
  return [...new Set(refs)].sort();
}

/**
 * Builds the cell of a project from its catalog entities: the System, its parts, and what they
 * touch outside (other projects' APIs they consume, other projects' components consuming
 * theirs). Relations are read from the catalog (providesApi, consumesApi), the endpoint's
 * visibility from Cellplane's annotation.
 */
export function buildCell(system: Entity, parts: Entity[], outsideEntities: Entity[]): CellModel {
  const outsideApis = outsideEntities.filter(e => e.kind.toLowerCase() === 'api');
  const outsideComponents = outsideEntities.filter(e => e.kind.toLowerCase() === 'component');
  const coordinates = cellplaneCoordinatesOf(system);
  const namespace = coordinates?.namespace ?? system.metadata.namespace ?? 'default';
  const project = coordinates?.project ?? system.metadata.name;
  const byKind = (kind: string) => parts.filter(e => e.kind.toLowerCase() === kind);
  const sortByRef = <T extends { ref: string }>(items: T[]) => items.sort((a, b) => a.ref.localeCompare(b.ref));

  const componentEntities = byKind('component');
  const components = sortByRef(
    componentEntities.map(e => ({
      ref: stringifyEntityRef(e),
      name: cellplaneCoordinatesOf(e)?.component ?? e.metadata.name,
      title: e.metadata.title ?? e.metadata.name,
    })),
  );
  const componentRefs = new Set(components.map(c => c.ref));
  // providesApi relations name the provider; the component annotation is the fallback.
  const providerOf = new Map<string, string>();
  for (const component of componentEntities) {
    for (const relation of component.relations ?? []) {
      if (relation.type === RELATION_PROVIDES_API) providerOf.set(relation.targetRef, stringifyEntityRef(component));
    }
  }
  const endpointOf = (api: Entity): CellEndpoint => {
    const ref = stringifyEntityRef(api);
    const c = cellplaneCoordinatesOf(api);
    const visibilities = (c?.endpointVisibility ?? ['project']).filter((v): v is EndpointVisibility =>
      (ENDPOINT_VISIBILITIES as readonly string[]).includes(v),
    );
    const provider =
      providerOf.get(ref) ??
      (api.relations ?? []).find(r => r.type === RELATION_API_PROVIDED_BY)?.targetRef ??
      (c?.component ? stringifyEntityRef({ kind: 'Component', namespace: api.metadata.namespace, name: c.component }) : undefined);
    return {
      ref,
      label: c?.component && c.endpoint ? `${c.component}/${c.endpoint}` : api.metadata.name,
      title: api.metadata.title ?? api.metadata.name,
      providerRef: provider,
      project: c?.project,
      visibility: widest(visibilities),
      visibilities: visibilities.length ? visibilities : ['project'],
    };
  };

  const boundary = sortByRef(byKind('api').map(endpointOf));
  const outside = sortByRef(outsideApis.map(endpointOf));
  const endpoints = new Map([...boundary, ...outside].map(e => [e.ref, e]));
  const dependencies: CellDependency[] = [];
  for (const component of componentEntities) {
    const from = stringifyEntityRef(component);
    for (const relation of component.relations ?? []) {
      if (relation.type !== RELATION_CONSUMES_API) continue;
      const endpoint = endpoints.get(relation.targetRef);
      if (!endpoint) continue;
      const to = endpoint.providerRef && componentRefs.has(endpoint.providerRef) ? endpoint.providerRef : undefined;
      dependencies.push({ from, endpoint: endpoint.ref, ...(to ? { to } : {}) });
    }
  }
  dependencies.sort((a, b) => `${a.from} ${a.endpoint}`.localeCompare(`${b.from} ${b.endpoint}`));

  const boundaryRefs = new Set(boundary.map(e => e.ref));
  const consumers = sortByRef(
    outsideComponents.map(e => ({
      ref: stringifyEntityRef(e),
      name: cellplaneCoordinatesOf(e)?.component ?? e.metadata.name,
      title: e.metadata.title ?? e.metadata.name,
      project: cellplaneCoordinatesOf(e)?.project,
    })),
  );
  const incoming = outsideComponents
    .flatMap(e =>
      (e.relations ?? [])
        .filter(r => r.type === RELATION_CONSUMES_API && boundaryRefs.has(r.targetRef))
        .map(r => ({ from: stringifyEntityRef(e), endpoint: r.targetRef })),
    )
    .sort((a, b) => `${a.from} ${a.endpoint}`.localeCompare(`${b.from} ${b.endpoint}`));
  return {
    namespace,
    project,
    components,
    boundary,
    outside,
    dependencies,
    consumers: consumers.filter(c => incoming.some(i => i.from === c.ref)),
    incoming,
  };
}

function widest(visibilities: EndpointVisibility[]): EndpointVisibility {
  let widestIndex = 0;
  for (const v of visibilities) widestIndex = Math.max(widestIndex, ENDPOINT_VISIBILITIES.indexOf(v));
  return ENDPOINT_VISIBILITIES[widestIndex];
}
