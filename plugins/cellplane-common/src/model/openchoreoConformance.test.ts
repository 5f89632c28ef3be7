import { DeploymentPipeline } from './kinds';
import { firstEnvironmentOf, traitKindIn } from './references';
import { validateResource } from './validateResource';

/**
 * Conformance with OpenChoreo's openchoreo.dev/v1alpha1 API (issue #16): for each rule of its
 * CRDs (the `+kubebuilder` markers and XValidation rules of api/v1alpha1/*_types.go) and each
 * default, an input and what OpenChoreo answers. Each case names its source: the file, the Go
 * type and field, and the marker. The inputs are written here, from those rules.
 */

type Case = [source: string, document: Record<string, unknown>, errors: string[]];

const doc = (kind: string, spec: unknown, metadata: Record<string, unknown> = { name: 'example', namespace: 'acme' }) => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind,
  metadata,
  spec,
});
const cluster = (kind: string, spec: unknown) => doc(kind, spec, { name: 'example' });

const deploymentType = (spec: Record<string, unknown>) =>
  doc('ComponentType', { workloadType: 'deployment', resources: [{ id: 'deployment', template: {} }], ...spec });
const resourceType = (spec: Record<string, unknown>) => doc('ResourceType', { resources: [{ id: 'db', template: {} }], ...spec });
const workload = (spec: Record<string, unknown>) =>
  doc('Workload', { owner: { projectName: 'shop', componentName: 'cart' }, container: { image: 'ghcr.io/acme/cart:1' }, ...spec });
const channel = (spec: Record<string, unknown>) => doc('ObservabilityAlertsNotificationChannel', { environment: 'development', ...spec });
const email = {
  from: 'alerts@acme.example',
  to: ['team@acme.example'],
  smtp: {
    host: 'smtp.acme.example',
    port: 587,
    auth: { username: { secretKeyRef: { name: 's', key: 'u' } }, password: { secretKeyRef: { name: 's', key: 'p' } } },
    tls: { insecureSkipVerify: false },
  },
  template: { subject: '${alert.name}', body: '${alert.description}' },
};

