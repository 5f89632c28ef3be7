import { createHash } from 'node:crypto';
import type { ModelProblem, ResourceOfKind, Workload } from '@cellplane/backstage-plugin-common';
import type { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { DERIVED, fromCel, toCel } from './cel';
import { extractEndpointResources } from './endpointResources';
import { renderString, TemplateContext } from './engine';
import {
  fnv1a32Hex,
  generateKubernetesNameWithExtraHashInput,
  generateResourceName,
  kubernetesNamespaceFor,
  MAX_RESOURCE_NAME_LENGTH,
  remoteRefContentHash,
  RemoteReference,
  secretEnvsContentHash,
  sha256Hex8,
} from './names';

/**
 * Builds OpenChoreo's template context (`internal/pipeline/component/context`): metadata,
 * workload, configurations, dependencies, dataplane, environment and gateway, plus the
 * precomputed results of the helper macros.
 */

export type WorkloadSpec = Omit<Workload['spec'], 'owner'>;
type EnvVar = NonNullable<WorkloadSpec['container']['env']>[number];
type FileVar = NonNullable<WorkloadSpec['container']['files']>[number];
type DataPlaneEntry = ModelEntry<ResourceOfKind<'DataPlane'> | ResourceOfKind<'ClusterDataPlane'>>;

/** Labels of the 4 identifying keys OpenChoreo puts on everything it renders (UIDs left out). */
export function commonLabels(namespace: string, project: string, component: string, environment: string) {
  return {
    'openchoreo.dev/namespace': namespace,
    'openchoreo.dev/project': project,
    'openchoreo.dev/component': component,
    'openchoreo.dev/environment': environment,
  };
}

/**
 * A stable stand-in for the UIDs OpenChoreo's controllers read from the API server (a GitOps
 * repository has none): a UUID-shaped SHA-256 of kind, namespace and name.
 */
const uids = new Map<string, string>();

export function stableUid(kind: string, namespace: string, name: string): string {
  const key = `${kind}/${namespace}/${name}`;
  let uid = uids.get(key);
  if (uid === undefined) {
    uid = computeUid(key);
    if (uids.size > 100000) uids.clear();
    uids.set(key, uid);
  }
  return uid;
}

function computeUid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

type DataPlaneResource = ResourceOfKind<'DataPlane'> | ResourceOfKind<'ClusterDataPlane'>;

/**
 * The ClusterDataPlane `default` as OpenChoreo's installation registers it (the install guide's
 * "Register Data Plane" step): one external gateway `gateway-default` in `openchoreo-data-plane`
 * with an HTTP listener on 19080 for `openchoreoapis.localhost`, and the ClusterSecretStore
 * `default`. A repository written for OpenChoreo does not carry it.
 */
export const INSTALLED_DEFAULT_DATA_PLANE: ResourceOfKind<'ClusterDataPlane'> = {
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'ClusterDataPlane',
  metadata: { name: 'default' },
  spec: {
    planeID: 'default',
    secretStoreRef: { name: 'default' },
    gateway: {
      ingress: {
        external: {
          name: 'gateway-default',
          namespace: 'openchoreo-data-plane',
          http: { listenerName: 'http', port: 19080, host: 'openchoreoapis.localhost' },
        },
      },
    },
  },
};

/** The data plane of an environment, and whether Cellplane assumed OpenChoreo's installed default. */
export interface ResolvedDataPlane {
  kind: 'DataPlane' | 'ClusterDataPlane';
  name: string;
  /** The declaration in the repository, if any. */
  entry?: DataPlaneEntry;
  /** What the templates see: the declaration, or the installed default when `assumed`. */
  resource?: DataPlaneResource;
  /** No declaration: OpenChoreo's installed ClusterDataPlane `default` is assumed. */
  assumed?: boolean;
}

/**
 * The data plane an environment deploys to, as OpenChoreo's `GetDataPlaneOrClusterDataPlaneOfEnv`
 * resolves it: `dataPlaneRef`, else the DataPlane `default` of the namespace, else the
 * ClusterDataPlane `default`. OpenChoreo's installation creates the data plane `default`, so a
 * repository may reference it (or fall back to it) without declaring it: then it is assumed as
 * installed ({@link INSTALLED_DEFAULT_DATA_PLANE}), and {@link assumedDataPlaneProblems} says so.
 */
export function dataPlaneOf(
  model: RepositoryModel,
  environment: ResourceOfKind<'Environment'>,
  namespace: string,
): ResolvedDataPlane {
  const ref = environment.spec.dataPlaneRef;
  if (ref === undefined) {
    const local = model.get('DataPlane', 'default', namespace);
    if (local) return { kind: 'DataPlane', name: 'default', entry: local, resource: local.resource };
  }
  const { kind, name } = dataPlaneReference(ref);
  const entry = kind === 'ClusterDataPlane' ? model.get('ClusterDataPlane', name) : model.get('DataPlane', name, namespace);
  if (entry) return { kind, name, entry, resource: entry.resource };
  // OpenChoreo's installation registers the data plane `default` (a ClusterDataPlane; releases
  // before ClusterDataPlane registered a DataPlane `default`): a repository does not carry it.
  if (name === 'default') {
    const resource = kind === 'ClusterDataPlane' ? INSTALLED_DEFAULT_DATA_PLANE : { ...INSTALLED_DEFAULT_DATA_PLANE, kind };
    return { kind, name, resource: resource as DataPlaneResource, assumed: true };
  }
  return { kind, name };
}

/** The data plane an Environment names: the older plain name is a DataPlane; none falls back to ClusterDataPlane `default`. */
function dataPlaneReference(ref: ResourceOfKind<'Environment'>['spec']['dataPlaneRef']): Pick<ResolvedDataPlane, 'kind' | 'name'> {
  if (ref === undefined) return { kind: 'ClusterDataPlane', name: 'default' };
  return typeof ref === 'string' ? { kind: 'DataPlane', name: ref } : ref;
}

/**
 * One warning per Environment whose data plane is the assumed ClusterDataPlane `default`, naming
 * what was assumed: renders then go on instead of failing every binding of the environment.
 */
export function assumedDataPlaneProblems(model: RepositoryModel): ModelProblem[] {
  const problems: ModelProblem[] = [];
  for (const entry of model.list('Environment')) {
    const namespace = entry.namespace ?? entry.resource.metadata.namespace ?? 'default';
    const { kind, assumed } = dataPlaneOf(model, entry.resource, namespace);
    if (!assumed) continue;
    const how = entry.resource.spec.dataPlaneRef === undefined ? 'has no dataPlaneRef and' : `references the ${kind} default, but`;
    problems.push({
      severity: 'warning',
      file: entry.file,
      resource: { kind: 'Environment', name: entry.resource.metadata.name, namespace },
      field: 'spec.dataPlaneRef',
      message:
        `${how} the repository declares no DataPlane or ClusterDataPlane 'default'; rendered for the ${kind} ` +
        `'default' that OpenChoreo's installation creates: external gateway 'gateway-default' in namespace ` +
        `'openchoreo-data-plane' (listener 'http', port 19080, host 'openchoreoapis.localhost'), no internal gateway, ` +
        `ClusterSecretStore 'default', no cellplane.dev/ features. Declare the data plane to render for your cluster.`,
    });
  }
  return problems;
}

type Gateway = NonNullable<ResourceOfKind<'Environment'>['spec']['gateway']>;

/** `mergeGatewayData`: per direction and per network, the Environment wins over the DataPlane. */
export function mergeGateway(environment?: Gateway, dataPlane?: Gateway): Gateway | undefined {
  const out: Record<string, Record<string, unknown>> = {};
  for (const direction of ['ingress', 'egress'] as const) {
    for (const network of ['external', 'internal'] as const) {
      const value = environment?.[direction]?.[network] ?? dataPlane?.[direction]?.[network];
      if (value) (out[direction] ??= {})[network] = value;
    }
  }
  return Object.keys(out).length ? (out as Gateway) : undefined;
}

/** Workload overrides of a binding: env and files merged by key, later wins. */
export function applyWorkloadOverrides(
  workload: WorkloadSpec,
  overrides: ResourceOfKind<'ReleaseBinding'>['spec']['workloadOverrides'],
): WorkloadSpec {
  const container = overrides?.container;
  if (!container) return workload;
  const merge = <T extends { key: string }>(base: T[] | undefined, extra: T[] | undefined): T[] | undefined => {
    if (!extra?.length) return base;
    const out = [...(base ?? [])];
    for (const item of extra) {
      const at = out.findIndex(x => x.key === item.key);
      if (at >= 0) out[at] = item;
      else out.push(item);
    }
    return out;
  };
  return {
    ...workload,
    container: {
      ...workload.container,
      env: merge(workload.container.env, container.env),
      files: merge(workload.container.files, container.files),
    },
  };
}

type RemoteRef = RemoteReference;

function remoteRefOf(
  model: RepositoryModel,
  namespace: string,
  ref: { name: string; key: string },
): RemoteRef | undefined {
  const secret = model.get('SecretReference', ref.name, namespace);
  const data = secret?.resource.spec.data.find(d => d.secretKey === ref.key);
  if (!data) return undefined;
  const { key, property, version } = data.remoteRef;
  return { key, ...(property !== undefined ? { property } : {}), ...(version !== undefined ? { version } : {}) };
}

/** `configurations` and its helper results. */
export function buildConfigurations(
  model: RepositoryModel,
  namespace: string,
  prefix: string,
  workload: WorkloadSpec,
  warn: (field: string, message: string) => void,
) {
  const configs = { envs: [] as unknown[], files: [] as unknown[] };
  const secrets = { envs: [] as unknown[], files: [] as unknown[] };
  const resolve = (item: EnvVar | FileVar, field: string) => {
    const ref = item.valueFrom?.secretKeyRef;
    if (!ref) return undefined;
    const remoteRef = remoteRefOf(model, namespace, ref);
    if (!remoteRef) {
      warn(field, `secretKeyRef ${ref.name}/${ref.key} does not name a key of a SecretReference in namespace '${namespace}'; left out`);
    }
    return remoteRef;
  };
  (workload.container.env ?? []).forEach((env, index) => {
    if (env.value !== undefined) configs.envs.push({ name: env.key, value: env.value });
    else {
      const remoteRef = resolve(env, `spec.container.env[${index}]`);
      if (remoteRef) secrets.envs.push({ name: env.key, remoteRef });
    }
  });
  (workload.container.files ?? []).forEach((file, index) => {
    if (file.value !== undefined) configs.files.push({ name: file.key, mountPath: file.mountPath, value: file.value });
    else {
      const remoteRef = resolve(file, `spec.container.files[${index}]`);
      if (remoteRef) secrets.files.push({ name: file.key, mountPath: file.mountPath, remoteRef });
    }
  });

  const configEnvName = generateResourceName(prefix, 'env-configs');
  // Secret objects are named as OpenChoreo names them (derived.go): the hash covers the secret
  // references, so a changed reference is a new object with the same prefix.
  const secretEnvName = generateKubernetesNameWithExtraHashInput(
    MAX_RESOURCE_NAME_LENGTH,
    secretEnvsContentHash(secrets.envs as { name: string; remoteRef: RemoteRef }[]),
    prefix,
    'env-secrets',
  );
  const containerEnvFrom: unknown[] = [];
  if (configs.envs.length) containerEnvFrom.push({ configMapRef: { name: configEnvName } });
  if (secrets.envs.length) containerEnvFrom.push({ secretRef: { name: secretEnvName } });
  const fileName = (name: string) => name.split('.').join('-');
  const configFileList = (configs.files as { name: string; mountPath: string; value: string }[]).map(file => ({
    ...file,
    resourceName: generateResourceName(prefix, 'config', fileName(file.name)),
  }));
  const secretFileList = (secrets.files as { name: string; mountPath: string; remoteRef: RemoteRef }[]).map(file => ({
    ...file,
    resourceName: generateKubernetesNameWithExtraHashInput(
      MAX_RESOURCE_NAME_LENGTH,
      remoteRefContentHash(file.remoteRef),
      prefix,
      'secret',
      fileName(file.name),
    ),
  }));
  const mountName = (file: { mountPath: string; name: string }) => `file-mount-${fnv1a32Hex(`${file.mountPath}/${file.name}`)}`;
  const volumeMounts = [...configFileList, ...secretFileList].map(file => ({
    name: mountName(file),
    mountPath: `${file.mountPath}/${file.name}`,
    subPath: file.name,
  }));
  const volumes = new Map<string, unknown>();
  for (const file of configFileList) volumes.set(mountName(file), { name: mountName(file), configMap: { name: file.resourceName } });
  for (const file of secretFileList) volumes.set(mountName(file), { name: mountName(file), secret: { secretName: file.resourceName } });

  // Only strings inside: these are CEL values as they are.
  const configurations: Record<string | symbol, unknown> = { configs, secrets };
  configurations[DERIVED] = {
    containerEnvFrom,
    configEnvs: configs.envs.length ? [{ resourceName: configEnvName, envs: configs.envs }] : [],
    secretEnvs: secrets.envs.length ? [{ resourceName: secretEnvName, envs: secrets.envs }] : [],
    configFileList,
    secretFileList,
    volumeMounts,
    volumes: [...volumes.keys()].sort().map(k => volumes.get(k)),
  };
  return configurations;
}

/** `sanitizePortName`: lower-case alnum and '-', at most 15 characters. */
function sanitizePortName(name: string): string {
  return name
    .toLowerCase()
    .replace(/_/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/^-+|-+$/g, '')
    .slice(0, 15)
    .replace(/-+$/, '');
}

function uniquePortName(base: string, used: Set<string>): string {
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 15 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!used.has(candidate)) return candidate;
    if (n > 1000) return `p-${n}`;
  }
}

