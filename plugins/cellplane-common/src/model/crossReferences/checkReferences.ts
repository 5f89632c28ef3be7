import { ENDPOINT_VISIBILITIES, ResourceKind, ResourceOfKind } from '../kinds';
import { traitKindIn } from '../references';
import { FieldPath, IndexedResource, PendingProblem, problemAt } from './pendingProblem';

/**
 * Long synchronous work written as a generator that `yield`s where it may be paused, so the
 * backend can run it in slices and keep answering requests (cellplane-node's EventLoopSlicer).
 *
 * @public
 */
export type Steps<T> = Generator<void, T, void>;

/**
 * What the cross-reference checks look resources up in: the repository model (cellplane-node's
 * RepositoryModel), or any index of the same resources.
 *
 * @public
 */
export interface ReferenceIndex {
  /** The resource of a kind and name (in `namespace`, unless the kind is cluster-scoped). */
  get<K extends ResourceKind>(kind: K, name: string, namespace?: string): IndexedResource<ResourceOfKind<K>> | undefined;
  /** The resources of a kind; only those of `namespace` when given. */
  list<K extends ResourceKind>(kind: K, namespace?: string): IndexedResource<ResourceOfKind<K>>[];
  /** The Workload of a component. */
  workload(namespace: string, component: string): IndexedResource<ResourceOfKind<'Workload'>> | undefined;
  /** The ComponentType or ClusterComponentType a component names. */
  componentTypeOf(
    component: ResourceOfKind<'Component'>,
    namespace: string,
  ): IndexedResource<ResourceOfKind<'ComponentType'> | ResourceOfKind<'ClusterComponentType'>> | undefined;
}

