import { ClusterDataPlane, DataPlane, explainInvalidName, ModelProblem } from '@cellplane/backstage-plugin-common';

/**
 * What a data plane's cluster has installed beyond plain Kubernetes, declared by the platform
 * team as annotations on its DataPlane or ClusterDataPlane. OpenChoreo's DataPlane spec has no
 * field for cluster add-ons, and Cellplane renders for clusters it never talks to, so the data
 * plane says it once and every render follows:
 *
 * ```yaml
 * metadata:
 *   annotations:
 *     cellplane.dev/network-policy: cilium          # kubernetes (default) | cilium
 *     cellplane.dev/mtls: cilium                    # none (default) | cilium | istio
 *     cellplane.dev/prometheus-operator: "true"     # ServiceMonitors instead of prometheus.io/* annotations
 *     cellplane.dev/prometheus-pods: app.kubernetes.io/name=prometheus   # who may scrape (default)
 *     cellplane.dev/prometheus-pods-namespace: monitoring                # (default)
 *     cellplane.dev/otel-instrumentation: observability/default   # OpenTelemetry operator Instrumentation
 *     cellplane.dev/otel-inject: sdk                # which inject-<language> annotation (default sdk)
 *     cellplane.dev/delivery: argocd                # none (default) | argocd | flux
 *     cellplane.dev/delivery-namespace: argocd      # where Argo CD / Flux run (default argocd / flux-system)
 *     cellplane.dev/delivery-repository: https://github.com/acme/gitops.git
 *     cellplane.dev/delivery-branch: main
 *     cellplane.dev/external-gateway-pods: app=gateway,tier=edge  # gateway pod labels, when not
 *     cellplane.dev/internal-gateway-pods: ...                    # gateway.networking.k8s.io/gateway-name
 *     cellplane.dev/external-gateway-pods-namespace: envoy-gateway-system  # when the proxies do not
 *     cellplane.dev/internal-gateway-pods-namespace: ...                   # run in the Gateway's namespace
 * ```
 */

/**
 * The annotations on a DataPlane or ClusterDataPlane that declare its cluster's add-ons (see
 * above), by feature.
 *
 * @public
 */
export const DATA_PLANE_ANNOTATIONS = {
  networkPolicy: 'cellplane.dev/network-policy',
  mtls: 'cellplane.dev/mtls',
  prometheusOperator: 'cellplane.dev/prometheus-operator',
  prometheusPods: 'cellplane.dev/prometheus-pods',
  prometheusPodsNamespace: 'cellplane.dev/prometheus-pods-namespace',
  otelInstrumentation: 'cellplane.dev/otel-instrumentation',
  otelInject: 'cellplane.dev/otel-inject',
  delivery: 'cellplane.dev/delivery',
  deliveryNamespace: 'cellplane.dev/delivery-namespace',
  deliveryRepository: 'cellplane.dev/delivery-repository',
  deliveryBranch: 'cellplane.dev/delivery-branch',
  externalGatewayPods: 'cellplane.dev/external-gateway-pods',
  internalGatewayPods: 'cellplane.dev/internal-gateway-pods',
  externalGatewayPodsNamespace: 'cellplane.dev/external-gateway-pods-namespace',
  internalGatewayPodsNamespace: 'cellplane.dev/internal-gateway-pods-namespace',
} as const;

/** The values of `cellplane.dev/network-policy`: which network policies the cluster enforces. @public */
export const NETWORK_POLICY_FLAVOURS = ['kubernetes', 'cilium'] as const;
/** The values of `cellplane.dev/mtls`: what encrypts and authenticates traffic between pods. @public */
export const MTLS_MODES = ['none', 'cilium', 'istio'] as const;
/** The values of `cellplane.dev/delivery`: what syncs `rendered/` into the cluster. @public */
export const DELIVERY_TOOLS = ['none', 'argocd', 'flux'] as const;
/** The OpenTelemetry operator's `instrumentation.opentelemetry.io/inject-<x>` flavours. @public */
export const OTEL_INJECT_FLAVOURS = ['sdk', 'java', 'nodejs', 'python', 'dotnet', 'go', 'apache-httpd', 'nginx'] as const;

/** Where a gateway's proxy pods run, for the network policies that let its traffic in. @public */
export interface GatewayPods {
  /** The namespace the pods run in. */
  namespace: string;
  /** Labels that select the pods. */
  labels: Record<string, string>;
}