type Endpoints = NonNullable<WorkloadSpec['endpoints']>;

/** `workload.toServicePorts()`: one port per distinct port/protocol, endpoints by name. */
export function servicePorts(endpoints: Endpoints) {
  const seen = new Set<string>();
  const used = new Set<string>();
  const out: { name: string; port: number; targetPort: number; protocol: string }[] = [];
  for (const name of Object.keys(endpoints).sort()) {
    const ep = endpoints[name];
    const protocol = ep.type === 'UDP' ? 'UDP' : 'TCP';
    if (seen.has(`${ep.port}/${protocol}`)) continue;
    seen.add(`${ep.port}/${protocol}`);
    const portName = uniquePortName(sanitizePortName(name) || `port-${ep.port}`, used);
    used.add(portName);
    out.push({ name: portName, port: ep.port, targetPort: ep.targetPort ?? ep.port, protocol });
  }
  return out;
}

/** `workload.toContainerPorts()`: one per distinct container port/protocol. */
export function containerPorts(endpoints: Endpoints) {
  const seen = new Set<string>();
  const used = new Set<string>();
  const out: { name: string; containerPort: number; protocol: string }[] = [];
  for (const name of Object.keys(endpoints).sort()) {
    const ep = endpoints[name];
    const containerPort = ep.targetPort ?? ep.port;
    const protocol = ep.type === 'UDP' ? 'UDP' : 'TCP';
    if (seen.has(`${containerPort}/${protocol}`)) continue;
    seen.add(`${containerPort}/${protocol}`);
    let base = sanitizePortName(name);
    if (!/[a-z]/.test(base)) base = `port-${containerPort}`;
    const portName = uniquePortName(base, used);
    used.add(portName);
    out.push({ name: portName, containerPort, protocol });
  }
  return out;
}

