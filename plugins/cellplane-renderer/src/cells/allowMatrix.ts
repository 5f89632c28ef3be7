import type { RenderedObject } from '../template/types';
import { podTemplateOf } from '../workloads';

/**
 * Who may reach whom, computed from rendered Kubernetes NetworkPolicies the way the API
 * specifies them (a pod selected by any policy of a type is isolated for that type; a connection
 * needs an egress allow at the source and an ingress allow at the destination). Used to prove
 * that the policies open exactly what visibilities and dependencies declare.
 */

/** A set of pods: a workload's pod template, or a pod outside the rendered cells (gateway, Prometheus, DNS). */
export interface Pods {
  /** How the matrix names it, e.g. `acme/storefront/web-shop@development` or `gateway:external`. */
  id: string;
  namespace: string;
  labels: Record<string, string>;
  /** Ports it listens on, `<port>/<protocol>`. */
  ports: string[];
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

function matches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: unknown;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Array<{ port?: number | string; protocol?: string }>;
}

/**
 * Every allowed connection among `pods`, as `"<source id> -> <destination id>:<port>/<protocol>"`,
 * sorted. `namespaceLabels` gives each namespace's labels (`kubernetes.io/metadata.name` is
 * added automatically, as the API server does).
 */
export function allowMatrix(
  policies: RenderedObject[],
  pods: Pods[],
  namespaceLabels: Record<string, Record<string, string>>,
  direction: 'effective' | 'ingress' = 'effective',
): string[] {
  const networkPolicies = policies.filter(p => p.apiVersion === 'networking.k8s.io/v1' && p.kind === 'NetworkPolicy');
  const nsLabels = (ns: string) => ({ ...(namespaceLabels[ns] ?? {}), 'kubernetes.io/metadata.name': ns });
  const peerMatches = (peer: Peer, policyNamespace: string, pod: Pods) => {
    if (peer.ipBlock) return false;
    if (peer.namespaceSelector) {
      return matches(peer.namespaceSelector, nsLabels(pod.namespace)) && matches(peer.podSelector, pod.labels);
    }
    return pod.namespace === policyNamespace && matches(peer.podSelector, pod.labels);
  };
  const portMatches = (rule: Rule, port: string) => {
    if (!rule.ports || rule.ports.length === 0) return true;
    const [number, protocol] = port.split('/');
    return rule.ports.some(p => (p.port === undefined || String(p.port) === number) && (p.protocol ?? 'TCP') === protocol);
  };
  const allowed = (type: 'Ingress' | 'Egress', subject: Pods, other: Pods, port: string) => {
    const selecting = networkPolicies.filter(policy => {
      const spec = policy.spec as any;
      // Without policyTypes, a policy is for Ingress, and for Egress too when it has egress rules.
      const types: string[] = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
      return policy.metadata.namespace === subject.namespace && types.includes(type) && matches(spec.podSelector, subject.labels);
    });
    if (selecting.length === 0) return true; // not isolated
    return selecting.some(policy => {
      const rules: Rule[] = ((policy.spec as any)[type === 'Ingress' ? 'ingress' : 'egress'] ?? []) as Rule[];
      return rules.some(rule => {
        const peers = type === 'Ingress' ? rule.from : rule.to;
        const peerOk = !peers || peers.length === 0 || peers.some(peer => peerMatches(peer, policy.metadata.namespace!, other));
        return peerOk && portMatches(rule, port);
      });
    });
  };
  const result: string[] = [];
  for (const source of pods) {
    for (const destination of pods) {
      for (const port of destination.ports) {
        const ingress = allowed('Ingress', destination, source, port);
        const egress = direction === 'ingress' || allowed('Egress', source, destination, port);
        if (ingress && egress) result.push(`${source.id} -> ${destination.id}:${port}`);
      }
    }
  }
  return result.sort();
}

/**
 * The pods of rendered workloads, one entry per pod template, listening on the ports of the
 * Services that select them (their `targetPort`, else `port`).
 */
export function podsOf(objects: RenderedObject[], id: (object: RenderedObject) => string): Pods[] {
  const services = objects.filter(o => o.apiVersion === 'v1' && o.kind === 'Service');
  const pods: Pods[] = [];
  for (const object of objects) {
    const template = podTemplateOf(object);
    if (!template) continue;
    const labels = template.metadata?.labels ?? {};
    const namespace = object.metadata.namespace!;
    const ports = new Set<string>();
    for (const service of services) {
      const spec = service.spec as any;
      if (service.metadata.namespace !== namespace || !spec?.selector || !matches({ matchLabels: spec.selector }, labels)) continue;
      for (const port of spec.ports ?? []) {
        ports.add(`${typeof port.targetPort === 'number' ? port.targetPort : port.port}/${port.protocol ?? 'TCP'}`);
      }
    }
    pods.push({ id: id(object), namespace, labels, ports: [...ports].sort() });
  }
  return pods;
}