type ModelEntry = IndexedResource;
type Entry<K extends ResourceKind> = IndexedResource<ResourceOfKind<K>>;
type Workload = ResourceOfKind<'Workload'>;
type EndpointDependency = NonNullable<NonNullable<Workload['spec']['dependencies']>['endpoints']>[number];
type EnvVars = Array<{ valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;

/** One check per kind of reference; each adds what it finds to `problems`. */
class ReferenceChecks {
  readonly problems: PendingProblem[] = [];
  /** The first ReleaseBinding of each namespace/component/environment. */
  private readonly bindingSlots = new Map<string, ModelEntry>();
  /** The notification channels of each namespace and environment, listed once, not once per channel. */
  private channelsByEnvironment?: Map<string, Entry<'ObservabilityAlertsNotificationChannel'>[]>;

  constructor(private readonly model: ReferenceIndex) {}

  private report(entry: ModelEntry, fieldPath: FieldPath, message: string, severity: 'error' | 'warning' = 'error') {
    this.problems.push(problemAt(entry, fieldPath, message, severity));
  }

  /**
   * The resource a field names, or undefined and a problem on the field saying it is not found
   * (in `namespace` when given, else where the entry is, unnamed in the message).
   */
  private resolve<K extends ResourceKind>(entry: ModelEntry, fieldPath: FieldPath, kind: K, name: string, namespace?: string) {
    const found = this.model.get(kind, name, namespace ?? entry.namespace);
    if (!found) this.report(entry, fieldPath, `${kind} ${JSON.stringify(name)} not found${namespace ? ` in namespace ${namespace}` : ''}`);
    return found;
  }

  /** Project → DeploymentPipeline. */
  projectPipeline(entry: Entry<'Project'>) {
    const ref = entry.resource.spec.deploymentPipelineRef;
    const name = typeof ref === 'string' ? ref : ref.name;
    this.resolve(entry, ['spec', 'deploymentPipelineRef'], 'DeploymentPipeline', name, entry.namespace);
  }

  /** DeploymentPipeline → the Environments of its promotion paths. */
  promotionPaths(entry: Entry<'DeploymentPipeline'>) {
    (entry.resource.spec.promotionPaths ?? []).forEach((path, index) => {
      const source = typeof path.sourceEnvironmentRef === 'string' ? path.sourceEnvironmentRef : path.sourceEnvironmentRef.name;
      this.resolve(entry, ['spec', 'promotionPaths', index, 'sourceEnvironmentRef'], 'Environment', source);
      path.targetEnvironmentRefs.forEach((target, targetIndex) => {
        this.resolve(entry, ['spec', 'promotionPaths', index, 'targetEnvironmentRefs', targetIndex, 'name'], 'Environment', target.name);
      });
    });
  }

  /**
   * Environment → DataPlane or ClusterDataPlane. The data plane "default" (the one an Environment
   * without dataPlaneRef uses) need not be in the repository: OpenChoreo's installation creates
   * ClusterDataPlane "default", and the renderer, which assumes it, says once per environment
   * what it assumed. Any other data plane must be there.
   */
  environmentDataPlane(entry: Entry<'Environment'>) {
    this.environmentHooks(entry);
    const ref = entry.resource.spec.dataPlaneRef;
    if (ref === undefined) return;
    const { kind, name } = typeof ref === 'string' ? { kind: 'DataPlane' as const, name: ref } : ref;
    if (name === 'default') return;
    this.resolve(entry, ['spec', 'dataPlaneRef'], kind, name);
  }

  /**
   * A namespaced DataPlane → the SecretReferences of its image pull secrets, in its namespace.
   * A ClusterDataPlane's refs resolve in each consumer's namespace, which only rendering knows
   * (the renderer reports a missing one per binding).
   */
  dataPlaneImagePullSecrets(entry: Entry<'DataPlane'>) {
    (entry.resource.spec.imagePullSecretRefs ?? []).forEach((ref, index) => {
      this.resolve(entry, ['spec', 'imagePullSecretRefs', index], 'SecretReference', ref);
    });
  }

  /**
   * Environment → the Hooks and ClusterHooks it binds. Cellplane does not run hooks, so one the
   * repository lacks (OpenChoreo's installation may hold it) is a warning: OpenChoreo would not
   * deploy into the environment until it exists.
   */
  private environmentHooks(entry: Entry<'Environment'>) {
    const { hooks } = entry.resource.spec;
    const count = (hooks?.preDeploy?.length ?? 0) + (hooks?.postDeploy?.length ?? 0);
    if (count > 0) {
      this.report(entry, ['spec', 'hooks'], `binds ${count} deployment ${count === 1 ? 'hook' : 'hooks'}: OpenChoreo runs them around each deployment into this environment (a failing pre-deploy hook blocks it); Cellplane renders the deployment without running them`, 'warning');
    }
    for (const phase of ['preDeploy', 'postDeploy'] as const) {
      (entry.resource.spec.hooks?.[phase] ?? []).forEach((binding, index) => {
        const kind = binding.hookRef.kind ?? 'Hook';
        if (!this.model.get(kind, binding.hookRef.name, entry.namespace)) {
          this.report(entry, ['spec', 'hooks', phase, index, 'hookRef', 'name'], `${kind} ${JSON.stringify(binding.hookRef.name)} is not in the repository; OpenChoreo runs it around each deployment into this environment, Cellplane does not run hooks`, 'warning');
        }
      });
    }
  }

  /** Component → Project, ComponentType, Traits; and it should have a Workload. */
  component(entry: Entry<'Component'>) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    this.resolve(entry, ['spec', 'owner', 'projectName'], 'Project', spec.owner.projectName, namespace);
    const type = this.componentType(entry);
    this.traits(entry, type);
    if (!this.model.workload(namespace, entry.resource.metadata.name)) {
      this.report(entry, [], 'has no Workload (a Workload whose spec.owner.componentName names this component)', 'warning');
    }
  }

  /** Component → ComponentType or ClusterComponentType, with the workloadType its name says. */
  private componentType(entry: Entry<'Component'>) {
    const { spec } = entry.resource;
    const type = this.model.componentTypeOf(entry.resource, entry.namespace!);
    const typeRef = typeof spec.componentType === 'string' ? { name: spec.componentType } : spec.componentType;
    const [workloadType, typeName] = typeRef.name.split('/');
    if (!type) {
      this.report(entry, ['spec', 'componentType'], `${'kind' in typeRef && typeRef.kind ? typeRef.kind : 'ComponentType'} ${JSON.stringify(typeName)} not found`);
    } else if (type.resource.spec.workloadType !== workloadType) {
      this.report(entry, ['spec', 'componentType', 'name'], `says workloadType ${JSON.stringify(workloadType)} but ${type.resource.kind} ${type.resource.metadata.name} has workloadType ${JSON.stringify(type.resource.spec.workloadType)}`);
    }
    return type;
  }

  /** Component → Traits and ClusterTraits, each allowed by its component type (when found). */
  private traits(entry: Entry<'Component'>, type: ReturnType<ReferenceIndex['componentTypeOf']>) {
    const typeKind = type?.resource.kind ?? 'ComponentType';
    const allowed = (type?.resource.spec.allowedTraits ?? []).map(t => ({
      kind: traitKindIn(typeKind, t),
      name: typeof t === 'string' ? t : t.name,
    }));
    const embeddedInstances = new Set((type?.resource.spec.traits ?? []).map(t => t.instanceName));
    (entry.resource.spec.traits ?? []).forEach((trait, index) => {
      if (type && embeddedInstances.has(trait.instanceName)) {
        this.report(entry, ['spec', 'traits', index, 'instanceName'], `${JSON.stringify(trait.instanceName)} is the instanceName of a trait ${type.resource.kind} ${type.resource.metadata.name} embeds; a component's trait instances must not collide with its type's`);
      }
      // A Component is namespaced: a trait without kind is a Trait (OpenChoreo's TraitRef default).
      const kind = trait.kind ?? 'Trait';
      const found = this.resolve(entry, ['spec', 'traits', index, 'name'], kind, trait.name);
      if (found && type && !allowed.some(a => a.name === trait.name && a.kind === kind)) {
        this.report(entry, ['spec', 'traits', index, 'name'], `${kind} ${JSON.stringify(trait.name)} is not in the allowedTraits of ${type.resource.kind} ${type.resource.metadata.name}`);
      }
    });
  }

  /** Workloads, bindings and releases name their component and its project; both must agree. */
  componentOwner(entry: ModelEntry, owner: { projectName: string; componentName: string }) {
    const component = this.resolve(entry, ['spec', 'owner', 'componentName'], 'Component', owner.componentName, entry.namespace);
    if (component && component.resource.spec.owner.projectName !== owner.projectName) {
      this.report(entry, ['spec', 'owner', 'projectName'], `is ${JSON.stringify(owner.projectName)} but Component ${owner.componentName} belongs to project ${JSON.stringify(component.resource.spec.owner.projectName)}`);
    }
  }

  /** Workload → its Component (of which it is the one Workload), dependencies and secrets. */
  workload(entry: Entry<'Workload'>) {
    const { spec } = entry.resource;
    this.componentOwner(entry, spec.owner);
    // The model chose the component's Workload (the one where the layout keeps it, else the first).
    const chosen = this.model.workload(entry.namespace!, spec.owner.componentName)!;
    if (chosen !== entry) {
      this.report(entry, ['spec', 'owner', 'componentName'], `Component ${spec.owner.componentName} already has a Workload (${chosen.resource.metadata.name} in ${chosen.file}); a component has one Workload`);
    }
    (spec.dependencies?.endpoints ?? []).forEach((dependency, index) => this.endpointDependency(entry, dependency, index));
    this.resourceDependencies(entry);
    this.secretKeyRefs(entry, spec.container.env, ['spec', 'container', 'env']);
    this.secretKeyRefs(entry, spec.container.files, ['spec', 'container', 'files']);
  }

  /** Workload → an endpoint of another component, in a project and at a visibility it allows. */
  private endpointDependency(entry: Entry<'Workload'>, dependency: EndpointDependency, index: number) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    const at: FieldPath = ['spec', 'dependencies', 'endpoints', index];
    const targetNamespace = dependency.namespace ?? namespace;
    const targetProject = dependency.project ?? spec.owner.projectName;
    const target = this.resolve(entry, [...at, 'component'], 'Component', dependency.component, targetNamespace);
    if (!target) return;
    if (target.resource.spec.owner.projectName !== targetProject) {
      this.report(entry, [...at, dependency.project ? 'project' : 'component'], `Component ${dependency.component} belongs to project ${JSON.stringify(target.resource.spec.owner.projectName)}, not ${JSON.stringify(targetProject)}${dependency.project ? '' : '; set project'}`);
      return;
    }
    const crossesProject = targetProject !== spec.owner.projectName || targetNamespace !== namespace;
    if (crossesProject && dependency.visibility === 'project') {
      this.report(entry, [...at, 'visibility'], `is "project" but ${targetProject}/${dependency.component} is in another project; use "namespace"`);
    }
    const targetWorkload = this.model.workload(targetNamespace, dependency.component);
    const endpoint = targetWorkload?.resource.spec.endpoints?.[dependency.name];
    if (!endpoint) {
      const known = Object.keys(targetWorkload?.resource.spec.endpoints ?? {});
      this.report(entry, [...at, 'name'], `Component ${dependency.component} has no endpoint ${JSON.stringify(dependency.name)}${known.length ? ` (it has: ${known.join(', ')})` : ' (it has no endpoints)'}`);
      return;
    }
    const visibilities = new Set(['project', ...(endpoint.visibility ?? [])]);
    if (!visibilities.has(dependency.visibility)) {
      this.report(entry, [...at, 'visibility'], `endpoint ${dependency.component}/${dependency.name} is not visible at ${JSON.stringify(dependency.visibility)} (its visibility: ${[...visibilities].filter(v => (ENDPOINT_VISIBILITIES as readonly string[]).includes(v)).join(', ')})`);
    }
  }

  /** Workload → Resources of its own project. */
  private resourceDependencies(entry: Entry<'Workload'>) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    (spec.dependencies?.resources ?? []).forEach((dependency, index) => {
      const resource = this.resolve(entry, ['spec', 'dependencies', 'resources', index, 'ref'], 'Resource', dependency.ref, namespace);
      if (resource && resource.resource.spec.owner.projectName !== spec.owner.projectName) {
        this.report(entry, ['spec', 'dependencies', 'resources', index, 'ref'], `Resource ${dependency.ref} belongs to project ${JSON.stringify(resource.resource.spec.owner.projectName)}; a workload may only use resources of its own project`);
      }
    });
  }

  /** Workload env vars and files → SecretReferences and their keys. */
  private secretKeyRefs(entry: Entry<'Workload'>, envs: EnvVars | undefined, path: FieldPath) {
    const namespace = entry.namespace!;
    (envs ?? []).forEach((env, index) => {
      const ref = env.valueFrom?.secretKeyRef;
      if (!ref) return;
      const secret = this.resolve(entry, [...path, index, 'valueFrom', 'secretKeyRef', 'name'], 'SecretReference', ref.name, namespace);
      if (secret && !secret.resource.spec.data.some(d => d.secretKey === ref.key)) {
        this.report(entry, [...path, index, 'valueFrom', 'secretKeyRef', 'key'], `SecretReference ${ref.name} has no secretKey ${JSON.stringify(ref.key)}`);
      }
    });
  }

  /** ReleaseBinding → its Component, Environment (once per component) and ComponentRelease. */
  releaseBinding(entry: Entry<'ReleaseBinding'>) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    this.componentOwner(entry, spec.owner);
    this.resolve(entry, ['spec', 'environment'], 'Environment', spec.environment, namespace);
    const slot = `${namespace}/${spec.owner.componentName}/${spec.environment}`;
    const first = this.bindingSlots.get(slot);
    if (first) {
      this.report(entry, ['spec', 'environment'], `Component ${spec.owner.componentName} is already bound to ${spec.environment} by ${first.resource.metadata.name} (${first.file})`);
    } else {
      this.bindingSlots.set(slot, entry);
    }
    if (spec.releaseName) {
      const release = this.resolve(entry, ['spec', 'releaseName'], 'ComponentRelease', spec.releaseName, namespace);
      if (release && release.resource.spec.owner.componentName !== spec.owner.componentName) {
        this.report(entry, ['spec', 'releaseName'], `ComponentRelease ${spec.releaseName} belongs to component ${JSON.stringify(release.resource.spec.owner.componentName)}, not ${JSON.stringify(spec.owner.componentName)}`);
      }
    }
  }

  /**
   * (Cluster)ComponentType → the traits it embeds. Without `kind`, an embedded trait is a Trait
   * in a ComponentType and a ClusterTrait in a ClusterComponentType, as OpenChoreo defaults it.
   */
  componentTypeTraits(entry: Entry<'ComponentType'> | Entry<'ClusterComponentType'>) {
    const typeKind = entry.resource.kind;
    (entry.resource.spec.traits ?? []).forEach((trait, index) => {
      this.resolve(entry, ['spec', 'traits', index, 'name'], traitKindIn(typeKind, trait), trait.name);
    });
  }

  /** Project → ProjectType or ClusterProjectType, when it names one. */
  projectType(entry: Entry<'Project'>) {
    const ref = entry.resource.spec.type;
    // Looked up where the project is (a ClusterProjectType anywhere); the message names no namespace.
    if (ref) this.resolve(entry, ['spec', 'type', 'name'], ref.kind ?? 'ProjectType', ref.name);
  }

  /** ProjectRelease → its Project. */
  projectRelease(entry: Entry<'ProjectRelease'>) {
    this.resolve(entry, ['spec', 'owner', 'projectName'], 'Project', entry.resource.spec.owner.projectName, entry.namespace);
  }

  /** ProjectReleaseBinding → Project, Environment (once per project) and ProjectRelease. */
  projectReleaseBinding(entry: Entry<'ProjectReleaseBinding'>) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    this.resolve(entry, ['spec', 'owner', 'projectName'], 'Project', spec.owner.projectName, namespace);
    this.resolve(entry, ['spec', 'environment'], 'Environment', spec.environment, namespace);
    const slot = `project\u0000${namespace}/${spec.owner.projectName}/${spec.environment}`;
    const first = this.bindingSlots.get(slot);
    if (first) {
      this.report(entry, ['spec', 'environment'], `Project ${spec.owner.projectName} is already bound to ${spec.environment} by ${first.resource.metadata.name} (${first.file})`);
    } else {
      this.bindingSlots.set(slot, entry);
    }
    if (spec.projectRelease) {
      const release = this.resolve(entry, ['spec', 'projectRelease'], 'ProjectRelease', spec.projectRelease, namespace);
      if (release && release.resource.spec.owner.projectName !== spec.owner.projectName) {
        this.report(entry, ['spec', 'projectRelease'], `ProjectRelease ${spec.projectRelease} belongs to project ${JSON.stringify(release.resource.spec.owner.projectName)}, not ${JSON.stringify(spec.owner.projectName)}`);
      }
    }
  }

  /**
   * ObservabilityAlertsNotificationChannel → its Environment, of which at most one channel is
   * the default. With several channels and none marked, OpenChoreo's default is the first one
   * created, which a repository cannot tell: the first in file order is taken, with a warning.
   */
  notificationChannel(entry: Entry<'ObservabilityAlertsNotificationChannel'>) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    if (!this.resolve(entry, ['spec', 'environment'], 'Environment', spec.environment, namespace)) return;
    const channels = this.channelsOf(namespace, spec.environment);
    const defaults = channels.filter(channel => channel.resource.spec.isEnvDefault);
    if (spec.isEnvDefault && defaults[0] !== entry) {
      this.report(entry, ['spec', 'isEnvDefault'], `Environment ${spec.environment} already has a default notification channel, ${defaults[0].resource.metadata.name} (${defaults[0].file}); an environment has one`);
    }
    if (defaults.length === 0 && channels.length > 1 && channels[0] === entry) {
      this.report(entry, ['spec', 'isEnvDefault'], `is not set on any of the ${channels.length} notification channels of Environment ${spec.environment}; OpenChoreo makes the first created the default, and Cellplane takes this one, the first in file order: set isEnvDefault: true on the one you mean`, 'warning');
    }
  }

  private channelsOf(namespace: string, environment: string) {
    this.channelsByEnvironment ??= Map.groupBy(
      this.model.list('ObservabilityAlertsNotificationChannel'),
      channel => `${channel.namespace}\u0000${channel.resource.spec.environment}`,
    );
    return this.channelsByEnvironment.get(`${namespace}\u0000${environment}`) ?? [];
  }

  /** Resource → Project and ResourceType or ClusterResourceType. */
  resource(entry: Entry<'Resource'>) {
    const { spec } = entry.resource;
    this.resolve(entry, ['spec', 'owner', 'projectName'], 'Project', spec.owner.projectName, entry.namespace);
    this.resolve(entry, ['spec', 'type'], spec.type.kind ?? 'ResourceType', spec.type.name);
  }

  /** ResourceReleaseBinding → Resource, Environment and ResourceRelease. */
  resourceReleaseBinding(entry: Entry<'ResourceReleaseBinding'>) {
    const { spec } = entry.resource;
    this.resolve(entry, ['spec', 'owner', 'resourceName'], 'Resource', spec.owner.resourceName, entry.namespace);
    this.resolve(entry, ['spec', 'environment'], 'Environment', spec.environment, entry.namespace);
    if (spec.resourceRelease) {
      const release = this.resolve(entry, ['spec', 'resourceRelease'], 'ResourceRelease', spec.resourceRelease, entry.namespace);
      if (release && release.resource.spec.owner.resourceName !== spec.owner.resourceName) {
        this.report(entry, ['spec', 'resourceRelease'], `ResourceRelease ${spec.resourceRelease} belongs to resource ${JSON.stringify(release.resource.spec.owner.resourceName)}, not ${JSON.stringify(spec.owner.resourceName)}`);
      }
    }
  }

  /** ResourceRelease → its Resource, of the project it names. */
  resourceRelease(entry: Entry<'ResourceRelease'>) {
    const { owner } = entry.resource.spec;
    const resource = this.resolve(entry, ['spec', 'owner', 'resourceName'], 'Resource', owner.resourceName, entry.namespace);
    if (resource && resource.resource.spec.owner.projectName !== owner.projectName) {
      this.report(entry, ['spec', 'owner', 'projectName'], `is ${JSON.stringify(owner.projectName)} but Resource ${owner.resourceName} belongs to project ${JSON.stringify(resource.resource.spec.owner.projectName)}`);
    }
  }
}