/** Why an endpoint's schema gave no routes, per endpoint name (`workload.toEndpointResources()`). */
export const ENDPOINT_SCHEMA_NOTES = Symbol('cellplane.endpointSchemaNotes');

/**
 * `workload`: container and endpoints (visibility always starts with `project`). Each endpoint
 * carries `resources`, the routes of its API schema (OpenChoreo's form before the
 * `toEndpointResources()` macro, still used by its gRPC sample), and the derived results of the
 * helper macros, `endpointResources` keyed by endpoint name with only the endpoints that have
 * routes, as OpenChoreo's `ExtractEndpointResources` builds it.
 */
export function buildWorkload(workload: WorkloadSpec) {
  const { image, command, args } = workload.container;
  const endpoints: Record<string, unknown> = {};
  const endpointResources: Record<string, unknown> = {};
  const notes: Record<string, string> = {};
  const source = workload.endpoints ?? {};
  for (const name of Object.keys(source)) {
    const ep = source[name];
    const routes = extractEndpointResources(ep.type, ep.schema);
    if (routes.note) notes[name] = routes.note;
    if (routes.resources.length > 0) endpointResources[name] = routes.resources;
    endpoints[name] = {
      ...(ep.displayName !== undefined ? { displayName: ep.displayName } : {}),
      port: ep.port,
      targetPort: ep.targetPort ?? ep.port,
      type: ep.type,
      ...(ep.basePath !== undefined ? { basePath: ep.basePath } : {}),
      visibility: ['project', ...(ep.visibility ?? []).filter(v => v !== 'project')],
      resources: routes.resources,
    };
  }
  const out: Record<string | symbol, unknown> = toCel({
    container: { image, ...(command ? { command } : {}), ...(args ? { args } : {}) },
    endpoints,
  }) as Record<string, unknown>;
  out[DERIVED] = toCel({ servicePorts: servicePorts(source), containerPorts: containerPorts(source), endpointResources });
  out[ENDPOINT_SCHEMA_NOTES] = notes;
  return out;
}

