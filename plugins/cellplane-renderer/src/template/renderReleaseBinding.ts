import { createHash } from 'node:crypto';
import {
  ModelProblem,
  OPENCHOREO_LABELS,
  ResourceOfKind,
  traitKindIn,
} from '@cellplane/backstage-plugin-common';
import type { ModelEntry, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { canonicalJson, fromCel, toCel } from './cel';
import {
  applyWorkloadOverrides,
  buildConfigurations,
  buildDependencies,
  buildPlaneContext,
  buildWorkload,
  commonLabels,
  dataPlaneOf,
  defaultNotificationChannelOf,
  ENDPOINT_SCHEMA_NOTES,
  renderOutputs,
  ResolvedDataPlane,
  stableUid,
  WorkloadSpec,
} from './context';
import {
  renderCondition,
  renderForEach,
  renderString,
  renderTemplate,
  TemplateContext,
  TemplateError,
  withVariable,
} from './engine';
import { generateResourceName, kubernetesNamespaceFor, sha256Hex8 } from './names';
import { addImagePullSecrets, ImagePullSecrets, imagePullSecretsOf } from './imagePullSecrets';
import { applyPatch } from './patch';
import { retainObjects } from './retain';
import { compileSchemaSection } from './schema';
import {
  BindingRenderResult,
  BindingRenderTarget,
  RELEASE_HASH_KEY,
  RELEASE_NAME_ANNOTATION,
  RenderedObject,
  TARGET_PLANE_ANNOTATION,
} from './types';

type ComponentTypeSpec = ResourceOfKind<'ComponentType'>['spec'];
type TraitSpec = ResourceOfKind<'Trait'>['spec'];
type ResourceTypeSpec = ResourceOfKind<'ResourceType'>['spec'];
type TraitKind = 'Trait' | 'ClusterTrait';
type ValidationRule = { rule: string; message: string };

/*
 * The steps below are exported for renderProjectReleaseBinding.ts, which renders a project's
 * type the same way; the package exports only the render functions.
 */

/** Stops a render; carries the problems that explain why. */
export class RenderStop extends Error {
  constructor(readonly problems: Omit<ModelProblem, 'file' | 'resource' | 'severity'>[]) {
    super(problems.map(p => p.message).join('; '));
  }
}

export interface Rendered {
  object: Record<string, unknown>;
  plane: 'dataplane' | 'observabilityplane';
}

/** Where a template lives, for messages: `ClusterComponentType service`, `ClusterTrait hpa (instance x)`. */
export interface Origin {
  label: string;
}

export function stop(origin: Origin, field: string, message: string): never {
  throw new RenderStop([{ field, message: `${origin.label}: ${message}` }]);
}

/** Runs `fn`, turning template errors into a RenderStop naming the origin. */
export function guarded<T>(origin: Origin, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TemplateError) {
      const detail = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
      throw new RenderStop([{ field: error.path, message: `${origin.label}: ${detail}` }]);
    }
    throw error;
  }
}

const modelCaches = new WeakMap<RepositoryModel, Map<string, unknown>>();
/**
 * Per-model memo for what many bindings share (plane contexts, resource outputs). The model is
 * read-only, and cached CEL values are never modified (rendering copies what it keeps).
 */
function memo<T>(model: RepositoryModel, key: string, compute: () => T): T {
  let cache = modelCaches.get(model);
  if (!cache) {
    cache = new Map();
    modelCaches.set(model, cache);
  }
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  cache.set(key, value);
  return value;
}

const workloadContexts = new WeakMap<object, Record<string | symbol, unknown>>();
/** `workload` depends on the container and endpoints only, which overrides never change. */
function workloadContext(workload: WorkloadSpec) {
  let hit = workloadContexts.get(workload);
  if (!hit) {
    hit = buildWorkload(workload);
    workloadContexts.set(workload, hit);
  }
  return hit;
}

