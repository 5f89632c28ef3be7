import { formatProblem } from '../problems';
import { MAX_DESCRIBED_ISSUES, undescribedProblem, validateResource } from './validateResource';

const base = (kind: string, spec: unknown, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind,
  metadata: { name: 'example', namespace: 'acme', ...metadata },
  spec,
});

const VALID_DOCUMENTS = {
  Project: base('Project', { deploymentPipelineRef: { name: 'standard' } }),
  Component: base('Component', {
    owner: { projectName: 'shop' },
    componentType: { kind: 'ClusterComponentType', name: 'deployment/service' },
    autoDeploy: true,
    parameters: { exposed: true },
    traits: [{ kind: 'ClusterTrait', name: 'hpa', instanceName: 'scale' }],
  }),
  Workload: base('Workload', {
    owner: { projectName: 'shop', componentName: 'cart' },
    container: {
      image: 'ghcr.io/acme/cart:1.0.0',
      env: [
        { key: 'LOG_LEVEL', value: 'info' },
        { key: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      ],
      files: [{ key: 'app.toml', mountPath: '/etc/app', value: 'a = 1' }],
    },
    endpoints: {
      http: { type: 'HTTP', port: 8080, visibility: ['external'], basePath: '/cart' },
      grpc: { type: 'gRPC', port: 9090 },
    },
    dependencies: {
      endpoints: [
        {
          component: 'catalog',
          name: 'http',
          visibility: 'project',
          envBindings: { address: 'CATALOG_URL' },
        },
      ],
      resources: [{ ref: 'orders-db', envBindings: { host: 'DB_HOST' } }],
    },
  }),
  ReleaseBinding: base('ReleaseBinding', {
    owner: { projectName: 'shop', componentName: 'cart' },
    environment: 'production',
    releaseName: 'cart-1a2b3c4d',
    componentTypeEnvironmentConfigs: { replicas: 3 },
    traitEnvironmentConfigs: { scale: { maxReplicas: 5 } },
    workloadOverrides: { container: { env: [{ key: 'LOG_LEVEL', value: 'warn' }] } },
  }),
  ComponentRelease: base('ComponentRelease', {
    owner: { projectName: 'shop', componentName: 'cart' },
    componentType: { kind: 'ComponentType', name: 'deployment/service', spec: {} },
    workload: { container: { image: 'ghcr.io/acme/cart:1.0.0' } },
  }),
  ComponentType: base('ComponentType', {
    workloadType: 'deployment',
    parameters: { openAPIV3Schema: { type: 'object', properties: {} } },
    preRenderValidations: [{ rule: '${size(workload.endpoints) > 0}', message: 'needs an endpoint' }],
    allowedTraits: [{ kind: 'Trait', name: 'hpa' }],
    resources: [
      { id: 'deployment', template: { apiVersion: 'apps/v1', kind: 'Deployment' } },
      {
        id: 'route',
        forEach: '${workload.endpoints}',
        var: 'endpoint',
        includeWhen: '${true}',
        template: { kind: 'HTTPRoute' },
      },
    ],
  }),
  ClusterComponentType: {
    ...base('ClusterComponentType', {
      workloadType: 'cronjob',
      resources: [{ id: 'cronjob', template: { kind: 'CronJob' } }],
    }),
    metadata: { name: 'scheduled-task' },
  },
  Trait: base('Trait', {
    creates: [{ template: { kind: 'PersistentVolumeClaim' } }],
    patches: [
      {
        target: { group: 'apps', version: 'v1', kind: 'Deployment' },
        operations: [{ op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'x' } }],
      },
    ],
  }),
  ClusterTrait: { ...base('ClusterTrait', { creates: [] }), metadata: { name: 'hpa' } },
  Environment: base('Environment', {
    dataPlaneRef: { kind: 'ClusterDataPlane', name: 'default' },
    isProduction: true,
    hooks: {
      preDeploy: [
        {
          name: 'image-scan',
          hookRef: { kind: 'ClusterHook', name: 'trivy-image-scan' },
          mode: 'Sync',
          onFailure: 'Block',
          timeout: '15m',
          retries: 1,
          appliesTo: [{ kind: 'ClusterComponentType', name: 'service' }],
          parameters: { severity: 'CRITICAL,HIGH' },
        },
      ],
    },
    gateway: { ingress: { external: { name: 'gw', namespace: 'gw', https: { port: 443, host: 'x.io' } } } },
  }),
  DeploymentPipeline: base('DeploymentPipeline', {
    promotionPaths: [
      { sourceEnvironmentRef: { name: 'development' }, targetEnvironmentRefs: [{ name: 'staging' }] },
      { sourceEnvironmentRef: 'staging', targetEnvironmentRefs: [{ name: 'production', requiresApproval: true }] },
    ],
  }),
  DataPlane: base('DataPlane', { secretStoreRef: { name: 'vault' } }),
  ClusterDataPlane: { ...base('ClusterDataPlane', { planeID: 'default' }), metadata: { name: 'default' } },
  Resource: base('Resource', {
    owner: { projectName: 'shop' },
    type: { kind: 'ClusterResourceType', name: 'postgres' },
    parameters: { database: 'orders' },
  }),
  ResourceType: base('ResourceType', {
    outputs: [{ name: 'host', value: '${metadata.name}' }],
    resources: [{ id: 'db', template: { kind: 'StatefulSet' } }],
  }),
  ClusterResourceType: {
    ...base('ClusterResourceType', { resources: [{ id: 'db', template: {} }] }),
    metadata: { name: 'postgres' },
  },
  ResourceReleaseBinding: base('ResourceReleaseBinding', {
    owner: { projectName: 'shop', resourceName: 'orders-db' },
    environment: 'development',
  }),
  SecretReference: base('SecretReference', {
    template: { type: 'Opaque' },
    data: [{ secretKey: 'password', remoteRef: { key: 'secret/data/db', property: 'password' } }],
    refreshInterval: '15m',
  }),
  ProjectType: base('ProjectType', {
    parameters: { openAPIV3Schema: { type: 'object' } },
    validations: [{ rule: '${size(parameters) >= 0}', message: 'm' }],
    resources: [
      { id: 'quota', includeWhen: '${has(environmentConfigs.quota)}', template: { apiVersion: 'v1', kind: 'ResourceQuota' } },
      { id: 'config', forEach: '${parameters.configs}', var: 'config', template: { kind: 'ConfigMap' } },
    ],
  }),
  ClusterProjectType: {
    ...base('ClusterProjectType', { resources: [{ id: 'quota', template: { kind: 'ResourceQuota' } }] }),
    metadata: { name: 'standard' },
  },
  ProjectRelease: base('ProjectRelease', {
    owner: { projectName: 'shop' },
    projectType: { kind: 'ClusterProjectType', name: 'standard', spec: { resources: [] } },
    parameters: { tier: 'gold' },
  }),
  ProjectReleaseBinding: base('ProjectReleaseBinding', {
    owner: { projectName: 'shop' },
    environment: 'development',
    projectRelease: 'shop-1a2b3c',
    environmentConfigs: { quota: 'small' },
  }),
  ObservabilityAlertsNotificationChannel: base('ObservabilityAlertsNotificationChannel', {
    environment: 'development',
    isEnvDefault: true,
    type: 'email',
    emailConfig: {
      from: 'alerts@acme.example',
      to: ['team@acme.example'],
      smtp: {
        host: 'smtp.acme.example',
        port: 587,
        auth: { username: { secretKeyRef: { name: 'smtp', key: 'user' } }, password: { secretKeyRef: { name: 'smtp', key: 'pass' } } },
        tls: { insecureSkipVerify: false },
      },
      template: { subject: '[${alert.severity}] ${alert.name}', body: '${alert.description}' },
    },
  }),
  ResourceRelease: base('ResourceRelease', {
    owner: { projectName: 'shop', resourceName: 'orders-db' },
    resourceType: { kind: 'ClusterResourceType', name: 'postgres', spec: { resources: [] } },
    parameters: { database: 'orders' },
  }),
  Hook: base('Hook', {
    type: 'Workflow',
    workflowRef: { kind: 'Workflow', name: 'smoke-test' },
    parameters: [
      { name: 'image', from: '${deployment.workload.containers.main.image}' },
      { name: 'severity', default: 'CRITICAL' },
      { name: 'ignoreUnfixed', from: '${deployment.environment.isProduction}', overridable: true },
      { name: 'token', required: true },
    ],
    enabledTo: [{ kind: 'ClusterComponentType', name: 'service' }],
  }),
  ClusterHook: {
    ...base('ClusterHook', { workflowRef: { kind: 'ClusterWorkflow', name: 'trivy-image-scan' } }),
    metadata: { name: 'trivy-image-scan' },
  },
  Workflow: base('Workflow', {
    parameters: { openAPIV3Schema: { type: 'object' } },
    runTemplate: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' },
    resources: [{ id: 'git-secret', includeWhen: '${has(parameters.secretRef)}', template: { kind: 'ExternalSecret' } }],
    externalRefs: [{ id: 'git-secret-reference', apiVersion: 'openchoreo.dev/v1alpha1', kind: 'SecretReference', name: '${parameters.secretRef}' }],
    results: [{ name: 'image', valueFrom: { taskResult: { task: 'publish-image', result: 'image' } } }],
    ttlAfterCompletion: '1d',
  }),
  ClusterWorkflow: {
    ...base('ClusterWorkflow', { workflowPlaneRef: { kind: 'ClusterWorkflowPlane', name: 'default' }, runTemplate: {} }),
    metadata: { name: 'dockerfile-builder' },
  },
  Namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
};