/** What a data plane's cluster has installed, read from its annotations; defaults where it declares nothing. @public */
export interface DataPlaneFeatures {
  /** Plain Kubernetes NetworkPolicies, or CiliumNetworkPolicies. */
  networkPolicy: (typeof NETWORK_POLICY_FLAVOURS)[number];
  /** Mutual TLS between pods: none, Cilium's mutual authentication, or Istio. */
  mtls: (typeof MTLS_MODES)[number];
  /** Whether metrics are scraped through the Prometheus operator's monitors, else through `prometheus.io/*` annotations. */
  prometheusOperator: boolean;
  /** The Prometheus pods network policies let in to scrape metrics endpoints. */
  prometheus: GatewayPods;
  /** `<name>` or `<namespace>/<name>` of the OpenTelemetry operator's Instrumentation resource. */
  otelInstrumentation?: string;
  /** Which `instrumentation.opentelemetry.io/inject-<language>` annotation pods get. */
  otelInject: (typeof OTEL_INJECT_FLAVOURS)[number];
  /** What syncs the data plane's `rendered/` folders, from which repository and branch, running in which namespace. */
  delivery: {
    tool: (typeof DELIVERY_TOOLS)[number];
    namespace: string;
    repository?: string;
    branch: string;
  };
  /** The pods of the external and internal gateways, let into the cells that expose endpoints. */
  gateways: { external?: GatewayPods; internal?: GatewayPods };
}

/** What `parseDataPlaneFeatures` returns. @public */
export interface DataPlaneFeaturesResult {
  /** The features, with the default wherever an annotation is missing or bad. */
  features: DataPlaneFeatures;
  /** One per bad annotation; its default is used instead. */
  problems: ModelProblem[];
}

