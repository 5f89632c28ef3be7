import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RenderedObject } from '../template/types';

/**
 * Checks rendered objects against the real OpenAPI schemas of their kinds, as published in
 * `kubernetes-models` (Kubernetes itself) and the `@kubernetes-models/*` packages generated from
 * each project's CRDs (Gateway API, External Secrets, Istio, Prometheus operator, Argo CD, Flux,
 * Cilium). An object of a kind none of them knows is reported as unchecked, not as valid.
 */

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: any): { validate(): void };
}

/** Module and export of every model Cellplane validates with. */
const MODEL_MODULES: Array<[string, string]> = [
  ['@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet', 'ApplicationSet'],
  ['@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application', 'Application'],
  ['@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy', 'CiliumNetworkPolicy'],
  ['@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret', 'ExternalSecret'],
  // OpenChoreo's older templates and samples still emit the v1beta1 API of External Secrets.
  ['@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret', 'ExternalSecret'],
  ['@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore', 'SecretStore'],
  ['@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore', 'ClusterSecretStore'],
  ['@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password', 'Password'],
  ['@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization', 'Kustomization'],
  ['@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository', 'GitRepository'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRoute', 'GRPCRoute'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute', 'HTTPRoute'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway', 'Gateway'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/HTTPRoute', 'HTTPRoute'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant', 'ReferenceGrant'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TCPRoute', 'TCPRoute'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/UDPRoute', 'UDPRoute'],
  ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TLSRoute', 'TLSRoute'],
  ['@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication', 'PeerAuthentication'],
  ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor', 'PodMonitor'],
  ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', 'ServiceMonitor'],
  ['kubernetes-models/apps/v1/DaemonSet', 'DaemonSet'],
  ['kubernetes-models/apps/v1/Deployment', 'Deployment'],
  ['kubernetes-models/apps/v1/StatefulSet', 'StatefulSet'],
  ['kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'HorizontalPodAutoscaler'],
  ['kubernetes-models/batch/v1/CronJob', 'CronJob'],
  ['kubernetes-models/batch/v1/Job', 'Job'],
  ['kubernetes-models/networking.k8s.io/v1/Ingress', 'Ingress'],
  ['kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'NetworkPolicy'],
  ['kubernetes-models/policy/v1/PodDisruptionBudget', 'PodDisruptionBudget'],
  ['kubernetes-models/rbac.authorization.k8s.io/v1/Role', 'Role'],
  ['kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding', 'RoleBinding'],
  ['kubernetes-models/v1/ConfigMap', 'ConfigMap'],
  ['kubernetes-models/v1/LimitRange', 'LimitRange'],
  ['kubernetes-models/v1/Namespace', 'Namespace'],
  ['kubernetes-models/v1/PersistentVolumeClaim', 'PersistentVolumeClaim'],
  ['kubernetes-models/v1/ResourceQuota', 'ResourceQuota'],
  ['kubernetes-models/v1/Secret', 'Secret'],
  ['kubernetes-models/v1/Service', 'Service'],
  ['kubernetes-models/v1/ServiceAccount', 'ServiceAccount'],
];

/** A real dynamic import even where TypeScript or tsx compile `import()` to `require()`. */
// eslint-disable-next-line no-new-func
const nativeImport = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

/**
 * Loads one model. The packages are ESM-only (their exports offer only an `import` condition):
 * Node loads them with a native import of the file's URL. Jest cannot run native imports in a
 * CommonJS test, but its resolver adds the condition (jestResolver.cjs), so `require` works there.
 */
async function loadModel(specifier: string, name: string): Promise<ModelClass> {
  const [, pkg, subpath] = /^((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(specifier)!;
  const file = (require.resolve.paths(pkg) ?? []).map(dir => join(dir, pkg, `${subpath}.js`)).find(f => existsSync(f));
  if (!file) throw new Error(`cannot find ${specifier}; is ${pkg} installed?`);
  try {
    return (await nativeImport(pathToFileURL(file).href))[name] as ModelClass;
  } catch {
    return require(specifier)[name];
  }
}

let byType: Map<string, ModelClass> | undefined;
let loading: Promise<void> | undefined;

/** Loads the schemas once per process; `validateRenderedObject` needs them. @public */
export function loadRenderedObjectSchemas(): Promise<void> {
  loading ??= Promise.all(MODEL_MODULES.map(([specifier, name]) => loadModel(specifier, name))).then(list => {
    byType = new Map(list.map(model => [`${model.apiVersion}/${model.kind}`, model]));
  });
  return loading;
}

function models(): Map<string, ModelClass> {
  if (!byType) throw new Error('call loadRenderedObjectSchemas() before validating rendered objects');
  return byType;
}

/** Whether Cellplane can check objects of this apiVersion and kind against a schema. */
export function hasSchemaFor(apiVersion: string, kind: string): boolean {
  return models().has(`${apiVersion}/${kind}`);
}

/**
 * The schema violations of one object, one line each (`spec.replicas: must be integer`);
 * `undefined` when no schema is known for its kind, `[]` when it is valid.
 *
 * @public
 */
export function validateRenderedObject(object: RenderedObject): string[] | undefined {
  const model = models().get(`${object.apiVersion}/${object.kind}`);
  if (!model) return undefined;
  try {
    // The model's validate() only runs the schema's compiled validator on `this`; calling it on
    // the plain object skips the model's deep copy, a large share of the cost per object.
    (model.prototype as { validate(): void }).validate.call(object);
    return [];
  } catch (error: any) {
    const details: any[] = Array.isArray(error?.errors) ? error.errors : [];
    if (details.length === 0) return [String(error?.message ?? error)];
    return details.map(detail => {
      const path = String(detail.instancePath ?? '')
        .split('/')
        .filter(Boolean)
        .map((segment: string) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
        .join('')
        .replace(/^\./, '');
      const extra = detail.params?.additionalProperty ? ` '${detail.params.additionalProperty}'` : '';
      return `${path || '(object)'}: ${detail.message}${extra}`;
    });
  }
}