const CASES: Case[] = [
  // componenttype_types.go
  [
    'componenttype_types.go ComponentTypeSpec XValidation: a resource with id == workloadType',
    deploymentType({ resources: [{ id: 'service', template: {} }] }),
    ["spec.resources: must contain a primary resource with id 'deployment' (the workloadType)"],
  ],
  [
    'componenttype_types.go ComponentTypeSpec XValidation: proxy needs no primary resource',
    doc('ComponentType', { workloadType: 'proxy', resources: [{ id: 'route', template: {} }] }),
    [],
  ],
  [
    'componenttype_types.go ComponentTypeSpec.workloadType Enum=deployment;statefulset;cronjob;job;proxy',
    doc('ComponentType', { workloadType: 'daemonset', resources: [{ id: 'daemonset', template: {} }] }),
    ['spec.workloadType: must be one of "deployment", "statefulset", "cronjob", "job", "proxy", got "daemonset"'],
  ],
  [
    'componenttype_types.go ComponentTypeSpec XValidation: validations and preRenderValidations are exclusive',
    deploymentType({ validations: [{ rule: '${true}', message: 'a' }], preRenderValidations: [{ rule: '${true}', message: 'b' }] }),
    ['spec.validations: set only one of spec.validations or spec.preRenderValidations; validations is deprecated, use preRenderValidations'],
  ],
  [
    'componenttype_types.go ResourceTemplate XValidation: var is required when forEach is specified',
    deploymentType({ resources: [{ id: 'deployment', template: {} }, { id: 'cm', forEach: '${parameters.list}', template: {} }] }),
    ['spec.resources[1].var: var is required when forEach is specified'],
  ],
  [
    'componenttype_types.go ResourceTemplate.includeWhen Pattern=^\\$\\{[\\s\\S]+\\}\\s*$',
    deploymentType({ resources: [{ id: 'deployment', includeWhen: 'true', template: {} }] }),
    ['spec.resources[0].includeWhen: must be a CEL expression wrapped in ${...}'],
  ],
  [
    'componenttype_types.go ResourceTemplate.targetPlane Enum=dataplane;observabilityplane',
    deploymentType({ resources: [{ id: 'deployment', targetPlane: 'controlplane', template: {} }] }),
    ['spec.resources[0].targetPlane: must be one of "dataplane", "observabilityplane", got "controlplane"'],
  ],
  [
    'clustercomponenttype_types.go ClusterComponentTypeTrait.kind Enum=ClusterTrait (default ClusterTrait)',
    cluster('ClusterComponentType', {
      workloadType: 'deployment',
      traits: [{ kind: 'Trait', name: 'hpa', instanceName: 'hpa' }],
      resources: [{ id: 'deployment', template: {} }],
    }),
    ['spec.traits[0].kind: must be "ClusterTrait", got "Trait"'],
  ],
  [
    'clustercomponenttype_types.go ClusterComponentTypeSpec.allowedTraits: must not overlap the traits embedded in spec.traits',
    cluster('ClusterComponentType', {
      workloadType: 'deployment',
      traits: [{ name: 'hpa', instanceName: 'hpa' }],
      allowedTraits: [{ kind: 'ClusterTrait', name: 'hpa' }],
      resources: [{ id: 'deployment', template: {} }],
    }),
    ["spec.allowedTraits[0]: ClusterTrait 'hpa' is already embedded in spec.traits; allowedTraits must not overlap the embedded traits"],
  ],
  [
    'componenttype_types.go ComponentTypeTrait.instanceName: unique across all embedded traits',
    deploymentType({ traits: [{ name: 'pvc', instanceName: 'data' }, { name: 'pvc', instanceName: 'data' }] }),
    ["spec.traits[1].instanceName: duplicate trait instanceName 'data'; instance names must be unique among the embedded traits"],
  ],
  // resourcetype_types.go
  [
    'resourcetype_types.go ResourceTypeManifest.includeWhen Pattern (the entry is rendered only when true)',
    resourceType({ resources: [{ id: 'db', template: {} }, { id: 'admin', includeWhen: '${parameters.admin}', template: {} }] }),
    [],
  ],
  [
    'resourcetype_types.go ResourceTypeManifest.readyWhen Pattern=^\\$\\{[\\s\\S]+\\}\\s*$',
    resourceType({ resources: [{ id: 'db', readyWhen: 'applied.db.status.ready', template: {} }] }),
    ['spec.resources[0].readyWhen: must be a CEL expression wrapped in ${...}'],
  ],
  [
    'resourcetype_types.go ResourceTypeSpec.resources MinItems=1',
    doc('ResourceType', { resources: [] }),
    ['spec.resources: must define at least one resource'],
  ],
  [
    'resourcetype_types.go ResourceTypeSpec.resources listMapKey=id',
    resourceType({ resources: [{ id: 'db', template: {} }, { id: 'db', template: {} }] }),
    ["spec.resources[1]: duplicate resource id 'db'"],
  ],
  [
    'resourcetype_types.go ResourceTypeOutput XValidation: exactly one of value, secretKeyRef, or configMapKeyRef',
    resourceType({ outputs: [{ name: 'host' }] }),
    ['spec.outputs[0]: exactly one of value, secretKeyRef, or configMapKeyRef must be set'],
  ],
  [
    'resourcetype_types.go ResourceTypeEndpoint XValidation: hostFrom and portFrom are set together',
    resourceType({ outputs: [{ name: 'host', value: 'h' }], endpoints: [{ name: 'primary', hostFrom: 'host', port: '6379' }] }),
    [
      'spec.endpoints[0].portFrom: hostFrom and portFrom must be set together: name outputs for both halves of the address, or declare both inline with host and port',
    ],
  ],
  [
    'resourcetype_types.go ResourceTypeEndpoint XValidation: host from hostFrom or host, port from portFrom or port',
    resourceType({ endpoints: [{ name: 'primary', host: '${metadata.name}' }] }),
    ['spec.endpoints[0]: host must come from hostFrom or host, and port from portFrom or port'],
  ],
  [
    'resourcetype_types.go ResourceTypeEndpoint.port: a literal renders to 1-65535 (checked at admission)',
    resourceType({ endpoints: [{ name: 'primary', host: 'db', port: '70000' }] }),
    ['spec.endpoints[0].port: must be a port 1-65535 or a ${...} expression (quote it: port: "6379")'],
  ],
  [
    'resourcetype_types.go ResourceTypeEndpoint.portFrom: two endpoints must not share a port output',
    resourceType({
      outputs: [{ name: 'host', value: 'h' }, { name: 'port', value: '1' }],
      endpoints: [
        { name: 'a', hostFrom: 'host', portFrom: 'port' },
        { name: 'b', hostFrom: 'host', portFrom: 'port' },
      ],
    }),
    ["spec.endpoints[1].portFrom: output 'port' is already the port of endpoints[0]; two endpoints must not share a port output"],
  ],
  [
    'resourcetype_types.go ResourceTypeEndpoint.name Pattern=DNS-1123 label, listMapKey=name',
    resourceType({ endpoints: [{ name: 'Primary', host: 'db', port: '1' }] }),
    [expect.stringMatching(/^spec\.endpoints\[0\]\.name: must be an RFC 1123 label/) as unknown as string],
  ],
  // deploymentpipeline_types.go, environment_types.go
  [
    'deploymentpipeline_types.go PromotionPath.targetEnvironmentRefs: required, no MinItems',
    doc('DeploymentPipeline', { promotionPaths: [{ sourceEnvironmentRef: { name: 'production' }, targetEnvironmentRefs: [] }] }),
    [],
  ],
  [
    'deploymentpipeline_types.go PromotionPath.targetEnvironmentRefs: required',
    doc('DeploymentPipeline', { promotionPaths: [{ sourceEnvironmentRef: { name: 'production' } }] }),
    ['spec.promotionPaths[0].targetEnvironmentRefs: is required'],
  ],
  [
    'types.go DataPlaneRef.kind Enum=DataPlane;ClusterDataPlane',
    doc('Environment', { dataPlaneRef: { kind: 'WorkflowPlane', name: 'default' } }),
    ['spec.dataPlaneRef.kind: must be one of "DataPlane", "ClusterDataPlane", got "WorkflowPlane"'],
  ],
  // workload_types.go
  [
    'workload_types.go EnvVar XValidation: value and valueFrom are mutually exclusive',
    workload({ container: { image: 'x', env: [{ key: 'A', value: 'a', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] } }),
    ['spec.container.env[0]: value and valueFrom are mutually exclusive'],
  ],
  [
    'workload_types.go WorkloadEndpoint.port Minimum=1 Maximum=65535',
    workload({ endpoints: { http: { type: 'HTTP', port: 0 } } }),
    ['spec.endpoints.http.port: must be 1-65535'],
  ],
  [
    'workload_types.go WorkloadEndpoint.visibility Enum=project;namespace;internal;external',
    workload({ endpoints: { http: { type: 'HTTP', port: 80, visibility: ['public'] } } }),
    ['spec.endpoints.http.visibility[0]: must be one of "project", "namespace", "internal", "external", got "public"'],
  ],
  [
    'workload_types.go WorkloadConnection.visibility Enum=project;namespace',
    workload({ dependencies: { endpoints: [{ component: 'a', name: 'http', visibility: 'external', envBindings: {} }] } }),
    ['spec.dependencies.endpoints[0].visibility: must be one of "project", "namespace", got "external"'],
  ],
  [
    'workload_types.go WorkloadDependencies.resources listMapKey=ref',
    workload({ dependencies: { resources: [{ ref: 'db' }, { ref: 'db' }] } }),
    ["spec.dependencies.resources[1].ref: duplicate dependency on Resource 'db'; list each Resource once"],
  ],
  [
    'workload_types.go WorkloadSource.commit MinLength=7 MaxLength=40 Pattern=^[0-9a-fA-F]+$',
    workload({ source: { commit: 'ABCDEF0123' } }),
    [],
  ],
  [
    'workload_types.go WorkloadSource.commit MaxLength=40',
    workload({ source: { commit: 'a'.repeat(41) } }),
    ['spec.source.commit: must be a Git commit id: 7-40 hex digits'],
  ],
  // types.go references
  [
    'types.go ComponentTypeRef.name Pattern=^(deployment|statefulset|cronjob|job|proxy)/<name>$',
    doc('Component', { owner: { projectName: 'shop' }, componentType: { name: 'service' } }),
    [
      "spec.componentType.name: must be '<workloadType>/<componentTypeName>', e.g. 'deployment/service' (workloadType: deployment, statefulset, cronjob, job or proxy)",
    ],
  ],
  [
    'types.go ProjectTypeRef.kind Enum=ProjectType;ClusterProjectType (default ProjectType)',
    doc('Project', { deploymentPipelineRef: { name: 'default' }, type: { name: 'standard' } }),
    [],
  ],
  [
    'types.go DeploymentPipelineRef: the legacy string form is read as {name}',
    doc('Project', { deploymentPipelineRef: 'default' }),
    [],
  ],
  // clusterprojecttype_types.go, projectreleasebinding_types.go
  [
    'clusterprojecttype_types.go ClusterProjectTypeSpec.resources MinItems=1',
    cluster('ClusterProjectType', { resources: [] }),
    ['spec.resources: must define at least one resource'],
  ],
  [
    'clusterprojecttype_types.go scope=Cluster: no namespace',
    doc('ClusterProjectType', { resources: [{ id: 'quota', template: {} }] }),
    ['metadata.namespace: ClusterProjectType is cluster-scoped and must not have a namespace'],
  ],
  [
    'projectreleasebinding_types.go ProjectReleaseBindingSpec.owner Required',
    doc('ProjectReleaseBinding', { environment: 'development' }),
    ['spec.owner: is required'],
  ],
  // observabilityalertsnotificationchannel_types.go
  [
    'observabilityalertsnotificationchannel_types.go Spec XValidation: emailConfig is required when type is email',
    channel({ type: 'email' }),
    ['spec.emailConfig: is required when type is email'],
  ],
  [
    'observabilityalertsnotificationchannel_types.go Spec XValidation: webhookConfig is required when type is webhook',
    channel({ type: 'webhook' }),
    ['spec.webhookConfig: is required when type is webhook'],
  ],
  [
    'observabilityalertsnotificationchannel_types.go NotificationChannelType Enum=email;webhook',
    channel({ type: 'slack' }),
    ['spec.type: must be one of "email", "webhook", got "slack"'],
  ],
  [
    'observabilityalertsnotificationchannel_types.go EmailConfig.to MinItems=1, items Pattern=<email>',
    channel({ type: 'email', emailConfig: { ...email, to: ['team at acme'] } }),
    ['spec.emailConfig.to[0]: must be an email address, e.g. alerts@example.com'],
  ],
  [
    'observabilityalertsnotificationchannel_types.go SMTPConfig.port Minimum=1 Maximum=65535',
    channel({ type: 'email', emailConfig: { ...email, smtp: { ...email.smtp, port: 0 } } }),
    ['spec.emailConfig.smtp.port: must be 1-65535'],
  ],
  [
    'observabilityalertsnotificationchannel_types.go WebhookHeaderValue XValidation: exactly one of value or valueFrom',
    channel({ type: 'webhook', webhookConfig: { url: 'https://hooks.acme.example', headers: { Authorization: {} } } }),
    ['spec.webhookConfig.headers.Authorization: exactly one of value or valueFrom must be set'],
  ],
  [
    'observabilityalertsnotificationchannel_types.go WebhookConfig.url Format=uri',
    channel({ type: 'webhook', webhookConfig: { url: '/alerts' } }),
    ['spec.webhookConfig.url: must be an absolute URL, e.g. https://hooks.example.com/alerts'],
  ],
  [
    'observabilityalertsnotificationchannel_types.go: a valid email channel',
    channel({ type: 'email', isEnvDefault: true, emailConfig: email }),
    [],
  ],
  // hook_types.go, clusterhook_types.go, hookbinding_types.go
  [
    'hook_types.go HookParameter: exactly one of value, from, default or required',
    doc('Hook', { workflowRef: { name: 'scan' }, parameters: [{ name: 'image', value: 'x', default: 'y' }] }),
    ['spec.parameters[0]: set exactly one of value, from, default or required: true'],
  ],
  [
    'hook_types.go HookParameter: overridable combines with from only',
    doc('Hook', { workflowRef: { name: 'scan' }, parameters: [{ name: 'image', default: 'y', overridable: true }] }),
    ['spec.parameters[0].overridable: applies only to a parameter computed by from'],
  ],
  [
    'clusterhook_types.go ClusterHook: may only reference a ClusterWorkflow',
    cluster('ClusterHook', { workflowRef: { kind: 'Workflow', name: 'scan' } }),
    ['spec.workflowRef.kind: must be "ClusterWorkflow", got "Workflow"'],
  ],
  [
    'hookbinding_types.go HookBinding.retries Minimum=0 Maximum=5',
    doc('Environment', { hooks: { preDeploy: [{ name: 'scan', hookRef: { name: 'scan' }, retries: 6 }] } }),
    ['spec.hooks.preDeploy[0].retries: must be 0-5'],
  ],
  [
    'hookbinding_types.go HookBinding.name: unique across both phases of an environment',
    doc('Environment', {
      hooks: { preDeploy: [{ name: 'scan', hookRef: { name: 'a' } }], postDeploy: [{ name: 'scan', hookRef: { name: 'b' } }] },
    }),
    ["spec.hooks.postDeploy[0].name: duplicate hook binding name 'scan' (also in preDeploy); names are unique across both phases"],
  ],
  [
    'hookbinding_types.go HookBinding.mode Enum=Sync;Async',
    doc('Environment', { hooks: { postDeploy: [{ name: 'notify', hookRef: { name: 'a' }, mode: 'Later' }] } }),
    ['spec.hooks.postDeploy[0].mode: must be one of "Sync", "Async", got "Later"'],
  ],
  // workflow_types.go
  [
    'workflow_types.go WorkflowSpec.runTemplate Required',
    doc('Workflow', { ttlAfterCompletion: '1d' }),
    ['spec.runTemplate: is required'],
  ],
  [
    'workflow_types.go WorkflowResult.valueFrom XValidation: exactly one of taskResult or expression',
    doc('Workflow', { runTemplate: {}, results: [{ name: 'image', valueFrom: {} }] }),
    ['spec.results[0].valueFrom: exactly one of taskResult or expression must be set'],
  ],
  [
    'workflow_types.go ExternalRef.kind Enum=SecretReference',
    doc('Workflow', { runTemplate: {}, externalRefs: [{ id: 'creds', apiVersion: 'v1', kind: 'Secret', name: 'x' }] }),
    ['spec.externalRefs[0].kind: must be "SecretReference", got "Secret"'],
  ],
  [
    'workflow_types.go WorkflowSpec.ttlAfterCompletion Pattern=^(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$',
    doc('Workflow', { runTemplate: {}, ttlAfterCompletion: '1 day' }),
    ["spec.ttlAfterCompletion: must be a duration such as '90d' or '1h30m'"],
  ],
  // resourcerelease_types.go
  [
    'resourcerelease_types.go ResourceReleaseResourceType.kind Enum=ResourceType;ClusterResourceType',
    doc('ResourceRelease', { owner: { projectName: 'shop', resourceName: 'db' }, resourceType: { kind: 'Resource', name: 'pg', spec: {} } }),
    ['spec.resourceType.kind: must be one of "ResourceType", "ClusterResourceType", got "Resource"'],
  ],
];

describe('OpenChoreo v1alpha1 conformance: CRD rules', () => {
  it.each(CASES)('%s', (_source, document, errors) => {
    const result = validateResource(document);
    expect(result.problems.filter(p => p.severity === 'error').map(p => `${p.field ?? ''}: ${p.message}`)).toEqual(errors);
  });

  // A valid document is kept exactly as written, and is not warned about (no field is unknown).
  it.each(CASES.filter(([, , errors]) => errors.length === 0))('keeps as written: %s', (_source, document) => {
    const result = validateResource(document);
    expect(result.problems).toEqual([]);
    expect(result.resource).toBe(document);
  });
});

// Forms OpenChoreo's API has removed: an error naming the field and what replaced it, not an
// unknown-field warning (the API server would drop the field, and with it the type's schema).
describe('OpenChoreo v1alpha1 conformance: removed forms', () => {
  const ocSchema = { ocSchema: { replicas: 'integer | default=1', $types: { Port: { port: 'integer' } } } };
  it.each<[source: string, document: Record<string, unknown>, field: string]>([
    ['componenttype_types.go SchemaSection: openAPIV3Schema only (ocSchema removed in openchoreo/openchoreo#2679)', deploymentType({ parameters: ocSchema }), 'spec.parameters.ocSchema'],
    ['clustercomponenttype_types.go SchemaSection (ocSchema removed)', cluster('ClusterComponentType', { workloadType: 'deployment', resources: [{ id: 'deployment', template: {} }], environmentConfigs: ocSchema }), 'spec.environmentConfigs.ocSchema'],
    ['trait_types.go TraitSpec.parameters SchemaSection (ocSchema removed)', doc('Trait', { parameters: ocSchema }), 'spec.parameters.ocSchema'],
    ['clustertrait_types.go ClusterTraitSpec.environmentConfigs SchemaSection (ocSchema removed)', cluster('ClusterTrait', { environmentConfigs: ocSchema }), 'spec.environmentConfigs.ocSchema'],
    ['resourcetype_types.go ResourceTypeSpec.parameters SchemaSection', resourceType({ parameters: ocSchema }), 'spec.parameters.ocSchema'],
    ['workflow_types.go WorkflowSpec.parameters SchemaSection (ocSchema removed)', doc('Workflow', { runTemplate: {}, parameters: ocSchema }), 'spec.parameters.ocSchema'],
    ['componenttype_types.go: spec.schema {types, parameters, envOverrides} became parameters/environmentConfigs', deploymentType({ schema: { parameters: { replicas: 'integer | default=1' } } }), 'spec.schema'],
    ['trait_types.go: spec.schema became parameters/environmentConfigs', doc('Trait', { schema: { envOverrides: { size: 'string' } } }), 'spec.schema'],
  ])('%s', (_source, document, field) => {
    const result = validateResource(document);
    expect(result.resource).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        field,
        message: expect.stringMatching(/no longer supported by OpenChoreo.*openAPIV3Schema/),
      }),
    ]);
  });

  it('still warns, as unknown, a schema field on a kind that never had one', () => {
    expect(validateResource(doc('Environment', { schema: {} })).problems).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'spec.schema', message: expect.stringMatching(/^unknown field/) }),
    ]);
  });
});