const SCHEMES: Record<string, string> = { HTTP: 'http', GraphQL: 'http', Websocket: 'ws' };

/** The in-cluster address of a component's endpoint in an environment. */
export function endpointAddress(
  namespace: string,
  project: string,
  component: string,
  environment: string,
  endpoint: NonNullable<WorkloadSpec['endpoints']>[string],
) {
  const host = `${component}.${kubernetesNamespaceFor(namespace, project, environment)}.svc.cluster.local`;
  const port = String(endpoint.port);
  const basePath = endpoint.basePath ?? '';
  const scheme = SCHEMES[endpoint.type];
  const address = scheme ? `${scheme}://${host}:${port}${basePath}` : `${host}:${port}`;
  return { host, port, basePath, address };
}

interface ResourceOutputs {
  kind: string;
  values: Record<string, { value?: string; secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } }>;
}

/** `dependencies`: endpoint connections and resource outputs as env vars, mounts and volumes. */
export function buildDependencies(
  model: RepositoryModel,
  namespace: string,
  project: string,
  environment: string,
  workload: WorkloadSpec,
  resourceOutputs: (resourceName: string) => ResourceOutputs | string,
  warn: (field: string, message: string) => void,
) {
  const items: unknown[] = [];
  (workload.dependencies?.endpoints ?? []).forEach((dep, index) => {
    const targetNamespace = dep.namespace ?? namespace;
    const targetProject = dep.project ?? project;
    const target = model.workload(targetNamespace, dep.component);
    const endpoint = target?.resource.spec.endpoints?.[dep.name];
    if (!target || !endpoint || target.resource.spec.owner.projectName !== targetProject) {
      warn(
        `spec.dependencies.endpoints[${index}]`,
        `endpoint '${dep.name}' of component ${targetProject}/${dep.component} does not exist; its connection env vars are left out`,
      );
      return;
    }
    const where = endpointAddress(targetNamespace, targetProject, dep.component, environment, endpoint);
    const envVars = (['address', 'host', 'port', 'basePath'] as const)
      .filter(key => dep.envBindings[key])
      .map(key => ({ name: dep.envBindings[key]!, value: where[key] }));
    items.push({
      namespace: targetNamespace,
      project: targetProject,
      component: dep.component,
      endpoint: dep.name,
      visibility: dep.visibility,
      envVars,
    });
  });

  const resources: { ref: string; envVars: unknown[]; volumeMounts: unknown[]; volumes: unknown[] }[] = [];
  (workload.dependencies?.resources ?? []).forEach((dep, index) => {
    const outputs = resourceOutputs(dep.ref);
    if (typeof outputs === 'string') {
      warn(`spec.dependencies.resources[${index}]`, `${outputs}; its env vars are left out`);
      return;
    }
    const envVars: unknown[] = [];
    for (const [output, envName] of Object.entries(dep.envBindings ?? {})) {
      const value = outputs.values[output];
      if (!value) {
        warn(`spec.dependencies.resources[${index}].envBindings.${output}`, `resource '${dep.ref}' has no output '${output}'`);
        continue;
      }
      if (value.value !== undefined) envVars.push({ name: envName, value: value.value });
      else if (value.secretKeyRef) envVars.push({ name: envName, valueFrom: { secretKeyRef: value.secretKeyRef } });
      else if (value.configMapKeyRef) envVars.push({ name: envName, valueFrom: { configMapKeyRef: value.configMapKeyRef } });
    }
    const volumeMounts: unknown[] = [];
    const volumes = new Map<string, unknown>();
    for (const [output, mountPath] of Object.entries(dep.fileBindings ?? {})) {
      const value = outputs.values[output];
      const ref = value?.secretKeyRef ?? value?.configMapKeyRef;
      if (!value || !ref) {
        warn(
          `spec.dependencies.resources[${index}].fileBindings.${output}`,
          `resource '${dep.ref}' has no secretKeyRef or configMapKeyRef output '${output}' to mount`,
        );
        continue;
      }
      const kind = value.secretKeyRef ? 'Secret' : 'ConfigMap';
      const volumeName = `r-${fnv1a32Hex(`${dep.ref}:${kind}:${ref.name}`)}`;
      volumes.set(volumeName, {
        name: volumeName,
        ...(kind === 'Secret' ? { secret: { secretName: ref.name } } : { configMap: { name: ref.name } }),
      });
      volumeMounts.push({ name: volumeName, mountPath, subPath: ref.key });
    }
    resources.push({ ref: dep.ref, envVars, volumeMounts, volumes: [...volumes.values()] });
  });

  const envVars = [...items.flatMap((i: any) => i.envVars), ...resources.flatMap(r => r.envVars)];
  const volumeMounts = resources.flatMap(r => r.volumeMounts);
  const volumes = resources.flatMap(r => r.volumes);
  // Only strings inside: these are CEL values as they are.
  const dependencies: Record<string | symbol, unknown> = { items, resources, envVars, volumeMounts, volumes };
  dependencies[DERIVED] = { envVars, volumeMounts, volumes };
  return dependencies;
}