const specHashes = new WeakMap<object, string>();
/** Hash of a (large, shared) spec object, computed once per object. */
export function hashOf(value: unknown): string {
  if (value && typeof value === 'object') {
    let hit = specHashes.get(value);
    if (!hit) {
      hit = createHash('sha256').update(canonicalJson(value)).digest('hex');
      specHashes.set(value, hit);
    }
    return hit;
  }
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function evaluateRules(rules: ValidationRule[] | undefined, context: TemplateContext, base: string, origin: Origin) {
  const failures: { field: string; message: string }[] = [];
  (rules ?? []).forEach((rule, index) => {
    const field = `${base}[${index}].rule`;
    try {
      if (!renderCondition(rule.rule, context, field, 'rule')) {
        failures.push({ field, message: `${origin.label}: rule ${rule.rule} evaluated to false: ${rule.message}` });
      }
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const detail = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
      failures.push({ field, message: `${origin.label}: ${detail}` });
    }
  });
  if (failures.length) throw new RenderStop(failures);
}

export function applySchema(
  section: { openAPIV3Schema?: Record<string, unknown> } | undefined,
  values: unknown,
  what: string,
  field: string,
  origin: Origin,
): TemplateContext {
  let compiled;
  try {
    compiled = compileSchemaSection(section);
  } catch (error) {
    return stop(origin, what, String(error instanceof Error ? error.message : error));
  }
  const result = compiled.apply(values);
  if (result.errors.length) {
    throw new RenderStop(
      result.errors.map(message => ({ field, message: `${origin.label}: ${what} validation failed: ${message}` })),
    );
  }
  return toCel(result.values) as TemplateContext;
}

export interface TemplatedObject {
  includeWhen?: string;
  forEach?: string;
  var?: string;
  template: Record<string, unknown>;
  targetPlane?: 'dataplane' | 'observabilityplane';
}

/** includeWhen → forEach → render, for a ComponentType resource or a trait `creates` entry. */
export function renderTemplatedObjects(entry: TemplatedObject, context: TemplateContext, base: string, out: Rendered[]) {
  if (entry.includeWhen && !renderCondition(entry.includeWhen, context, `${base}.includeWhen`, 'includeWhen')) return;
  const contexts = entry.forEach
    ? renderForEach(entry.forEach, context, `${base}.forEach`).map(item => withVariable(context, entry.var ?? 'item', item))
    : [context];
  for (const ctx of contexts) {
    const object = renderTemplate(entry.template, ctx, `${base}.template`);
    if (!object || typeof object !== 'object' || Array.isArray(object)) {
      throw new TemplateError(`${base}.template: template must render to object`, `${base}.template`);
    }
    out.push({ object: object as Record<string, unknown>, plane: entry.targetPlane ?? 'dataplane' });
  }
}

function groupVersion(apiVersion: unknown): [string, string] {
  const text = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = text.indexOf('/');
  return slash < 0 ? ['', text] : [text.slice(0, slash), text.slice(slash + 1)];
}

interface Target {
  group: string;
  version: string;
  kind: string;
  where?: string;
}

function findTargets(
  resources: Rendered[],
  target: Target,
  plane: string | undefined,
  context: TemplateContext,
  field: string,
): Rendered[] {
  return resources.filter(r => {
    if (plane && r.plane !== plane) return false;
    if (target.kind && r.object.kind !== target.kind) return false;
    const [group, version] = groupVersion(r.object.apiVersion);
    // The CRD requires group ('' for the core group), version and kind: exact match.
    if (group !== (target.group ?? '') || (target.version && version !== target.version)) return false;
    if (!target.where) return true;
    return renderCondition(target.where, { ...context, resource: toCel(r.object) }, field, 'where clause');
  });
}

const MAX_PATCH_OPERATIONS = 10000;

interface TraitInstance {
  kind: TraitKind;
  name: string;
  instanceName: string;
  parameters: unknown;
  environmentConfigs: unknown;
  spec: TraitSpec;
  embedded: boolean;
}

/** `validations` (deprecated) or `preRenderValidations`: the CRD allows only one of them. */
function preRenderRules(spec: { validations?: ValidationRule[]; preRenderValidations?: ValidationRule[] }) {
  return spec.validations?.length
    ? { rules: spec.validations, field: 'spec.validations' }
    : { rules: spec.preRenderValidations, field: 'spec.preRenderValidations' };
}

/** Applies one trait; returns its context and origin for its post-render rules. */
function applyTrait(
  trait: TraitInstance,
  baseContext: TemplateContext,
  resources: Rendered[],
  bindingOrigin: string,
): { context: TemplateContext; origin: Origin } {
  const origin: Origin = { label: `${trait.kind} ${trait.name} (instance '${trait.instanceName}')` };
  const spec = trait.spec;
  const parameters = applySchema(spec.parameters, trait.parameters, 'parameters', `spec.traits.${trait.instanceName}.parameters`, origin);
  const environmentConfigs = applySchema(
    spec.environmentConfigs,
    trait.environmentConfigs,
    'environmentConfigs',
    trait.embedded ? `spec.traits.${trait.instanceName}.environmentConfigs` : `${bindingOrigin}.${trait.instanceName}`,
    origin,
  );
  const context: TemplateContext = {
    ...baseContext,
    parameters,
    environmentConfigs,
    trait: { name: trait.name, instanceName: trait.instanceName },
  };
  const pre = preRenderRules(spec);
  evaluateRules(pre.rules, context, pre.field, origin);
  guarded(origin, () => {
    (spec.creates ?? []).forEach((create, index) =>
      renderTemplatedObjects(create as TemplatedObject, context, `spec.creates[${index}]`, resources),
    );
    let operations = 0;
    (spec.patches ?? []).forEach((patch, index) => {
      const base = `spec.patches[${index}]`;
      const contexts = patch.forEach
        ? renderForEach(patch.forEach, context, `${base}.forEach`).map(item => withVariable(context, patch.var ?? 'item', item))
        : [context];
      for (const ctx of contexts) {
        const targets = findTargets(resources, patch.target, patch.targetPlane, ctx, `${base}.target.where`);
        if (targets.length === 0) continue;
        const ops = patch.operations.map((op, opIndex) => {
          const path = renderString(op.path, ctx, `${base}.operations[${opIndex}].path`);
          if (typeof path !== 'string') {
            throw new TemplateError(`${base}.operations[${opIndex}].path: path must render to a string`, `${base}.operations[${opIndex}].path`);
          }
          return {
            op: op.op,
            path,
            value: op.op === 'remove' ? undefined : renderTemplate(op.value, ctx, `${base}.operations[${opIndex}].value`),
          };
        });
        operations += ops.length * targets.length;
        if (operations > MAX_PATCH_OPERATIONS) {
          throw new TemplateError(`${base}: more than ${MAX_PATCH_OPERATIONS} patch operations in one render`, base);
        }
        for (const target of targets) {
          try {
            applyPatch(target.object, ops);
          } catch (error) {
            throw new TemplateError(
              `${base}.operations: patching ${String(target.object.kind)} ${String((target.object.metadata as any)?.name)} failed: ${
                error instanceof Error ? error.message : String(error)
              }`,
              `${base}.operations`,
            );
          }
        }
      }
    });
    (spec.removes ?? []).forEach((remove, index) => {
      const base = `spec.removes[${index}]`;
      const contexts = remove.forEach
        ? renderForEach(remove.forEach, context, `${base}.forEach`).map(item => withVariable(context, remove.var ?? 'item', item))
        : [context];
      for (const ctx of contexts) {
        const targets = new Set(findTargets(resources, remove.target, remove.targetPlane, ctx, `${base}.target.where`));
        for (let i = resources.length - 1; i >= 0; i--) if (targets.has(resources[i])) resources.splice(i, 1);
      }
    });
  });
  return { context, origin };
}

function evaluatePostRenderRules(
  rules: ComponentTypeSpec['postRenderValidations'],
  context: TemplateContext,
  resources: Rendered[],
  origin: Origin,
) {
  const failures: { field: string; message: string }[] = [];
  (rules ?? []).forEach((rule, index) => {
    const base = `spec.postRenderValidations[${index}]`;
    try {
      if (rule.when && !renderCondition(rule.when, context, `${base}.when`, 'when')) return;
      const contexts = rule.forEach
        ? renderForEach(rule.forEach, context, `${base}.forEach`).map(item => withVariable(context, rule.var ?? 'item', item))
        : [context];
      for (const ctx of contexts) {
        const targets = findTargets(resources, rule.target, undefined, ctx, `${base}.target.where`);
        if (targets.length === 0 && rule.target.mustMatch !== false) {
          failures.push({ field: `${base}.target`, message: `${origin.label}: no ${rule.target.kind} matched: ${rule.message}` });
        }
        for (const target of targets) {
          const ok = renderCondition(rule.rule, { ...ctx, resource: toCel(target.object) }, `${base}.rule`, 'rule');
          if (!ok) {
            const name = (target.object.metadata as { name?: string } | undefined)?.name;
            failures.push({
              field: `${base}.rule`,
              message: `${origin.label}: rule ${rule.rule} evaluated to false for ${rule.target.kind} ${name}: ${rule.message}`,
            });
          }
        }
      }
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const detail = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
      failures.push({ field: error.path, message: `${origin.label}: ${detail}` });
    }
  });
  if (failures.length) throw new RenderStop(failures);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Labels, the release hash, shape checks and a deterministic order. */
export function finish(
  resources: Rendered[],
  platformLabels: Record<string, string>,
  stamp: Record<string, string>,
  releaseHash: string,
  workloadType: string | undefined,
  origin: Origin,
): RenderedObject[] {
  const objects: RenderedObject[] = [];
  resources.forEach(({ object, plane }, index) => {
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    if (typeof object.apiVersion !== 'string' || !object.apiVersion || typeof object.kind !== 'string' || !object.kind) {
      stop(origin, `resources[${index}]`, 'a rendered object has no apiVersion or kind');
    }
    if (typeof metadata.name !== 'string' || !metadata.name) {
      stop(origin, `resources[${index}]`, `the rendered ${object.kind} has no metadata.name`);
    }
    const labels = isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
    const annotations = isRecord(metadata.annotations) ? (metadata.annotations as Record<string, string>) : {};
    metadata.labels = { ...labels, ...platformLabels, ...stamp };
    metadata.annotations = {
      ...annotations,
      [RELEASE_HASH_KEY]: releaseHash,
      ...(plane === 'observabilityplane' ? { [TARGET_PLANE_ANNOTATION]: plane } : {}),
    };
    object.metadata = metadata;
    objects.push(object as RenderedObject);
  });

  // OpenChoreo rolls the pods when their ConfigMaps/Secrets change: the pod template of the
  // primary workload carries a hash of every other data-plane object.
  if (workloadType === 'deployment' || workloadType === 'statefulset') {
    const kind = workloadType === 'deployment' ? 'Deployment' : 'StatefulSet';
    const primary = objects.find(o => o.kind === kind && groupVersion(o.apiVersion)[0] === 'apps');
    const podMeta = (primary as any)?.spec?.template;
    if (podMeta && isRecord(podMeta)) {
      const others = objects
        .filter((o, i) => o !== primary && resources[i].plane === 'dataplane')
        .map(({ metadata: _m, ...rest }) => rest);
      // Rendering is deterministic, so plain JSON (template key order) is stable here.
      const hash = sha256Hex8(JSON.stringify(others));
      const meta = isRecord(podMeta.metadata) ? podMeta.metadata : (podMeta.metadata = {});
      meta.annotations = { ...(isRecord(meta.annotations) ? meta.annotations : {}), 'openchoreo.dev/dp-resource-hash': hash };
    }
  }
  const key = (o: RenderedObject) => [o.kind, o.apiVersion, o.metadata.namespace ?? '', o.metadata.name];
  return objects.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

interface ResolvedBinding {
  typeKind: 'ComponentType' | 'ClusterComponentType';
  typeName: string;
  typeSpec: ComponentTypeSpec;
  parameters: unknown;
  traits: { kind?: TraitKind; name: string; instanceName: string; parameters?: unknown }[];
  traitSpec: (kind: TraitKind, name: string) => TraitSpec | undefined;
  liveTraitSpec?: (kind: TraitKind, name: string) => TraitSpec | undefined;
  workload: WorkloadSpec;
}

/**
 * The release a binding pins (its `field`): it must exist in the binding's namespace and be its
 * owner's (`notOwn` says whose it is instead), else the binding stops naming the field. What each
 * binding kind then renders from the snapshot is its own.
 */
export function pinnedRelease<K extends ReleaseKind>(
  model: RepositoryModel,
  binding: Origin,
  kind: K,
  name: string,
  namespace: string,
  field: string,
  notOwn: (spec: ReleaseSpec<K>) => string | undefined,
): ReleaseSpec<K> {
  const release = model.get(kind, name, namespace);
  if (!release) stop(binding, field, `${kind} '${name}' does not exist in namespace '${namespace}'`);
  const spec = (release.resource as unknown as { spec: ReleaseSpec<K> }).spec;
  const whose = notOwn(spec);
  if (whose) stop(binding, field, `${kind} '${name}' ${whose}`);
  return spec;
}

type ReleaseKind = 'ComponentRelease' | 'ResourceRelease' | 'ProjectRelease';
type ReleaseSpec<K extends ReleaseKind> = ResourceOfKind<K> extends { spec: infer S } ? S : never;

function resolveInputs(
  model: RepositoryModel,
  binding: ResourceOfKind<'ReleaseBinding'>,
  namespace: string,
): ResolvedBinding {
  const none: Origin = { label: 'ReleaseBinding' };
  const componentName = binding.spec.owner.componentName;
  if (binding.spec.releaseName) {
    const spec = pinnedRelease(model, none, 'ComponentRelease', binding.spec.releaseName, namespace, 'spec.releaseName', s =>
      s.owner.componentName === componentName ? undefined : `belongs to component '${s.owner.componentName}', not '${componentName}'`,
    );
    return {
      typeKind: spec.componentType.kind,
      typeName: spec.componentType.name,
      typeSpec: spec.componentType.spec as ComponentTypeSpec,
      parameters: spec.componentProfile?.parameters,
      traits: spec.componentProfile?.traits ?? [],
      traitSpec: (kind, name) => spec.traits?.find(t => t.kind === kind && t.name === name)?.spec as TraitSpec | undefined,
      // A snapshot lists the traits its component attaches; the ComponentType's embedded traits
      // come from the model when the snapshot does not carry them.
      liveTraitSpec: (kind, name) =>
        (kind === 'ClusterTrait' ? model.get('ClusterTrait', name) : model.get('Trait', name, namespace))?.resource.spec,
      workload: spec.workload,
    };
  }
  const component = model.get('Component', componentName, namespace);
  if (!component) stop(none, 'spec.owner.componentName', `component '${componentName}' does not exist in namespace '${namespace}'`);
  const type = model.componentTypeOf(component.resource, namespace);
  const ref = component.resource.spec.componentType;
  const typeName = typeof ref === 'string' ? ref : ref.name;
  const typeKind = typeof ref === 'string' ? 'ComponentType' : ref.kind ?? 'ComponentType';
  if (!type) stop(none, 'spec.owner.componentName', `the ${typeKind} '${typeName}' of component '${componentName}' does not exist`);
  const workload = model.workload(namespace, componentName);
  if (!workload) stop(none, 'spec.owner.componentName', `component '${componentName}' has no Workload`);
  return {
    typeKind,
    typeName,
    typeSpec: type.resource.spec as ComponentTypeSpec,
    parameters: component.resource.spec.parameters,
    traits: component.resource.spec.traits ?? [],
    traitSpec: (kind, name) =>
      (kind === 'ClusterTrait' ? model.get('ClusterTrait', name) : model.get('Trait', name, namespace))?.resource.spec,
    // The spec object itself (its owner is ignored): its identity keys the per-workload caches.
    workload: workload.resource.spec,
  };
}

/**
 * Whether the type allows a trait. An entry without `kind` means a ClusterTrait in a
 * ClusterComponentType and a Trait in a ComponentType (`traitKindIn`, the CRDs' defaults); the
 * older plain-name form matches a trait of either kind.
 */
function allowed(inputs: ResolvedBinding, kind: TraitKind, name: string): boolean {
  return (inputs.typeSpec.allowedTraits ?? []).some(entry =>
    typeof entry === 'string' ? entry === name : entry.name === name && traitKindIn(inputs.typeKind, entry) === kind,
  );
}

interface PlaneResolution {
  environment: ResourceOfKind<'Environment'>;
  dataPlane: ResolvedDataPlane;
}

/** The environment and data plane a binding (named by `bindingKind` in messages) deploys to. */
export function resolvePlane(
  model: RepositoryModel,
  environmentName: string,
  namespace: string,
  bindingKind: 'ReleaseBinding' | 'ResourceReleaseBinding' | 'ProjectReleaseBinding',
): PlaneResolution {
  const none: Origin = { label: bindingKind };
  const environment = model.get('Environment', environmentName, namespace);
  if (!environment) stop(none, 'spec.environment', `environment '${environmentName}' does not exist in namespace '${namespace}'`);
  const dataPlane = dataPlaneOf(model, environment.resource, namespace);
  if (!dataPlane.resource) {
    stop(none, 'spec.environment', `the ${dataPlane.kind} '${dataPlane.name}' of environment '${environmentName}' does not exist`);
  }
  return { environment: environment.resource, dataPlane };
}

/** `dataplane`, `environment` and `gateway` of an environment, built once per model. */
export function planeContext(model: RepositoryModel, namespace: string, environmentName: string, plane: PlaneResolution) {
  return memo(model, `plane\u0000${namespace}\u0000${environmentName}`, () =>
    buildPlaneContext(plane.environment, plane.dataPlane.resource, defaultNotificationChannelOf(model, namespace, environmentName)),
  );
}

/** The context of a Resource in an environment (for its ResourceType and its outputs). */
function resourceContext(
  model: RepositoryModel,
  namespace: string,
  inputs: ResourceInputs,
  environmentName: string,
  environmentConfigs: unknown,
  origin: Origin,
): TemplateContext {
  const { environment, dataPlane } = resolvePlane(model, environmentName, namespace, 'ResourceReleaseBinding');
  const { project, name, typeSpec } = inputs;
  const labels = {
    'openchoreo.dev/namespace': namespace,
    'openchoreo.dev/project': project,
    'openchoreo.dev/environment': environmentName,
  };
  return {
    metadata: toCel({
      name: generateResourceName(name, environmentName),
      namespace: kubernetesNamespaceFor(namespace, project, environmentName),
      resourceName: name,
      resourceNamespace: namespace,
      projectName: project,
      environmentName,
      dataPlaneName: dataPlane.name,
      labels,
      annotations: {},
    }),
    parameters: applySchema(typeSpec.parameters, inputs.parameters, 'parameters', 'spec.parameters', origin),
    environmentConfigs: applySchema(
      typeSpec.environmentConfigs,
      environmentConfigs,
      'environmentConfigs',
      'spec.resourceTypeEnvironmentConfigs',
      origin,
    ),
    ...planeContext(model, namespace, environmentName, { environment, dataPlane }),
  };
}

/** What a ResourceReleaseBinding renders from: its ResourceRelease's snapshot, or the live Resource and type. */
interface ResourceInputs {
  name: string;
  project: string;
  typeKind: 'ResourceType' | 'ClusterResourceType';
  typeName: string;
  typeSpec: ResourceTypeSpec;
  parameters: unknown;
}

/**
 * The type and parameters of a ResourceReleaseBinding: the ResourceRelease it pins
 * (`spec.resourceRelease`, as OpenChoreo renders from `buildResourceTypeFromRelease` and
 * `buildResourceFromRelease`), else the live Resource and its (Cluster)ResourceType. The Resource
 * itself must exist either way, as in OpenChoreo.
 */
function resolveResourceInputs(
  model: RepositoryModel,
  binding: ResourceOfKind<'ResourceReleaseBinding'>,
  namespace: string,
): ResourceInputs {
  const none: Origin = { label: 'ResourceReleaseBinding' };
  const { projectName: project, resourceName: name } = binding.spec.owner;
  const res = model.get('Resource', name, namespace);
  if (!res) stop(none, 'spec.owner.resourceName', `resource '${name}' does not exist in namespace '${namespace}'`);
  const releaseName = binding.spec.resourceRelease;
  if (releaseName) {
    const spec = pinnedRelease(model, none, 'ResourceRelease', releaseName, namespace, 'spec.resourceRelease', ({ owner }) =>
      owner.resourceName === name && owner.projectName === project
        ? undefined
        : `belongs to resource '${owner.resourceName}' of project '${owner.projectName}', not '${name}' of '${project}'`,
    );
    const typeSpec = spec.resourceType.spec as ResourceTypeSpec;
    if (!Array.isArray(typeSpec.resources)) {
      stop(none, 'spec.resourceRelease', `ResourceRelease '${releaseName}' has no spec.resourceType.spec.resources to render`);
    }
    return { name, project, typeKind: spec.resourceType.kind, typeName: spec.resourceType.name, typeSpec, parameters: spec.parameters };
  }
  const type = resourceTypeOf(model, res.resource, namespace);
  if (!type.entry) stop(none, 'spec.owner.resourceName', `the ${type.kind} '${type.name}' of resource '${name}' does not exist`);
  return { name, project, typeKind: type.kind, typeName: type.name, typeSpec: type.entry.resource.spec, parameters: res.resource.spec.parameters };
}

function resourceTypeOf(model: RepositoryModel, resource: ResourceOfKind<'Resource'>, namespace: string) {
  const { kind = 'ResourceType', name } = resource.spec.type;
  const entry = kind === 'ClusterResourceType' ? model.get('ClusterResourceType', name) : model.get('ResourceType', name, namespace);
  return { kind, name, entry };
}

export function toProblems(
  error: unknown,
  entry: ModelEntry,
  namespace: string,
): ModelProblem[] {
  const resource = { kind: entry.resource.kind, name: entry.resource.metadata.name, namespace };
  if (error instanceof RenderStop) {
    return error.problems.map(p => ({ severity: 'error' as const, file: entry.file, resource, ...p }));
  }
  // Anything else is a bug in a helper or an unexpected shape: still only this binding fails.
  return [
    {
      severity: 'error',
      file: entry.file,
      resource,
      message: `rendering failed: ${error instanceof Error ? error.message : String(error)}`,
    },
  ];
}

/** A ReleaseBinding with what it renders from: its inputs, its planes and its trait instances. */
interface ComponentBinding {
  binding: ModelEntry<ResourceOfKind<'ReleaseBinding'>>;
  namespace: string;
  project: string;
  component: string;
  environmentName: string;
  inputs: ResolvedBinding;
  environment: PlaneResolution['environment'];
  dataPlane: PlaneResolution['dataPlane'];
  /** The Workload with the binding's overrides applied. */
  workload: WorkloadSpec;
  /** The ComponentType, for messages. */
  typeOrigin: Origin;
  /** The ComponentType's embedded traits, then the component's own. */
  traits: TraitInstance[];
}

/** Resolves what a ReleaseBinding renders from; stops when something is missing or not allowed. */
function resolveComponentBinding(
  model: RepositoryModel,
  binding: ModelEntry<ResourceOfKind<'ReleaseBinding'>>,
  namespace: string,
): ComponentBinding {
  const resource = binding.resource;
  const { projectName: project, componentName: component } = resource.spec.owner;
  const environmentName = resource.spec.environment;
  const inputs = resolveInputs(model, resource, namespace);
  const { environment, dataPlane } = resolvePlane(model, environmentName, namespace, 'ReleaseBinding');
  const workload = applyWorkloadOverrides(inputs.workload, resource.spec.workloadOverrides);
  const typeOrigin: Origin = { label: `${inputs.typeKind} ${inputs.typeName.split('/')[1] ?? inputs.typeName}` };
  checkWorkloadType(inputs, component, typeOrigin);
  const traits = [...embeddedTraits(inputs, typeOrigin), ...componentTraits(inputs, resource, typeOrigin)];
  return { binding, namespace, project, component, environmentName, inputs, environment, dataPlane, workload, typeOrigin, traits };
}

/** A component names its type `<workloadType>/<name>`: the prefix must be the type's workloadType. */
function checkWorkloadType(inputs: ResolvedBinding, component: string, typeOrigin: Origin): void {
  const workloadType = inputs.typeName.split('/')[0];
  if (workloadType !== inputs.typeSpec.workloadType) {
    stop(
      { label: `Component ${component}` },
      'spec.componentType',
      `'${inputs.typeName}' names workload type '${workloadType}', but ${typeOrigin.label} has workloadType '${inputs.typeSpec.workloadType}'`,
    );
  }
}

/** The ComponentType's embedded traits: they always apply, allowed or not. */
function embeddedTraits(inputs: ResolvedBinding, typeOrigin: Origin): TraitInstance[] {
  return (inputs.typeSpec.traits ?? []).map((t): TraitInstance => {
    // Without kind: a ClusterTrait in a ClusterComponentType, a Trait in a ComponentType.
    const kind = traitKindIn(inputs.typeKind, t);
    const spec = inputs.traitSpec(kind, t.name) ?? inputs.liveTraitSpec?.(kind, t.name);
    if (!spec) stop(typeOrigin, 'spec.traits', `embedded ${kind} '${t.name}' does not exist`);
    return { kind, name: t.name, instanceName: t.instanceName, parameters: t.parameters, environmentConfigs: t.environmentConfigs, spec, embedded: true };
  });
}

/** The component's own traits: each must be in the ComponentType's allowedTraits. */
function componentTraits(inputs: ResolvedBinding, resource: ResourceOfKind<'ReleaseBinding'>, typeOrigin: Origin): TraitInstance[] {
  const owner: Origin = { label: `Component ${resource.spec.owner.componentName}` };
  return inputs.traits.map((t, index): TraitInstance => {
    const kind = t.kind ?? 'Trait';
    if (!allowed(inputs, kind, t.name)) {
      stop(
        owner,
        `spec.traits[${index}]`,
        `${kind} '${t.name}' is not allowed by ${typeOrigin.label} (allowedTraits: ${
          (inputs.typeSpec.allowedTraits ?? [])
            .map(a => (typeof a === 'string' ? a : `${traitKindIn(inputs.typeKind, a)}/${a.name}`))
            .join(', ') || 'none'
        })`,
      );
    }
    const spec = inputs.traitSpec(kind, t.name);
    if (!spec) stop(owner, `spec.traits[${index}]`, `${kind} '${t.name}' does not exist`);
    return {
      kind,
      name: t.name,
      instanceName: t.instanceName,
      parameters: t.parameters,
      environmentConfigs: resource.spec.traitEnvironmentConfigs?.[t.instanceName],
      spec,
      embedded: false,
    };
  });
}

/** sha256 (hex, first 16) of the canonical JSON of what a binding renders from. */
export function releaseHashOf(inputs: unknown): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex').slice(0, 16);
}

/** A ReleaseBinding's release hash: type, traits, parameters, environment configs, workload, overrides. */
function componentReleaseHash({ inputs, traits, binding: { resource } }: ComponentBinding, pullSecrets: ImagePullSecrets): string {
  return releaseHashOf({
    // Only when there are any, so bindings without pull secrets keep their hash.
    ...(pullSecrets.externalSecrets.length ? { imagePullSecrets: pullSecrets.externalSecrets } : {}),
    componentType: { kind: inputs.typeKind, name: inputs.typeName, spec: hashOf(inputs.typeSpec) },
    traits: traits.map(t => ({
      kind: t.kind,
      name: t.name,
      instanceName: t.instanceName,
      spec: hashOf(t.spec),
      parameters: t.parameters,
      environmentConfigs: t.environmentConfigs,
    })),
    parameters: inputs.parameters,
    environmentConfigs: resource.spec.componentTypeEnvironmentConfigs,
    workload: hashOf(inputs.workload),
    workloadOverrides: resource.spec.workloadOverrides,
  });
}

/** Where a binding's objects go; `component` is the resource for a ResourceReleaseBinding. */
export function bindingTarget(
  owner: { namespace: string; project: string; component: string; environment: string },
  dataPlane: PlaneResolution['dataPlane'],
  releaseHash: string,
): BindingRenderTarget {
  const { namespace, project, component, environment } = owner;
  return {
    namespace,
    project,
    component,
    environment,
    dataPlane: dataPlane.name,
    dataPlaneKind: dataPlane.kind,
    kubernetesNamespace: kubernetesNamespaceFor(namespace, project, environment),
    releaseHash,
  };
}

/** The labels every object of a binding carries: project, component, environment, release hash. */
function releaseLabels(target: BindingRenderTarget): Record<string, string> {
  return {
    [OPENCHOREO_LABELS.project]: target.project,
    [OPENCHOREO_LABELS.component]: target.component,
    [OPENCHOREO_LABELS.environment]: target.environment,
    [RELEASE_HASH_KEY]: target.releaseHash,
  };
}

/** Problems of the workload name the Workload's file, or the binding's when there is none. */
function workloadWarnings(model: RepositoryModel, b: ComponentBinding, warnings: ModelProblem[]) {
  const warn = (file: string, kind: string, name: string) => (field: string, message: string) =>
    warnings.push({ severity: 'warning', file, resource: { kind, name, namespace: b.namespace }, field, message });
  const workloadEntry = model.workload(b.namespace, b.component);
  return workloadEntry
    ? warn(workloadEntry.file, 'Workload', workloadEntry.resource.metadata.name)
    : warn(b.binding.file, 'ReleaseBinding', b.binding.resource.metadata.name);
}

/** The outputs of a Resource the workload depends on, rendered once per model and environment. */
function resourceOutputs(model: RepositoryModel, namespace: string, project: string, environmentName: string) {
  return (ref: string) =>
    memo(model, `outputs\u0000${namespace}\u0000${ref}\u0000${environmentName}`, () => {
      const res = model.get('Resource', ref, namespace);
      if (!res || res.resource.spec.owner.projectName !== project) return `resource '${ref}' does not exist in project '${project}'`;
      const rrb = model.resourceReleaseBindings(namespace, ref).find(b => b.resource.spec.environment === environmentName);
      if (!rrb) return `resource '${ref}' has no ResourceReleaseBinding for environment '${environmentName}'`;
      let inputs: ResourceInputs;
      try {
        // The outputs of what the binding runs: its ResourceRelease's snapshot when it pins one.
        inputs = resolveResourceInputs(model, rrb.resource, namespace);
      } catch (error) {
        if (error instanceof RenderStop) return error.message;
        throw error;
      }
      const origin = { label: `${inputs.typeKind} ${inputs.typeName}` };
      const ctx = resourceContext(model, namespace, inputs, environmentName, rrb.resource.spec.resourceTypeEnvironmentConfigs, origin);
      return { kind: inputs.typeKind, values: guarded(origin, () => renderOutputs(inputs.typeSpec.outputs ?? [], ctx)) };
    });
}

/**
 * The context every template of a ReleaseBinding sees (metadata, workload, configurations,
 * dependencies, planes), and the platform labels; workload problems go to `warnings`.
 */
function componentContext(
  model: RepositoryModel,
  b: ComponentBinding,
  target: BindingRenderTarget,
  warnings: ModelProblem[],
): { base: TemplateContext; labels: Record<string, string> } {
  const { namespace, project, component, environmentName, dataPlane, workload } = b;
  const workloadWarn = workloadWarnings(model, b, warnings);
  const prefix = `${component}-${environmentName}`;
  const labels = commonLabels(namespace, project, component, environmentName);
  const outputs = resourceOutputs(model, namespace, project, environmentName);
  const dependencies = buildDependencies(model, namespace, project, environmentName, workload, outputs, workloadWarn);
  const base: TemplateContext = {
    // Strings and maps of strings only: already CEL values.
    metadata: {
      componentName: component,
      componentUID: stableUid('Component', namespace, component),
      projectName: project,
      projectUID: stableUid('Project', namespace, project),
      dataPlaneName: dataPlane.name,
      dataPlaneUID: stableUid(dataPlane.kind, dataPlane.kind === 'DataPlane' ? namespace : '', dataPlane.name),
      environmentName,
      environmentUID: stableUid('Environment', namespace, environmentName),
      name: generateResourceName(component, environmentName),
      namespace: target.kubernetesNamespace,
      componentNamespace: namespace,
      labels,
      annotations: {},
      podSelectors: labels,
    },
    workload: workloadContext(b.inputs.workload),
    configurations: buildConfigurations(model, namespace, prefix, workload, workloadWarn),
    dependencies,
    ...planeContext(model, namespace, environmentName, { environment: b.environment, dataPlane }),
  };
  // Older OpenChoreo samples call `connections.toContainerEnv()` for the same data.
  base.connections = dependencies;
  if (usesEndpointRoutes(b)) {
    const notes = (base.workload as Record<symbol, Record<string, string>>)[ENDPOINT_SCHEMA_NOTES];
    for (const [endpoint, note] of Object.entries(notes)) {
      workloadWarn(`spec.endpoints.${endpoint}.schema`, `${note}; workload.toEndpointResources() has no routes for endpoint '${endpoint}'`);
    }
  }
  return { base, labels };
}

const ENDPOINT_ROUTES_USE = /toEndpointResources\s*\(|\.resources\b(?!\s*\.\s*(?:requests|limits|claims)\b)/;

/**
 * Whether a binding's templates read endpoint routes (OpenChoreo's `usesEndpointResources`):
 * only then is an unreadable API schema worth a warning, as OpenChoreo only parses it then.
 */
function usesEndpointRoutes(b: ComponentBinding): boolean {
  const text = (value: unknown) => JSON.stringify(value ?? null);
  return (
    ENDPOINT_ROUTES_USE.test(text(b.inputs.typeSpec.resources)) ||
    b.traits.some(t => ENDPOINT_ROUTES_USE.test(text(t.spec.creates)) || ENDPOINT_ROUTES_USE.test(text(t.spec.patches)))
  );
}

/** An embedded trait's parameters and environmentConfigs are templates over the component's context. */
function instantiateTrait(trait: TraitInstance, context: TemplateContext, typeOrigin: Origin): TraitInstance {
  if (!trait.embedded) return trait;
  const at = `spec.traits.${trait.instanceName}`;
  return guarded(typeOrigin, () => ({
    ...trait,
    parameters: renderTemplate(trait.parameters ?? {}, context, `${at}.parameters`),
    environmentConfigs: renderTemplate(trait.environmentConfigs ?? {}, context, `${at}.environmentConfigs`),
  }));
}

/**
 * A ReleaseBinding's objects before the finish: the ComponentType's, changed by each trait in
 * turn, then checked by the post-render rules of the type and of each trait.
 */
function renderComponentObjects(b: ComponentBinding, base: TemplateContext, pullSecrets: ImagePullSecrets): Rendered[] {
  const { typeSpec } = b.inputs;
  const { typeOrigin } = b;
  const context: TemplateContext = {
    ...base,
    parameters: applySchema(typeSpec.parameters, b.inputs.parameters, 'parameters', 'spec.parameters', typeOrigin),
    environmentConfigs: applySchema(
      typeSpec.environmentConfigs,
      b.binding.resource.spec.componentTypeEnvironmentConfigs,
      'environmentConfigs',
      'spec.componentTypeEnvironmentConfigs',
      typeOrigin,
    ),
  };
  const pre = preRenderRules(typeSpec);
  evaluateRules(pre.rules, context, pre.field, typeOrigin);
  const rendered: Rendered[] = [];
  guarded(typeOrigin, () =>
    typeSpec.resources.forEach((entry, index) =>
      renderTemplatedObjects(entry as TemplatedObject, context, `spec.resources[${index}]`, rendered),
    ),
  );
  const applied: { spec: TraitSpec; context: TemplateContext; origin: Origin }[] = [];
  for (const trait of b.traits) {
    const instance = instantiateTrait(trait, context, typeOrigin);
    applied.push({ spec: trait.spec, ...applyTrait(instance, base, rendered, 'spec.traitEnvironmentConfigs') });
  }
  // The data plane's pull secrets go to every pod the type and traits made.
  addImagePullSecrets(rendered.map(r => r.object), pullSecrets.names);
  for (const object of pullSecrets.externalSecrets) rendered.push({ object, plane: 'dataplane' });
  // Post-render rules see the objects after every trait: the type's, then each trait's.
  evaluatePostRenderRules(typeSpec.postRenderValidations, context, rendered, typeOrigin);
  for (const trait of applied) evaluatePostRenderRules(trait.spec.postRenderValidations, trait.context, rendered, trait.origin);
  return rendered;
}

/** Names the release a binding pins (a ComponentRelease or ResourceRelease) on each of its objects. */
function annotateReleaseName(objects: RenderedObject[], releaseName: string | undefined): void {
  if (!releaseName) return;
  for (const object of objects) {
    object.metadata.annotations = { ...object.metadata.annotations, [RELEASE_NAME_ANNOTATION]: releaseName };
  }
}

/**
 * Renders one ReleaseBinding (a component in an environment) into Kubernetes objects with
 * OpenChoreo's semantics: from the ComponentRelease it names, or else from the live Component,
 * Workload, ComponentType and Traits. Never throws: problems are returned and then no objects.
 *
 * @public
 */
export function renderReleaseBinding(
  model: RepositoryModel,
  binding: ModelEntry<ResourceOfKind<'ReleaseBinding'>>,
): BindingRenderResult {
  const resource = binding.resource;
  const namespace = binding.namespace ?? resource.metadata.namespace ?? 'default';
  const warnings: ModelProblem[] = [];
  let target: BindingRenderTarget | undefined;
  try {
    const b = resolveComponentBinding(model, binding, namespace);
    const owner = { namespace, project: b.project, component: b.component, environment: b.environmentName };
    const pullSecrets = imagePullSecretsOf(
      model,
      namespace,
      resource.metadata.name,
      b.dataPlane,
      kubernetesNamespaceFor(namespace, b.project, b.environmentName),
    );
    target = bindingTarget(owner, b.dataPlane, componentReleaseHash(b, pullSecrets));
    if (resource.spec.state === 'Undeploy') return { target, objects: [], problems: [] };
    if (pullSecrets.missing.length) throw new RenderStop(pullSecrets.missing);
    const { base, labels } = componentContext(model, b, target, warnings);
    const rendered = renderComponentObjects(b, base, pullSecrets);
    const objects = finish(rendered, labels, releaseLabels(target), target.releaseHash, b.inputs.typeSpec.workloadType, b.typeOrigin);
    annotateReleaseName(objects, resource.spec.releaseName);
    return { target, objects, problems: warnings };
  } catch (error) {
    return { target, objects: [], problems: [...warnings, ...toProblems(error, binding, namespace)] };
  }
}

/**
 * Renders one ResourceReleaseBinding (a managed resource in an environment) from its
 * ResourceType's templates, the same way: from the ResourceRelease it pins, or else from the live
 * Resource and type. `target.component` is the resource name. With `retainPolicy: Retain` (the
 * binding's, else the type's) the objects are marked so Argo CD and Flux never delete them.
 *
 * @public
 */
export function renderResourceReleaseBinding(
  model: RepositoryModel,
  binding: ModelEntry<ResourceOfKind<'ResourceReleaseBinding'>>,
): BindingRenderResult {
  const resource = binding.resource;
  const namespace = binding.namespace ?? resource.metadata.namespace ?? 'default';
  const environmentName = resource.spec.environment;
  let target: BindingRenderTarget | undefined;
  try {
    const inputs = resolveResourceInputs(model, resource, namespace);
    const { dataPlane } = resolvePlane(model, environmentName, namespace, 'ResourceReleaseBinding');
    const { typeSpec } = inputs;
    const origin: Origin = { label: `${inputs.typeKind} ${inputs.typeName}` };
    // OpenChoreo's effectiveRetainPolicy: the binding's, else the type's (the snapshot's when pinned), else Delete.
    const retain = (resource.spec.retainPolicy ?? typeSpec.retainPolicy) === 'Retain';
    const releaseHash = releaseHashOf({
      resourceType: { kind: inputs.typeKind, name: inputs.typeName, spec: hashOf(typeSpec) },
      parameters: inputs.parameters,
      environmentConfigs: resource.spec.resourceTypeEnvironmentConfigs,
      ...(retain ? { retainPolicy: 'Retain' } : {}),
    });
    const owner = { namespace, project: inputs.project, component: inputs.name, environment: environmentName };
    target = bindingTarget(owner, dataPlane, releaseHash);
    const context = resourceContext(model, namespace, inputs, environmentName, resource.spec.resourceTypeEnvironmentConfigs, origin);
    const rendered: Rendered[] = [];
    guarded(origin, () =>
      // includeWhen as on a ComponentType resource (ResourceTypeManifest): a disabled entry is
      // neither rendered nor exposed. ResourceTypes have no forEach and no targetPlane.
      typeSpec.resources.forEach((entry, index) =>
        renderTemplatedObjects(
          { includeWhen: entry.includeWhen, template: entry.template } as TemplatedObject,
          context,
          `spec.resources[${index}]`,
          rendered,
        ),
      ),
    );
    const labels = fromCel((context.metadata as any).labels) as Record<string, string>;
    const objects = finish(rendered, labels, releaseLabels(target), releaseHash, undefined, origin);
    annotateReleaseName(objects, resource.spec.resourceRelease);
    if (retain) retainObjects(objects);
    return { target, objects, problems: [] };
  } catch (error) {
    return { target, objects: [], problems: toProblems(error, binding, namespace) };
  }
}
