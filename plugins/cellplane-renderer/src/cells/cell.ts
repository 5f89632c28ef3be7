import type { EndpointVisibility } from '@cellplane/backstage-plugin-common';
import type { DataPlaneFeatures } from '../dataPlaneFeatures';

/**
 * A cell: one project in one environment, rendered into one Kubernetes namespace with its own
 * zero-trust boundary. Nothing gets in or out of a cell's pods unless a visibility or a
 * declared dependency says so.
 */
export interface Cell {
  /** The OpenChoreo (control-plane) namespace. */
  namespace: string;
  project: string;
  environment: string;
  /** The Kubernetes namespace the cell renders into. */
  kubernetesNamespace: string;
  features: DataPlaneFeatures;
  members: CellMember[];
}

/** A port pods listen on, as network policies see it (the container port, not the Service port). */
export interface PodPort {
  port: number;
  protocol: 'TCP' | 'UDP';
}

/** An endpoint of a cell member and who may reach it. */
export interface MemberEndpoint extends PodPort {
  name: string;
  /** `project` is implied and always present. */
  visibility: EndpointVisibility[];
  /** Scraped by Prometheus (see observability). */
  metrics?: { path: string };
}

/** Pods a member may open connections to (a dependency). */
export interface EgressTarget {
  kubernetesNamespace: string;
  podLabels: Record<string, string>;
  ports: PodPort[];
  /** `component <project>/<name> endpoint <endpoint>` or `resource <name>`, for comments and tests. */
  description: string;
}

/** A component or a managed resource deployed in a cell. */
export interface CellMember {
  kind: 'component' | 'resource';
  name: string;
  /** Labels every pod of the member carries (stamped on its pod templates). */
  podLabels: Record<string, string>;
  endpoints: MemberEndpoint[];
  egress: EgressTarget[];
}

/** Label keys Cellplane stamps on rendered objects and cell namespaces. */
export const CELL_LABELS = {
  namespace: 'openchoreo.dev/namespace',
  project: 'openchoreo.dev/project',
  component: 'openchoreo.dev/component',
  environment: 'openchoreo.dev/environment',
  /** On a managed resource's objects instead of `component`. */
  resource: 'cellplane.dev/resource',
  /** On cell namespaces, so policies and people can tell them apart. */
  cell: 'cellplane.dev/cell',
} as const;

/** The labels selecting a member's pods. */
export function memberPodLabels(kind: CellMember['kind'], name: string): Record<string, string> {
  return kind === 'component' ? { [CELL_LABELS.component]: name } : { [CELL_LABELS.resource]: name };
}

/** The labels of a cell's Namespace; `namespace` visibility selects cells by them. */
export function cellNamespaceLabels(cell: Pick<Cell, 'namespace' | 'project' | 'environment'>): Record<string, string> {
  return {
    [CELL_LABELS.cell]: 'true',
    [CELL_LABELS.namespace]: cell.namespace,
    [CELL_LABELS.project]: cell.project,
    [CELL_LABELS.environment]: cell.environment,
  };
}

/** Labels selecting every cell of the cell's OpenChoreo namespace and environment (`namespace` visibility). */
export function sameNamespaceCells(cell: Pick<Cell, 'namespace' | 'environment'>): Record<string, string> {
  return { [CELL_LABELS.cell]: 'true', [CELL_LABELS.namespace]: cell.namespace, [CELL_LABELS.environment]: cell.environment };
}