/**
 * `environment.defaultNotificationChannel`: the name of the environment's default
 * ObservabilityAlertsNotificationChannel (`spec.environment` names it and `spec.isEnvDefault` is
 * true), where alert rules that name no channel send; the first by name if several claim it.
 */
export function defaultNotificationChannelOf(model: RepositoryModel, namespace: string, environment: string): string | undefined {
  return model
    .list('ObservabilityAlertsNotificationChannel', namespace)
    .filter(channel => channel.resource.spec.environment === environment && channel.resource.spec.isEnvDefault === true)
    .map(channel => channel.resource.metadata.name)
    .sort()[0];
}

/** `dataplane`, `environment` (with its gateway and default notification channel) and `gateway`. */
export function buildPlaneContext(
  environment: ResourceOfKind<'Environment'>,
  dp: DataPlaneResource | undefined,
  defaultNotificationChannel?: string,
): TemplateContext {
  const gateway = mergeGateway(environment.spec.gateway, dp?.spec.gateway);
  const observabilityRef = dp?.spec.observabilityPlaneRef;
  const dataplane = {
    ...(dp?.spec.secretStoreRef ? { secretStore: dp.spec.secretStoreRef.name } : {}),
    ...(dp?.spec.gateway ? { gateway: dp.spec.gateway } : {}),
    ...(observabilityRef
      ? {
          observabilityPlaneRef:
            typeof observabilityRef === 'string' ? { kind: 'ObservabilityPlane', name: observabilityRef } : observabilityRef,
        }
      : {}),
    ...(dp?.metadata.annotations ? { annotations: dp.metadata.annotations } : {}),
  };
  const out: Record<string, unknown> = {
    dataplane: toCel(dataplane),
    environment: toCel({
      ...(gateway ? { gateway } : {}),
      ...(defaultNotificationChannel ? { defaultNotificationChannel } : {}),
    }),
  };
  if (gateway) out.gateway = toCel(gateway);
  return out;
}

/** Renders the outputs of a ResourceType with its context (`${metadata.name}` etc.). */
export function renderOutputs(
  outputs: NonNullable<ResourceOfKind<'ResourceType'>['spec']['outputs']>,
  context: TemplateContext,
): ResourceOutputs['values'] {
  const values: ResourceOutputs['values'] = {};
  outputs.forEach((output, index) => {
    const path = `spec.outputs[${index}]`;
    const text = (v: string, field: string) => String(fromCel(toCel(renderString(v, context, `${path}.${field}`))));
    if (output.value !== undefined) values[output.name] = { value: text(output.value, 'value') };
    else if (output.secretKeyRef) {
      values[output.name] = {
        secretKeyRef: { name: text(output.secretKeyRef.name, 'secretKeyRef.name'), key: text(output.secretKeyRef.key, 'secretKeyRef.key') },
      };
    } else if (output.configMapKeyRef) {
      values[output.name] = {
        configMapKeyRef: {
          name: text(output.configMapKeyRef.name, 'configMapKeyRef.name'),
          key: text(output.configMapKeyRef.key, 'configMapKeyRef.key'),
        },
      };
    }
  });
  return values;
}

export { sha256Hex8 };
