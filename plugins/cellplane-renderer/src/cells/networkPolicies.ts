import type { RenderedObject } from '../template/types';
import { Cell, CellMember, MemberEndpoint, PodPort, sameNamespaceCells } from './cell';

/**
 * Kubernetes NetworkPolicies of a cell: deny everything, let DNS out, and per member let in
 * what its endpoints' visibilities allow and let out what its dependencies need.
 */

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** kube-dns / CoreDNS pods, as every mainstream distribution labels them. */
export const KUBE_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

const policy = (cell: Cell, name: string, spec: Record<string, unknown>): RenderedObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: cell.kubernetesNamespace },
  spec,
});

const ports = (list: PodPort[]) => list.map(p => ({ protocol: p.protocol, port: p.port }));

/** The policies every cell gets once: default deny both ways, DNS out. */
export function cellNetworkPolicies(cell: Cell): RenderedObject[] {
  return [
    policy(cell, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(cell, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_DNS.namespace } },
              podSelector: { matchLabels: KUBE_DNS.labels },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
  ];
}

/** Who may reach one endpoint, as NetworkPolicy peers. */
function ingressPeers(cell: Cell, endpoint: MemberEndpoint): unknown[] {
  const peers: unknown[] = [{ podSelector: {} }]; // project: the whole cell
  if (endpoint.visibility.includes('namespace')) {
    peers.push({ namespaceSelector: { matchLabels: sameNamespaceCells(cell) } });
  }
  for (const which of ['internal', 'external'] as const) {
    const gateway = cell.features.gateways[which];
    if (endpoint.visibility.includes(which) && gateway) {
      peers.push({
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: gateway.namespace } },
        podSelector: { matchLabels: gateway.labels },
      });
    }
  }
  return peers;
}

/** The policy of one member: its ingress (endpoints) and egress (dependencies, itself). */
export function memberNetworkPolicy(cell: Cell, member: CellMember): RenderedObject {
  const ingress: unknown[] = [];
  for (const endpoint of member.endpoints) {
    ingress.push({ from: ingressPeers(cell, endpoint), ports: ports([endpoint]) });
    if (endpoint.metrics) {
      const { prometheus } = cell.features;
      ingress.push({
        from: [
          {
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: prometheus.namespace } },
            podSelector: { matchLabels: prometheus.labels },
          },
        ],
        ports: ports([endpoint]),
      });
    }
  }
  const egress: unknown[] = member.egress.map(target => ({
    to: [
      {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: target.kubernetesNamespace } },
        podSelector: { matchLabels: target.podLabels },
      },
    ],
    ports: ports(target.ports),
  }));
  if (member.endpoints.length > 0) {
    // Replicas of one component talk to each other (clustering, e.g. NATS routes).
    egress.push({ to: [{ podSelector: { matchLabels: member.podLabels } }], ports: ports(member.endpoints) });
  }
  return policy(cell, policyName(member), {
    podSelector: { matchLabels: member.podLabels },
    policyTypes: ['Ingress', 'Egress'],
    ...(ingress.length ? { ingress } : {}),
    ...(egress.length ? { egress } : {}),
  });
}

/** Components and resources may share a name; their policies may not. */
export function policyName(member: CellMember): string {
  return member.kind === 'component' ? `component-${member.name}` : `resource-${member.name}`;
}