/** The label Gateway API implementations (Istio, Envoy Gateway, NGINX Gateway Fabric, ...) put on a Gateway's pods. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A data plane's annotations, read with a default: a bad value is a problem and gives the default. */
function annotationReader(dataPlane: DataPlane | ClusterDataPlane) {
  const annotations = dataPlane.metadata.annotations ?? {};
  const problems: ModelProblem[] = [];
  const resource = {
    kind: dataPlane.kind,
    name: dataPlane.metadata.name,
    ...(dataPlane.metadata.namespace ? { namespace: dataPlane.metadata.namespace } : {}),
  };
  const fail = (annotation: string, message: string) =>
    problems.push({
      severity: 'error',
      resource,
      field: `metadata.annotations["${annotation}"]`,
      message,
    });

  function oneOf<T extends readonly string[]>(annotation: string, allowed: T, fallback: T[number]): T[number] {
    const value = annotations[annotation];
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T[number];
    fail(annotation, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    return fallback;
  }
  function name(annotation: string, fallback?: string): string | undefined {
    const value = annotations[annotation];
    if (value === undefined) return fallback;
    const problem = explainInvalidName(value);
    if (problem) {
      fail(annotation, problem);
      return fallback;
    }
    return value;
  }
  return { annotations, problems, fail, oneOf, name };
}

type AnnotationReader = ReturnType<typeof annotationReader>;

/** Network policy flavour and mTLS: Cilium's mutual authentication needs Cilium's policies. */
function parseNetworking({ oneOf, fail }: AnnotationReader): Pick<DataPlaneFeatures, 'networkPolicy' | 'mtls'> {
  const networkPolicy = oneOf(DATA_PLANE_ANNOTATIONS.networkPolicy, NETWORK_POLICY_FLAVOURS, 'kubernetes');
  let mtls = oneOf(DATA_PLANE_ANNOTATIONS.mtls, MTLS_MODES, 'none');
  if (mtls === 'cilium' && networkPolicy !== 'cilium') {
    fail(
      DATA_PLANE_ANNOTATIONS.mtls,
      `cilium mutual authentication is declared in CiliumNetworkPolicies; set ${DATA_PLANE_ANNOTATIONS.networkPolicy}: cilium as well`,
    );
    mtls = 'none';
  }
  return { networkPolicy, mtls };
}

/** The Prometheus operator flag and the Prometheus pods let in to scrape. */
function parsePrometheus({ annotations, fail, name }: AnnotationReader): Pick<DataPlaneFeatures, 'prometheusOperator' | 'prometheus'> {
  let prometheusOperator = false;
  const prometheusFlag = annotations[DATA_PLANE_ANNOTATIONS.prometheusOperator];
  if (prometheusFlag !== undefined) {
    if (prometheusFlag === 'true' || prometheusFlag === 'false') prometheusOperator = prometheusFlag === 'true';
    else fail(DATA_PLANE_ANNOTATIONS.prometheusOperator, `must be "true" or "false" (got ${JSON.stringify(prometheusFlag)})`);
  }

  const prometheus: GatewayPods = {
    namespace: name(DATA_PLANE_ANNOTATIONS.prometheusPodsNamespace, 'monitoring')!,
    labels: parseSelector(annotations[DATA_PLANE_ANNOTATIONS.prometheusPods], message =>
      fail(DATA_PLANE_ANNOTATIONS.prometheusPods, message),
    ) ?? { 'app.kubernetes.io/name': 'prometheus' },
  };
  return { prometheusOperator, prometheus };
}

/** `<name>` or `<namespace>/<name>` of the OpenTelemetry operator's Instrumentation, if any. */
function parseOtelInstrumentation({ annotations, fail }: AnnotationReader): string | undefined {
  const instrumentation = annotations[DATA_PLANE_ANNOTATIONS.otelInstrumentation];
  if (instrumentation === undefined) return undefined;
  const parts = instrumentation.split('/');
  const bad = parts.length > 2 || parts.map(part => explainInvalidName(part)).find(Boolean);
  if (bad) {
    fail(
      DATA_PLANE_ANNOTATIONS.otelInstrumentation,
      `must name an OpenTelemetry Instrumentation as <name> or <namespace>/<name> (got ${JSON.stringify(instrumentation)})`,
    );
    return undefined;
  }
  return instrumentation;
}

/** Argo CD or Flux: where it runs, and the repository and branch it syncs. */
function parseDelivery({ annotations, fail, oneOf, name }: AnnotationReader): DataPlaneFeatures['delivery'] {
  const tool = oneOf(DATA_PLANE_ANNOTATIONS.delivery, DELIVERY_TOOLS, 'none');
  const deliveryNamespace = name(DATA_PLANE_ANNOTATIONS.deliveryNamespace, tool === 'flux' ? 'flux-system' : 'argocd')!;
  let repository: string | undefined = annotations[DATA_PLANE_ANNOTATIONS.deliveryRepository];
  if (repository !== undefined && !isRepositoryUrl(repository)) {
    fail(
      DATA_PLANE_ANNOTATIONS.deliveryRepository,
      // The value is not echoed: it may hold a credential.
      'must be an https://, ssh:// or git@host:path repository URL without credentials',
    );
    repository = undefined;
  }
  let branch = annotations[DATA_PLANE_ANNOTATIONS.deliveryBranch] ?? 'main';
  if (!isBranchName(branch)) {
    fail(DATA_PLANE_ANNOTATIONS.deliveryBranch, `must be a Git branch name (got ${JSON.stringify(branch)})`);
    branch = 'main';
  }
  return { tool, namespace: deliveryNamespace, ...(repository ? { repository } : {}), branch };
}

/** The external and internal gateways' pods: from the annotations, else the Gateway's name label. */
function parseGateways(dataPlane: DataPlane | ClusterDataPlane, { annotations, fail, name }: AnnotationReader) {
  const gateways: DataPlaneFeatures['gateways'] = {};
  for (const which of ['external', 'internal'] as const) {
    const gateway = dataPlane.spec.gateway?.ingress?.[which];
    const podsAnnotation = DATA_PLANE_ANNOTATIONS[`${which}GatewayPods`];
    const namespaceAnnotation = DATA_PLANE_ANNOTATIONS[`${which}GatewayPodsNamespace`];
    const labels = parseSelector(annotations[podsAnnotation], message => fail(podsAnnotation, message));
    const namespace = name(namespaceAnnotation, gateway?.namespace);
    if (!gateway?.name && !labels) continue;
    if (!namespace) {
      fail(namespaceAnnotation, `the ${which} gateway has no namespace in spec.gateway.ingress.${which}; set this annotation`);
      continue;
    }
    gateways[which] = { namespace, labels: labels ?? { [GATEWAY_NAME_LABEL]: gateway!.name! } };
  }
  return gateways;
}

/**
 * Reads the add-ons a data plane declares. Every bad value is a problem naming the annotation
 * and the values it accepts; parsing goes on with the default, so one typo does not stop a render.
 *
 * @public
 */
export function parseDataPlaneFeatures(dataPlane: DataPlane | ClusterDataPlane): DataPlaneFeaturesResult {
  const read = annotationReader(dataPlane);
  const { networkPolicy, mtls } = parseNetworking(read);
  const { prometheusOperator, prometheus } = parsePrometheus(read);
  const otelInstrumentation = parseOtelInstrumentation(read);
  const otelInject = read.oneOf(DATA_PLANE_ANNOTATIONS.otelInject, OTEL_INJECT_FLAVOURS, 'sdk');
  const delivery = parseDelivery(read);
  const gateways = parseGateways(dataPlane, read);
  return {
    features: {
      networkPolicy,
      mtls,
      prometheusOperator,
      prometheus,
      ...(otelInstrumentation ? { otelInstrumentation } : {}),
      otelInject,
      delivery,
      gateways,
    },
    problems: read.problems,
  };
}

/** `k=v,k2=v2` into labels; undefined when absent or invalid (reported through `fail`). */
function parseSelector(value: string | undefined, fail: (message: string) => void) {
  if (value === undefined) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const [key, label, ...rest] = pair.trim().split('=');
    if (rest.length > 0 || label === undefined || !LABEL_KEY.test(key) || !LABEL_VALUE.test(label)) {
      fail(`must be label pairs such as app=gateway,tier=edge (got ${JSON.stringify(value)})`);
      return undefined;
    }
    labels[key] = label;
  }
  return labels;
}

function isRepositoryUrl(url: string): boolean {
  if (/^git@[A-Za-z0-9.-]+:[A-Za-z0-9._/-]+$/.test(url)) return true;
  try {
    const parsed = new URL(url);
    return ['https:', 'ssh:'].includes(parsed.protocol) && !parsed.password && (parsed.protocol === 'ssh:' || !parsed.username);
  } catch {
    return false;
  }
}

function isBranchName(branch: string): boolean {
  return /^(?!.*\.\.)(?!.*\/\/)(?!\/)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._\-/]{1,200}$/.test(branch);
}
