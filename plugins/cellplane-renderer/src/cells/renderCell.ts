import type { RenderedObject } from '../template/types';
import { Cell, CellMember, cellNamespaceLabels } from './cell';
import { cellCiliumPolicies, memberCiliumPolicy } from './ciliumPolicies';
import { cellNetworkPolicies, memberNetworkPolicy } from './networkPolicies';

/**
 * The objects a cell needs once: its Namespace, the default-deny and DNS policies, and Istio's
 * STRICT PeerAuthentication when the data plane runs Istio for mTLS.
 */
export function renderCellObjects(cell: Cell): RenderedObject[] {
  const istio = cell.features.mtls === 'istio';
  const namespace: RenderedObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: cell.kubernetesNamespace,
      labels: { ...cellNamespaceLabels(cell), ...(istio ? { 'istio-injection': 'enabled' } : {}) },
    },
  };
  const policies = cell.features.networkPolicy === 'cilium' ? cellCiliumPolicies(cell) : cellNetworkPolicies(cell);
  const peerAuthentication: RenderedObject[] = istio
    ? [
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace: cell.kubernetesNamespace },
          spec: { mtls: { mode: 'STRICT' } },
        },
      ]
    : [];
  return [namespace, ...policies, ...peerAuthentication];
}

/** The network policy of one member of a cell, in the data plane's flavour. */
export function renderMemberPolicy(cell: Cell, member: CellMember): RenderedObject {
  return cell.features.networkPolicy === 'cilium' ? memberCiliumPolicy(cell, member) : memberNetworkPolicy(cell, member);
}
