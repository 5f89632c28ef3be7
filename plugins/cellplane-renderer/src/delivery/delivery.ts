import type { DataPlaneFeatures } from '../dataPlaneFeatures';
import type { RenderedObject } from '../template/types';

/**
 * The objects a platform team applies once per data plane so that its Argo CD or Flux syncs the
 * data plane's folders of `rendered/`: one Argo CD Application, or one Flux Kustomization (plus
 * one GitRepository for the data plane), per OpenChoreo namespace and environment. They prune
 * and self-heal, so Git stays the only way in.
 */

/** One synced folder: an environment of a namespace on this data plane. */
export interface DeliveryTarget {
  namespace: string;
  environment: string;
  /** Repository path of the folder, e.g. `rendered/default/acme/development`. */
  path: string;
}

export interface DeliverySource {
  repository: string;
  branch: string;
}

const IN_CLUSTER = 'https://kubernetes.default.svc';
const SOURCE_NAME = 'cellplane-gitops';

/** `cellplane-<namespace>-<environment>`: the Application or Kustomization name. */
export const deliveryName = (target: Pick<DeliveryTarget, 'namespace' | 'environment'>) =>
  `cellplane-${target.namespace}-${target.environment}`;

/** Argo CD Applications or a Flux GitRepository and Kustomizations that sync a data plane's environments. */
export function renderDeliveryObjects(
  features: DataPlaneFeatures,
  source: DeliverySource,
  targets: DeliveryTarget[],
): RenderedObject[] {
  const { tool, namespace } = features.delivery;
  const labels = { 'app.kubernetes.io/managed-by': 'cellplane' };
  if (tool === 'argocd') {
    return targets.map(target => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: deliveryName(target), namespace, labels },
      spec: {
        project: 'default',
        source: { repoURL: source.repository, targetRevision: source.branch, path: target.path, directory: { recurse: true } },
        destination: { server: IN_CLUSTER },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    }));
  }
  if (tool === 'flux') {
    return [
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: SOURCE_NAME, namespace, labels },
        spec: { interval: '1m', url: source.repository, ref: { branch: source.branch } },
      },
      ...targets.map(target => ({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: deliveryName(target), namespace, labels },
        spec: {
          interval: '5m',
          path: `./${target.path}`,
          prune: true,
          sourceRef: { kind: 'GitRepository', name: SOURCE_NAME },
        },
      })),
    ];
  }
  return [];
}
