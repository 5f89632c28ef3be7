import type { RenderedObject } from '../template/types';
import { Cell, CellMember, MemberEndpoint, PodPort, sameNamespaceCells } from './cell';
import { KUBE_DNS, policyName } from './networkPolicies';

/**
 * The same rules as networkPolicies.ts, as CiliumNetworkPolicies, for data planes that say
 * `cellplane.dev/network-policy: cilium`. With `cellplane.dev/mtls: cilium`, ingress from other
 * workloads requires Cilium mutual authentication (`authentication.mode: required`); traffic
 * from gateways and Prometheus does not, because those are not workloads of a cell.
 */

const POD_NAMESPACE = 'k8s:io.kubernetes.pod.namespace';
const namespaceLabel = (key: string) => `k8s:io.cilium.k8s.namespace.labels.${key}`;
const k8s = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).map(([key, value]) => [`k8s:${key}`, value]));

const policy = (cell: Cell, name: string, spec: Record<string, unknown>): RenderedObject => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name, namespace: cell.kubernetesNamespace },
  spec,
});

const toPorts = (list: PodPort[]) => [{ ports: list.map(p => ({ port: String(p.port), protocol: p.protocol })) }];

/** Default deny both ways (an empty rule selects the pods and allows nothing), DNS out. */
export function cellCiliumPolicies(cell: Cell): RenderedObject[] {
  return [
    policy(cell, 'default-deny', { endpointSelector: {}, ingress: [{}], egress: [{}] }),
    policy(cell, 'allow-dns', {
      endpointSelector: {},
      egress: [
        {
          toEndpoints: [{ matchLabels: { [POD_NAMESPACE]: KUBE_DNS.namespace, ...k8s(KUBE_DNS.labels) } }],
          toPorts: [
            {
              ports: [
                { port: '53', protocol: 'UDP' },
                { port: '53', protocol: 'TCP' },
              ],
              rules: { dns: [{ matchPattern: '*' }] },
            },
          ],
        },
      ],
    }),
  ];
}

function ingressRules(cell: Cell, endpoint: MemberEndpoint): unknown[] {
  const authentication = cell.features.mtls === 'cilium' ? { authentication: { mode: 'required' } } : {};
  const workloads: unknown[] = [{ matchLabels: { [POD_NAMESPACE]: cell.kubernetesNamespace } }];
  if (endpoint.visibility.includes('namespace')) {
    workloads.push({
      matchLabels: Object.fromEntries(
        Object.entries(sameNamespaceCells(cell)).map(([key, value]) => [namespaceLabel(key), value]),
      ),
    });
  }
  const rules: unknown[] = [{ fromEndpoints: workloads, toPorts: toPorts([endpoint]), ...authentication }];
  for (const which of ['internal', 'external'] as const) {
    const gateway = cell.features.gateways[which];
    if (endpoint.visibility.includes(which) && gateway) {
      rules.push({
        fromEndpoints: [{ matchLabels: { [POD_NAMESPACE]: gateway.namespace, ...k8s(gateway.labels) } }],
        toPorts: toPorts([endpoint]),
      });
    }
  }
  if (endpoint.metrics) {
    const { prometheus } = cell.features;
    rules.push({
      fromEndpoints: [{ matchLabels: { [POD_NAMESPACE]: prometheus.namespace, ...k8s(prometheus.labels) } }],
      toPorts: toPorts([endpoint]),
    });
  }
  return rules;
}

export function memberCiliumPolicy(cell: Cell, member: CellMember): RenderedObject {
  const ingress = member.endpoints.flatMap(endpoint => ingressRules(cell, endpoint));
  const egress: unknown[] = member.egress.map(target => ({
    toEndpoints: [{ matchLabels: { [POD_NAMESPACE]: target.kubernetesNamespace, ...k8s(target.podLabels) } }],
    toPorts: toPorts(target.ports),
  }));
  if (member.endpoints.length > 0) {
    egress.push({
      toEndpoints: [{ matchLabels: { [POD_NAMESPACE]: cell.kubernetesNamespace, ...k8s(member.podLabels) } }],
      toPorts: toPorts(member.endpoints),
    });
  }
  return policy(cell, policyName(member), {
    endpointSelector: { matchLabels: k8s(member.podLabels) },
    ...(ingress.length ? { ingress } : {}),
    ...(egress.length ? { egress } : {}),
  });
}
