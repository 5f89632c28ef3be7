import type { ModelProblem, Workload } from '@cellplane/backstage-plugin-common';
import type { DataPlaneFeatures } from '../dataPlaneFeatures';
import type { ModelEntry } from '@cellplane/backstage-plugin-node';
import { compareText } from '../manifestYaml';
import { metricsPathOf } from '../observability/observability';
import type { BindingRenderTarget, RenderedObject } from '../template/types';
import { Cell, CellMember, MemberEndpoint, memberPodLabels, PodPort } from './cell';

type WorkloadSpec = Omit<Workload['spec'], 'owner'>;

/** What one binding rendered, as the cell builder needs it. */
export interface RenderedBinding {
  kind: 'component' | 'resource';
  entry: ModelEntry;
  target: BindingRenderTarget;
  objects: RenderedObject[];
  features: DataPlaneFeatures;
  /** The workload the objects came from (components only): the release's snapshot or the live one. */
  workload?: WorkloadSpec;
}

const memberKey = (namespace: string, project: string, name: string, environment: string, kind: string) =>
  `${kind}\u0000${namespace}\u0000${project}\u0000${name}\u0000${environment}`;
export const cellKey = (target: Pick<BindingRenderTarget, 'dataPlaneKind' | 'dataPlane' | 'kubernetesNamespace'>) =>
  `${target.dataPlaneKind}\u0000${target.dataPlane}\u0000${target.kubernetesNamespace}`;

/** The endpoints of a component as pods expose them: container port, protocol, visibility. */
function componentEndpoints(workload: WorkloadSpec | undefined): MemberEndpoint[] {
  return Object.entries(workload?.endpoints ?? {})
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, endpoint]) => {
      const metricsPath = metricsPathOf(name, endpoint);
      return {
        name,
        port: endpoint.targetPort ?? endpoint.port,
        protocol: endpoint.type === 'UDP' ? ('UDP' as const) : ('TCP' as const),
        visibility: [...new Set(['project' as const, ...(endpoint.visibility ?? [])])],
        ...(metricsPath ? { metrics: { path: metricsPath } } : {}),
      };
    });
}

/** A managed resource's endpoints: the ports of the Services it renders (only its own cell may connect). */
function resourceEndpoints(objects: RenderedObject[]): MemberEndpoint[] {
  const endpoints = new Map<string, MemberEndpoint>();
  for (const object of objects) {
    if (object.apiVersion !== 'v1' || object.kind !== 'Service') continue;
    for (const port of ((object.spec as any)?.ports ?? []) as any[]) {
      const podPort = typeof port.targetPort === 'number' ? port.targetPort : port.port;
      if (typeof podPort !== 'number') continue;
      const protocol = port.protocol === 'UDP' ? ('UDP' as const) : ('TCP' as const);
      endpoints.set(`${podPort}/${protocol}`, {
        name: port.name ?? String(podPort),
        port: podPort,
        protocol,
        visibility: ['project'],
      });
    }
  }
  return [...endpoints.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}

/**
 * Groups rendered bindings into cells and works out each member's network surface: its endpoints
 * and the pods its dependencies point at. A dependency on something not deployed in the same
 * environment opens nothing and is reported as a warning on the consuming binding.
 */
export function buildCells(bindings: RenderedBinding[]): { cells: Cell[]; members: Map<RenderedBinding, CellMember>; problems: ModelProblem[] } {
  const problems: ModelProblem[] = [];
  const members = new Map<RenderedBinding, CellMember>();
  const byKey = new Map<string, { binding: RenderedBinding; member: CellMember }>();
  const cells = new Map<string, Cell>();

  for (const binding of bindings) {
    const { target } = binding;
    const member: CellMember = {
      kind: binding.kind,
      name: target.component,
      podLabels: memberPodLabels(binding.kind, target.component),
      endpoints: binding.kind === 'component' ? componentEndpoints(binding.workload) : resourceEndpoints(binding.objects),
      egress: [],
    };
    members.set(binding, member);
    byKey.set(memberKey(target.namespace, target.project, target.component, target.environment, binding.kind), {
      binding,
      member,
    });
    const key = cellKey(target);
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        namespace: target.namespace,
        project: target.project,
        environment: target.environment,
        kubernetesNamespace: target.kubernetesNamespace,
        features: binding.features,
        members: [],
      };
      cells.set(key, cell);
    }
    cell.members.push(member);
  }

  for (const binding of bindings) {
    if (binding.kind !== 'component') continue;
    const { target, entry } = binding;
    const member = members.get(binding)!;
    const warn = (field: string, message: string) =>
      problems.push({
        severity: 'warning',
        file: entry.file,
        resource: { kind: entry.resource.kind, name: entry.resource.metadata.name, namespace: target.namespace },
        field,
        message,
      });
    (binding.workload?.dependencies?.endpoints ?? []).forEach((dependency, index) => {
      const namespace = dependency.namespace ?? target.namespace;
      const project = dependency.project ?? target.project;
      const provider = byKey.get(memberKey(namespace, project, dependency.component, target.environment, 'component'));
      const endpoint = provider?.member.endpoints.find(e => e.name === dependency.name);
      if (!provider || !endpoint) {
        warn(
          `workload spec.dependencies.endpoints[${index}]`,
          `${project}/${dependency.component} endpoint '${dependency.name}' is not deployed in ${target.environment}; no network path to it is opened`,
        );
        return;
      }
      member.egress.push({
        kubernetesNamespace: provider.binding.target.kubernetesNamespace,
        podLabels: provider.member.podLabels,
        ports: [{ port: endpoint.port, protocol: endpoint.protocol }],
        description: `component ${project}/${dependency.component} endpoint ${dependency.name}`,
      });
    });
    (binding.workload?.dependencies?.resources ?? []).forEach((dependency, index) => {
      const provider = byKey.get(memberKey(target.namespace, target.project, dependency.ref, target.environment, 'resource'));
      if (!provider || provider.member.endpoints.length === 0) {
        warn(
          `workload spec.dependencies.resources[${index}]`,
          `resource '${dependency.ref}' is not deployed in ${target.environment} (no ResourceReleaseBinding rendered); no network path to it is opened`,
        );
        return;
      }
      member.egress.push({
        kubernetesNamespace: provider.binding.target.kubernetesNamespace,
        podLabels: provider.member.podLabels,
        ports: provider.member.endpoints.map(({ port, protocol }): PodPort => ({ port, protocol })),
        description: `resource ${dependency.ref}`,
      });
    });
  }

  return { cells: [...cells.values()], members, problems };
}
