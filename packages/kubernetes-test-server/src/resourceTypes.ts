/** Where a type keeps what its `/scale` subresource shows (a CRD's `subresources.scale`). @public */
export interface ScaleSubresource {
  /** JSON path of the desired replicas, e.g. `.spec.replicas`. */
  specReplicasPath: string;
  /** JSON path of the observed replicas, e.g. `.status.replicas`. */
  statusReplicasPath: string;
  /** JSON path of a label selector string; built-in workloads derive it from `spec.selector`. */
  labelSelectorPath?: string;
}

/**
 * A resource type the server serves: what discovery lists and what the
 * REST paths resolve to.
 *
 * @public
 */
export interface ResourceType {
  /** API group; `''` for the core group (`/api/v1`). */
  group: string;
  version: string;
  kind: string;
  /** Plural resource name used in paths, e.g. `deployments`. */
  plural: string;
  /** Lower-case singular, e.g. `deployment`. Defaults to the lower-cased kind. */
  singular?: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Whether the type has a `/status` subresource (writes to the main resource then ignore status). */
  statusSubresource?: boolean;
  /** The `/scale` subresource (autoscaling/v1 Scale), as Deployments and many CRDs have. */
  scale?: ScaleSubresource;
  /**
   * Field selectors the type supports beyond `metadata.name` and
   * `metadata.namespace` (as the real API server, others are rejected).
   */
  selectableFields?: string[];
  /**
   * Built-in types are compiled into the API server; the others are served
   * because a CustomResourceDefinition exists, which the server also stores.
   */
  builtin?: boolean;
  /**
   * A CRD version's structural schema (`schema.openAPIV3Schema`): every write
   * of the type is pruned, defaulted and validated against it.
   */
  schema?: Record<string, unknown>;
}

/** @public */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The key a resource type is stored under: `plural.group`, as in RBAC and CRD names. */
export function resourceTypeKey(type: { group: string; plural: string }) {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

const withStatus = { statusSubresource: true } as const;
const withScale = {
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
  },
};

/** Core, apps, autoscaling, batch, networking, metrics and apiextensions types. @public */
export const builtinResourceTypes: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    selectableFields: ['status.phase'],
    ...withStatus,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    selectableFields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
    ...withStatus,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    ...withStatus,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    selectableFields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    selectableFields: ['type'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'LimitRange',
    plural: 'limitranges',
    namespaced: true,
    shortNames: ['limits'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    namespaced: true,
    shortNames: ['quota'],
    ...withStatus,
  },
  {
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    shortNames: ['pvc'],
    ...withStatus,
  },
  {
    group: '',
    version: 'v1',
    kind: 'PersistentVolume',
    plural: 'persistentvolumes',
    namespaced: false,
    shortNames: ['pv'],
    ...withStatus,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    selectableFields: ['spec.unschedulable'],
    ...withStatus,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    ...withStatus,
    ...withScale,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    ...withStatus,
    ...withScale,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    ...withStatus,
    ...withScale,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    ...withStatus,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
    categories: ['all'],
    selectableFields: ['status.successful'],
    ...withStatus,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    ...withStatus,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    ...withStatus,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
    ...withStatus,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
    shortNames: ['netpol'],
  },
  {
    // metrics-server's aggregated API, which `kubectl top` and Backstage's
    // kubernetes-backend read; objects are whatever a test stores.
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    kind: 'PodMetrics',
    plural: 'pods',
    singular: '',
    namespaced: true,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    ...withStatus,
  },
].map(type => ({ ...type, builtin: true }));

/** Gateway API (served through its CRDs). @public */
export const gatewayApiResourceTypes: ResourceType[] = [
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    namespaced: true,
    categories: ['gateway-api'],
    ...withStatus,
  },
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'Gateway',
    plural: 'gateways',
    namespaced: true,
    shortNames: ['gtw'],
    categories: ['gateway-api'],
    ...withStatus,
  },
];

/** Argo CD's Application (served through its CRD). @public */
export const argoCdResourceTypes: ResourceType[] = [
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Application',
    plural: 'applications',
    namespaced: true,
    shortNames: ['app', 'apps'],
    // Argo CD's CRD has no status subresource: its controller writes status with plain updates.
    statusSubresource: false,
  },
];

/** Flux's Kustomization (served through its CRD). @public */
export const fluxResourceTypes: ResourceType[] = [
  {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'Kustomization',
    plural: 'kustomizations',
    namespaced: true,
    shortNames: ['ks'],
    ...withStatus,
  },
];