function errorsOf(document: unknown): string[] {
  return validateResource(document)
    .problems.filter(p => p.severity === 'error')
    .map(p => `${p.field ?? ''}: ${p.message}`);
}

describe('validateResource', () => {
  it.each(Object.entries(VALID_DOCUMENTS))('accepts a valid %s unchanged', (_kind, document) => {
    const result = validateResource(document);
    expect(result.problems).toEqual([]);
    expect(result.resource).toBe(document);
  });

  describe.each(Object.entries(VALID_DOCUMENTS).filter(([kind]) => kind !== 'Namespace'))(
    'an invalid %s',
    (_kind, valid) => {
      const document = valid as Record<string, any>;
      it('without spec is refused', () => {
        expect(errorsOf({ ...document, spec: undefined })).toEqual(['spec: is required']);
      });
      it('with spec of the wrong type is refused', () => {
        expect(errorsOf({ ...document, spec: 'text' })).toEqual(['spec: must be an object, got "text"']);
      });
      it('with a path-traversal name is refused', () => {
        expect(errorsOf({ ...document, metadata: { ...document.metadata, name: '../x' } })).toEqual([
          expect.stringMatching(/^metadata\.name: must be an RFC 1123 (label|subdomain)/),
        ]);
      });
      it('with the wrong apiVersion is reported as an unknown kind', () => {
        const result = validateResource({ ...document, apiVersion: 'openchoreo.dev/v1' });
        expect(result.resource).toBeUndefined();
        expect(result.problems[0].message).toMatch(/^unknown kind /);
      });
    },
  );

  it('describes the first problems of a hostile document and counts the rest (issue #11, item 1)', () => {
    const annotations = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`a${i}`, i]));
    const result = validateResource(base('Environment', { isProduction: false }, { annotations }));
    expect(result.resource).toBeUndefined();
    expect(result.problems).toHaveLength(MAX_DESCRIBED_ISSUES);
    expect(result.problems[0]).toMatchObject({ severity: 'error', field: 'metadata.annotations.a0', message: 'must be a string, got number 0' });
    expect(result.undescribed).toEqual({ count: 3_000 - MAX_DESCRIBED_ISSUES, errors: true });
    expect(undescribedProblem(result)).toEqual([
      {
        severity: 'error',
        message: `… and ${3_000 - MAX_DESCRIBED_ISSUES} more problems in this document (only the first ${MAX_DESCRIBED_ISSUES} are described)`,
      },
    ]);
  });

  it('names the field and the rule for an out-of-range port', () => {
    const workload = structuredClone(VALID_DOCUMENTS.Workload) as any;
    workload.spec.endpoints.http.port = 70000;
    const result = validateResource(workload);
    expect(result.resource).toBeUndefined();
    expect(result.problems.map(formatProblem)).toEqual([
      'Workload acme/example: spec.endpoints.http.port: must be 1-65535',
    ]);
  });

  it('rejects names that are not RFC 1123, including path traversal', () => {
    for (const name of ['../x', 'a/b', 'Cart', '-cart', 'cart-', '', 'a'.repeat(64), 'a_b']) {
      const errors = errorsOf({ ...VALID_DOCUMENTS.Project, metadata: { name, namespace: 'acme' } });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^metadata\.name: must (be an RFC 1123 label|not be empty|be at most 63)/);
    }
    expect(
      errorsOf({
        ...VALID_DOCUMENTS.Workload,
        spec: { ...(VALID_DOCUMENTS.Workload.spec as object), owner: { projectName: '..', componentName: 'cart' } },
      }),
    ).toEqual([expect.stringMatching(/^spec\.owner\.projectName: must be an RFC 1123 label/)]);
  });

  it('reports missing required fields and wrong types by field path', () => {
    expect(errorsOf(base('Workload', { owner: { projectName: 'shop', componentName: 'cart' } }))).toEqual([
      'spec.container: is required',
    ]);
    expect(errorsOf(base('Project', { deploymentPipelineRef: 42 }))).toEqual([
      'spec.deploymentPipelineRef: must be a string or an object, got number 42',
    ]);
    expect(errorsOf({ ...VALID_DOCUMENTS.Project, spec: undefined })).toEqual(['spec: is required']);
    expect(
      errorsOf(
        base('Workload', {
          owner: { projectName: 'shop', componentName: 'cart' },
          container: { image: 'x' },
          endpoints: { http: { type: 'HTTPS', port: '8080' } },
        }),
      ),
    ).toEqual([
      'spec.endpoints.http.type: must be one of "HTTP", "gRPC", "GraphQL", "Websocket", "TCP", "UDP", got "HTTPS"',
      'spec.endpoints.http.port: must be a number, got "8080"',
    ]);
  });

  it('enforces the rules OpenChoreo writes as CEL on its CRDs', () => {
    const env = base('Workload', {
      owner: { projectName: 'shop', componentName: 'cart' },
      container: { image: 'x', env: [{ key: 'A', value: 'a', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] },
    });
    expect(errorsOf(env)).toEqual(['spec.container.env[0]: value and valueFrom are mutually exclusive']);

    const noPrimary = base('ComponentType', {
      workloadType: 'deployment',
      resources: [{ id: 'service', template: {} }],
    });
    expect(errorsOf(noPrimary)).toEqual([
      "spec.resources: must contain a primary resource with id 'deployment' (the workloadType)",
    ]);

    const loopWithoutVar = base('ComponentType', {
      workloadType: 'deployment',
      resources: [{ id: 'deployment', forEach: '${[1]}', template: {} }],
    });
    expect(errorsOf(loopWithoutVar)).toEqual(['spec.resources[0].var: var is required when forEach is specified']);

    const badRule = base('Trait', { validations: [{ rule: 'size(x) > 0', message: 'm' }] });
    expect(errorsOf(badRule)).toEqual(['spec.validations[0].rule: must be a CEL expression wrapped in ${...}']);

    const badType = base('Component', { owner: { projectName: 'shop' }, componentType: { name: 'service' } });
    expect(errorsOf(badType)[0]).toMatch(/^spec\.componentType\.name: must be '<workloadType>\/<componentTypeName>'/);

    const duplicateTraits = structuredClone(VALID_DOCUMENTS.Component) as any;
    duplicateTraits.spec.traits.push({ kind: 'ClusterTrait', name: 'pvc', instanceName: 'scale' });
    expect(errorsOf(duplicateTraits)).toEqual([
      "spec.traits[1].instanceName: duplicate trait instanceName 'scale'; instance names must be unique in a component",
    ]);

    const twoOutputs = base('ResourceType', {
      outputs: [{ name: 'host', value: 'a', secretKeyRef: { name: 'b', key: 'c' } }],
      resources: [{ id: 'db', template: {} }],
    });
    expect(errorsOf(twoOutputs)).toEqual([
      'spec.outputs[0]: exactly one of value, secretKeyRef, or configMapKeyRef must be set',
    ]);
  });

  describe('OpenChoreo v1alpha1 fields and rules (issue #16)', () => {
    it('accepts includeWhen on a ResourceType resource, as OpenChoreo defines it, without warning (defects 1 and 9)', () => {
      // resourcetype_types.go, ResourceTypeManifest.includeWhen: an optional ${...} CEL expression.
      const cache = base('ResourceType', {
        parameters: { openAPIV3Schema: { type: 'object', properties: { admin: { type: 'boolean', default: false } } } },
        resources: [
          { id: 'cache', template: { kind: 'StatefulSet' } },
          { id: 'admin', includeWhen: '${parameters.admin}', template: { kind: 'Deployment' } },
          { id: 'admin-route', includeWhen: '${parameters.admin && environmentConfigs.exposeAdmin}', template: { kind: 'HTTPRoute' } },
        ],
      });
      const result = validateResource(cache);
      expect(result.problems).toEqual([]);
      expect(result.resource).toBe(cache);
      const clusterScoped = { ...cache, kind: 'ClusterResourceType', metadata: { name: 'cache' } };
      expect(validateResource(clusterScoped).problems).toEqual([]);
    });

    it('refuses an includeWhen that is not a ${...} expression, naming the field', () => {
      const bad = base('ResourceType', { resources: [{ id: 'admin', includeWhen: 'parameters.admin', template: {} }] });
      expect(errorsOf(bad)).toEqual(['spec.resources[0].includeWhen: must be a CEL expression wrapped in ${...}']);
    });

    it('accepts a promotion path with targetEnvironmentRefs: [] (the CRD sets no minimum; defect 6)', () => {
      const pipeline = base('DeploymentPipeline', {
        promotionPaths: [
          { sourceEnvironmentRef: { name: 'development' }, targetEnvironmentRefs: [{ name: 'production' }] },
          { sourceEnvironmentRef: { name: 'production' }, targetEnvironmentRefs: [] },
        ],
      });
      expect(validateResource(pipeline).problems).toEqual([]);
      // The field itself stays required.
      expect(errorsOf(base('DeploymentPipeline', { promotionPaths: [{ sourceEnvironmentRef: 'development' }] }))).toEqual([
        'spec.promotionPaths[0].targetEnvironmentRefs: is required',
      ]);
    });

    it('accepts an embedded ClusterComponentType trait without kind, and refuses kind Trait there', () => {
      const type = (trait: Record<string, unknown>) =>
        ({
          ...base('ClusterComponentType', {
            workloadType: 'deployment',
            traits: [{ name: 'horizontal-pod-autoscaler', instanceName: 'hpa', ...trait }],
            resources: [{ id: 'deployment', template: {} }],
          }),
          metadata: { name: 'service' },
        });
      expect(validateResource(type({})).problems).toEqual([]);
      expect(errorsOf(type({ kind: 'Trait' }))).toEqual(['spec.traits[0].kind: must be "ClusterTrait", got "Trait"']);
    });

    it('checks a notification channel by its type, naming the field', () => {
      const channel = VALID_DOCUMENTS.ObservabilityAlertsNotificationChannel as any;
      const withSpec = (spec: Record<string, unknown>) => ({ ...channel, spec: { ...channel.spec, ...spec } });
      expect(errorsOf(withSpec({ emailConfig: undefined }))).toEqual(['spec.emailConfig: is required when type is email']);
      expect(errorsOf(withSpec({ type: 'webhook', emailConfig: undefined }))).toEqual(['spec.webhookConfig: is required when type is webhook']);
      expect(errorsOf(withSpec({ type: 'sms' }))).toEqual(['spec.type: must be one of "email", "webhook", got "sms"']);
      expect(errorsOf(withSpec({ emailConfig: { ...channel.spec.emailConfig, to: ['not an address'] } }))).toEqual([
        'spec.emailConfig.to[0]: must be an email address, e.g. alerts@example.com',
      ]);
      expect(errorsOf(withSpec({ emailConfig: { ...channel.spec.emailConfig, to: [] } }))).toEqual([
        'spec.emailConfig.to: must list at least one recipient',
      ]);
      const webhook = (webhookConfig: Record<string, unknown>) => withSpec({ type: 'webhook', emailConfig: undefined, webhookConfig });
      expect(validateResource(webhook({ url: 'https://hooks.example.com/x', headers: { 'X-Token': { valueFrom: { secretKeyRef: { name: 'hook', key: 'token' } } } } })).problems).toEqual([]);
      expect(errorsOf(webhook({ url: 'hooks.example.com/x' }))).toEqual([
        'spec.webhookConfig.url: must be an absolute URL, e.g. https://hooks.example.com/alerts',
      ]);
      expect(errorsOf(webhook({ url: 'https://h.example', headers: { 'X-A': { value: 'a', valueFrom: { secretKeyRef: { name: 'h', key: 'k' } } } } }))).toEqual([
        'spec.webhookConfig.headers.X-A: exactly one of value or valueFrom must be set',
      ]);
    });

    it('checks project-level kinds, naming the field', () => {
      const type = VALID_DOCUMENTS.ProjectType as any;
      expect(errorsOf({ ...type, spec: { resources: [] } })).toEqual(['spec.resources: must define at least one resource']);
      expect(
        errorsOf({ ...type, spec: { resources: [{ id: 'a', template: {} }, { id: 'a', template: {} }] } }),
      ).toEqual(["spec.resources[1].id: duplicate resource id 'a'"]);
      expect(errorsOf({ ...type, spec: { resources: [{ id: 'a', forEach: '${[1]}', template: {} }] } })).toEqual([
        'spec.resources[0].var: var is required when forEach is specified',
      ]);
      const binding = VALID_DOCUMENTS.ProjectReleaseBinding as any;
      expect(errorsOf({ ...binding, spec: { ...binding.spec, environment: 'Dev' } })).toEqual([
        expect.stringMatching(/^spec\.environment: must be an RFC 1123 label/),
      ]);
      expect(errorsOf({ ...binding, spec: { environment: 'development' } })).toEqual(['spec.owner: is required']);
      const release = VALID_DOCUMENTS.ProjectRelease as any;
      expect(errorsOf({ ...release, spec: { ...release.spec, projectType: { kind: 'ComponentType', name: 'x', spec: {} } } })).toEqual([
        'spec.projectType.kind: must be one of "ProjectType", "ClusterProjectType", got "ComponentType"',
      ]);
      const project = VALID_DOCUMENTS.Project as any;
      expect(errorsOf({ ...project, spec: { ...project.spec, type: { kind: 'ClusterComponentType', name: 'standard' } } })).toEqual([
        'spec.type.kind: must be one of "ProjectType", "ClusterProjectType", got "ClusterComponentType"',
      ]);
    });
  });

  it('keeps a resource with unknown fields and warns about each', () => {
    const project = { ...VALID_DOCUMENTS.Project, spec: { deploymentPipelineRef: 'standard', pipline: 'x' } };
    const result = validateResource(project);
    expect(result.resource).toBe(project);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'spec.pipline' }),
    ]);
  });

  it('reports unknown kinds instead of dropping them silently', () => {
    const result = validateResource({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } });
    expect(result.resource).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^unknown kind Deployment \(apiVersion apps\/v1\)/),
      }),
    ]);
    expect(validateResource({ apiVersion: 'openchoreo.dev/v1alpha1', kind: 'Widget' }).problems[0].message).toMatch(
      /unknown kind Widget/,
    );
  });

  it('refuses a namespace on cluster-scoped kinds', () => {
    expect(errorsOf({ ...VALID_DOCUMENTS.ClusterTrait, metadata: { name: 'hpa', namespace: 'acme' } })).toEqual([
      'metadata.namespace: ClusterTrait is cluster-scoped and must not have a namespace',
    ]);
  });

  describe('hostile values a hand-pushed file may carry', () => {
    const workload = VALID_DOCUMENTS.Workload as any;
    const withContainer = (container: Record<string, unknown>) => ({
      ...workload,
      spec: { ...workload.spec, container: { ...workload.spec.container, ...container } },
    });
    const withSpec = (document: any, spec: Record<string, unknown>) => ({ ...document, spec: { ...document.spec, ...spec } });

    it.each([
      ['a space', 'nginx latest', /spec\.container\.image: must be a container image reference without spaces/],
      ['a shell command', '$(rm -rf /)', /spec\.container\.image: must be a container image reference without spaces/],
      ['an empty tag', 'x:', /spec\.container\.image: has an invalid tag ""/],
      ['a short digest', 'x@sha256:zz', /spec\.container\.image: has an invalid sha256 digest/],
      ['an uppercase path', 'ghcr.io/Acme/app:1', /spec\.container\.image: has an invalid repository path component "Acme"/],
      ['5,000 characters', 'a'.repeat(5000), /spec\.container\.image: must be a container image reference of at most/],
    ])('refuses an image with %s', (_what, image, message) => {
      expect(errorsOf(withContainer({ image }))).toEqual([expect.stringMatching(message)]);
    });

    it('refuses the same image in a ComponentRelease snapshot', () => {
      const release = VALID_DOCUMENTS.ComponentRelease as any;
      expect(errorsOf({ ...release, spec: { ...release.spec, workload: { container: { image: 'a b' } } } })).toEqual([
        expect.stringMatching(/^spec\.workload\.container\.image: /),
      ]);
    });

    it('refuses duplicate environment variables and files, naming both places', () => {
      const env = [
        { key: 'PORT', value: '1' },
        { key: 'LOG', value: 'x' },
        { key: 'PORT', value: '2' },
      ];
      expect(errorsOf(withContainer({ env }))).toEqual([
        'spec.container.env[2].key: duplicate environment variable "PORT" (also at [0]); each key may appear once',
      ]);
      const files = [
        { key: 'a.toml', mountPath: '/etc', value: '' },
        { key: 'a.toml', mountPath: '/etc', value: '' },
      ];
      expect(errorsOf(withContainer({ files }))).toEqual([expect.stringMatching(/^spec\.container\.files\[1\]\.key: duplicate file "a\.toml"/)]);
      const binding = VALID_DOCUMENTS.ReleaseBinding as any;
      expect(
        errorsOf(withSpec(binding, { workloadOverrides: { container: { env: [{ key: 'A', value: '' }, { key: 'A', value: '' }] } } })),
      ).toEqual([expect.stringMatching(/^spec\.workloadOverrides\.container\.env\[1\]\.key: duplicate environment variable "A"/)]);
    });

    it('refuses an environment variable name a container cannot have', () => {
      expect(errorsOf(withContainer({ env: [{ key: 'A=B', value: '' }] }))).toEqual([
        expect.stringMatching(/^spec\.container\.env\[0\]\.key: must be an environment variable name/),
      ]);
    });

    it('refuses two endpoints on one port, naming both', () => {
      const endpoints = { http: { type: 'HTTP', port: 8080 }, admin: { type: 'HTTP', port: 8080 } };
      expect(errorsOf(withSpec(workload, { endpoints }))).toEqual([
        'spec.endpoints.admin.port: port 8080 is already used by endpoint http; each endpoint needs its own port',
      ]);
    });

    it('refuses a basePath that is not a URL path', () => {
      const endpoints = { http: { type: 'HTTP', port: 8080, basePath: '/api\nX-Injected: 1' } };
      expect(errorsOf(withSpec(workload, { endpoints }))).toEqual([
        expect.stringMatching(/^spec\.endpoints\.http\.basePath: must be a URL path: no whitespace/),
      ]);
    });

    it('refuses a source branch git would read as an option', () => {
      const source = { repository: 'https://github.com/acme/x', branch: '--upload-pack=evil' };
      expect(errorsOf(withSpec(workload, { source }))).toEqual([
        expect.stringMatching(/^spec\.source\.branch: must be a Git branch name: it must not start with '-'/),
      ]);
      expect(errorsOf(withSpec(workload, { source: { commit: 'HEAD~1' } }))).toEqual([
        'spec.source.commit: must be a Git commit id: 7-40 hex digits',
      ]);
    });

    it('refuses replicas beyond what Cellplane runs, in a binding and in a component', () => {
      const binding = VALID_DOCUMENTS.ReleaseBinding as any;
      expect(errorsOf(withSpec(binding, { componentTypeEnvironmentConfigs: { replicas: 1e9 } }))).toEqual([
        'spec.componentTypeEnvironmentConfigs.replicas: must be a whole number 0-1000, got 1000000000',
      ]);
      expect(errorsOf(withSpec(binding, { componentTypeEnvironmentConfigs: { replicas: 1.5 } }))).toHaveLength(1);
      expect(errorsOf(withSpec(VALID_DOCUMENTS.Component, { parameters: { replicas: -1 } }))).toEqual([
        'spec.parameters.replicas: must be a whole number 0-1000, got -1',
      ]);
      expect(errorsOf(withSpec(binding, { traitEnvironmentConfigs: { scale: { maxReplicas: 1e9 } } }))).toEqual([
        'spec.traitEnvironmentConfigs.scale.maxReplicas: must be a whole number 0-1000, got 1000000000',
      ]);
    });

    it('refuses an owner annotation the catalog could not resolve', () => {
      const project = VALID_DOCUMENTS.Project as any;
      const owner = `group:default/${'a'.repeat(300)}`;
      expect(errorsOf({ ...project, metadata: { ...project.metadata, annotations: { 'cellplane.dev/owner': owner } } })).toEqual([
        expect.stringMatching(/^metadata\.annotations\["cellplane\.dev\/owner"\]: must be a Backstage group or user reference/),
      ]);
    });
  });

  it('answers documents that are not mappings', () => {
    for (const document of [null, 'text', 42, ['a'], undefined]) {
      const result = validateResource(document);
      expect(result.resource).toBeUndefined();
      expect(result.problems[0].message).toMatch(/^a resource must be a YAML mapping/);
    }
    expect(errorsOf({ apiVersion: 'openchoreo.dev/v1alpha1', metadata: { name: 'x' } })).toEqual(['kind: is required']);
  });
});