/**
 * The cross-document rules: every reference resolves, and nothing claims the same slot twice.
 * Kind by kind and resource by resource, pausing before each resource (see {@link Steps}). The
 * problems come out in that order, with the field paths the loader locates. Here rather than
 * in the loader, so every package that holds resources (the browser too) can check them alike.
 *
 * @public
 */
export function* checkReferences(model: ReferenceIndex): Steps<PendingProblem[]> {
  const check = new ReferenceChecks(model);
  yield* each(model.list('Project'), entry => {
    check.projectPipeline(entry);
    check.projectType(entry);
  });
  yield* each(model.list('ComponentType'), entry => check.componentTypeTraits(entry));
  yield* each(model.list('ClusterComponentType'), entry => check.componentTypeTraits(entry));
  yield* each(model.list('DeploymentPipeline'), entry => check.promotionPaths(entry));
  yield* each(model.list('Environment'), entry => check.environmentDataPlane(entry));
  yield* each(model.list('DataPlane'), entry => check.dataPlaneImagePullSecrets(entry));
  yield* each(model.list('Component'), entry => check.component(entry));
  yield* each(model.list('Workload'), entry => check.workload(entry));
  yield* each(model.list('ReleaseBinding'), entry => check.releaseBinding(entry));
  yield* each(model.list('ComponentRelease'), entry => check.componentOwner(entry, entry.resource.spec.owner));
  yield* each(model.list('Resource'), entry => check.resource(entry));
  yield* each(model.list('ResourceReleaseBinding'), entry => check.resourceReleaseBinding(entry));
  yield* each(model.list('ResourceRelease'), entry => check.resourceRelease(entry));
  yield* each(model.list('ProjectRelease'), entry => check.projectRelease(entry));
  yield* each(model.list('ProjectReleaseBinding'), entry => check.projectReleaseBinding(entry));
  yield* each(model.list('ObservabilityAlertsNotificationChannel'), entry => check.notificationChannel(entry));
  return check.problems;
}

function* each<E>(entries: readonly E[], check: (entry: E) => void): Steps<void> {
  for (const entry of entries) {
    yield;
    check(entry);
  }
}