/** OpenChoreo's control-plane types the status view reads (served through their CRDs). @public */
export const openChoreoResourceTypes: ResourceType[] = [
  {
    group: 'openchoreo.dev',
    version: 'v1alpha1',
    kind: 'ReleaseBinding',
    plural: 'releasebindings',
    namespaced: true,
    ...withStatus,
  },
  {
    group: 'openchoreo.dev',
    version: 'v1alpha1',
    kind: 'RenderedRelease',
    plural: 'renderedreleases',
    namespaced: true,
    ...withStatus,
  },
];

/**
 * Every type above: what a data plane with Gateway API, Argo CD, Flux and
 * OpenChoreo installed serves.
 *
 * @public
 */
export const defaultResourceTypes: ResourceType[] = [
  ...builtinResourceTypes,
  ...gatewayApiResourceTypes,
  ...argoCdResourceTypes,
  ...fluxResourceTypes,
  ...openChoreoResourceTypes,
];

/** The verbs every served type supports, as discovery lists them. */
export const resourceVerbs = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/**
 * The CustomResourceDefinition object that makes a custom type served. The
 * server registers types from stored CRDs, so creating one through the API
 * changes discovery exactly like creating it does on a real cluster.
 */
export function customResourceDefinitionFor(type: ResourceType) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${type.plural}.${type.group}` },
    spec: {
      group: type.group,
      scope: type.namespaced ? 'Namespaced' : 'Cluster',
      names: {
        kind: type.kind,
        listKind: `${type.kind}List`,
        plural: type.plural,
        singular: type.singular ?? type.kind.toLocaleLowerCase('en-US'),
        ...(type.shortNames ? { shortNames: type.shortNames } : {}),
        ...(type.categories ? { categories: type.categories } : {}),
      },
      versions: [
        {
          name: type.version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
          ...(type.statusSubresource || type.scale
            ? {
                subresources: {
                  ...(type.statusSubresource ? { status: {} } : {}),
                  ...(type.scale ? { scale: type.scale } : {}),
                },
              }
            : {}),
          ...(type.selectableFields
            ? {
                selectableFields: type.selectableFields.map(f => ({
                  jsonPath: `.${f}`,
                })),
              }
            : {}),
        },
      ],
    },
  };
}

/**
 * The resource types a CRD object makes served (one per served version), or
 * an error message naming the field that is wrong.
 */
export function resourceTypesFromCustomResourceDefinition(
  crd: any,
): ResourceType[] | string {
  const spec = crd?.spec;
  if (!spec || typeof spec !== 'object') return 'spec: Required value';
  if (typeof spec.group !== 'string' || !spec.group.includes('.')) {
    return 'spec.group: Invalid value: should be a domain with at least one dot';
  }
  const names = spec.names ?? {};
  if (typeof names.plural !== 'string' || !names.plural) {
    return 'spec.names.plural: Required value';
  }
  if (typeof names.kind !== 'string' || !names.kind) {
    return 'spec.names.kind: Required value';
  }
  if (crd.metadata?.name !== `${names.plural}.${spec.group}`) {
    return `metadata.name: Invalid value: "${crd.metadata?.name}": must be spec.names.plural+"."+spec.group`;
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    return 'spec.scope: Unsupported value: supported values: "Cluster", "Namespaced"';
  }
  if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
    return 'spec.versions: Required value';
  }
  const types: ResourceType[] = [];
  for (const [i, version] of spec.versions.entries()) {
    if (typeof version?.name !== 'string' || !version.name) {
      return `spec.versions[${i}].name: Required value`;
    }
    if (!version.served) continue;
    types.push({
      group: spec.group,
      version: version.name,
      kind: names.kind,
      plural: names.plural,
      singular: names.singular,
      namespaced: spec.scope === 'Namespaced',
      shortNames: names.shortNames,
      categories: names.categories,
      statusSubresource: Boolean(version.subresources?.status),
      scale:
        typeof version.subresources?.scale?.specReplicasPath === 'string'
          ? version.subresources.scale
          : undefined,
      selectableFields: Array.isArray(version.selectableFields)
        ? version.selectableFields
            .map((f: any) => String(f?.jsonPath ?? '').replace(/^\./, ''))
            .filter(Boolean)
        : undefined,
      builtin: false,
      ...(version.schema?.openAPIV3Schema &&
      typeof version.schema.openAPIV3Schema === 'object'
        ? { schema: version.schema.openAPIV3Schema }
        : {}),
    });
  }
  return types;
}