describe('OpenChoreo v1alpha1 conformance: defaults', () => {
  const pipeline = (promotionPaths: unknown): DeploymentPipeline => doc('DeploymentPipeline', { promotionPaths }) as DeploymentPipeline;

  it.each([
    ['clustercomponenttype_types.go ClusterComponentTypeTrait.kind default=ClusterTrait', 'ClusterComponentType', {}, 'ClusterTrait'],
    ['componenttype_types.go ComponentTypeTrait.kind default=Trait', 'ComponentType', {}, 'Trait'],
    ['types.go TraitRef.kind: a written kind is kept', 'ComponentType', { kind: 'ClusterTrait' }, 'ClusterTrait'],
  ] as const)('%s', (_source, typeKind, trait, kind) => {
    expect(traitKindIn(typeKind, trait)).toBe(kind);
  });

  it('component controller findRootEnvironment: autoDeploy targets the first source that is never a target', () => {
    const paths = [
      { sourceEnvironmentRef: { name: 'staging' }, targetEnvironmentRefs: [{ name: 'production' }] },
      { sourceEnvironmentRef: { name: 'development' }, targetEnvironmentRefs: [{ name: 'staging' }] },
    ];
    expect(firstEnvironmentOf(pipeline(paths))).toEqual({ environment: 'development' });
    expect(firstEnvironmentOf(pipeline([]))).toEqual({ problem: 'DeploymentPipeline example has no promotion paths' });
  });
});
