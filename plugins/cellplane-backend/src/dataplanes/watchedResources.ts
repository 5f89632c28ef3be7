import { STATUS_LABELS } from '@cellplane/backstage-plugin-common';

/** A kind the status watches on every data plane. */
export interface WatchedResource {
  apiVersion: string;
  kind: string;
  /**
   * Optional kinds come from CRDs (Gateway API, Argo CD, Flux, OpenChoreo): watched only when
   * discovery finds them. A missing core kind makes the data plane unavailable.
   */
  optional: boolean;
  /** Label selector sent to the API server; undefined: every object (filtered in memory). */
  labelSelector?: string;
  /**
   * A kind of OpenChoreo's control plane: read for every environment from whichever watched
   * cluster serves it, not only from the environment's own data plane.
   */
  controlPlane?: boolean;
}

// Every object Cellplane renders carries its environment label (and its component, project,
// namespace and release hash); the Argo CD Applications and Flux Kustomizations it renders under
// rendered/_bootstrap carry `app.kubernetes.io/managed-by: cellplane`.
const RENDERED = STATUS_LABELS.environment;
const DELIVERY = 'app.kubernetes.io/managed-by=cellplane';

/** @public */
export const WATCHED_RESOURCES: WatchedResource[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', optional: false, labelSelector: RENDERED },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', optional: false, labelSelector: RENDERED },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', optional: false, labelSelector: RENDERED },
  { apiVersion: 'v1', kind: 'Pod', optional: false, labelSelector: RENDERED },
  { apiVersion: 'batch/v1', kind: 'Job', optional: false, labelSelector: RENDERED },
  { apiVersion: 'batch/v1', kind: 'CronJob', optional: false, labelSelector: RENDERED },
  { apiVersion: 'v1', kind: 'Service', optional: false, labelSelector: RENDERED },
  // Events carry no labels of the object they are about: watched unfiltered, and only those
  // about watched objects are kept (see ObservedObjectStore).
  { apiVersion: 'v1', kind: 'Event', optional: false },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', optional: true, labelSelector: RENDERED },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', optional: true, labelSelector: DELIVERY },
  { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', optional: true, labelSelector: DELIVERY },
  // OpenChoreo's control plane (the cluster its controllers run in, which may also be a data
  // plane) keeps these in the OpenChoreo namespace and labels neither: they are matched by
  // metadata.namespace, spec.owner and spec.environment / spec.environmentName. `Release` is
  // what OpenChoreo called RenderedRelease before; a cluster serves one or the other.
  { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'ReleaseBinding', optional: true, controlPlane: true },
  { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'RenderedRelease', optional: true, controlPlane: true },
  { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'Release', optional: true, controlPlane: true },
];
