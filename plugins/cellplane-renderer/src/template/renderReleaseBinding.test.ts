import { formatProblem } from '@cellplane/backstage-plugin-common';
import { buildComponentRelease, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { exampleDocument, exampleModel } from './__testUtils__/models';
import {
  kubernetesNamespaceFor,
  RELEASE_HASH_KEY,
  RenderedObject,
  renderReleaseBinding,
  renderResourceReleaseBinding,
} from '.';

const PAYMENTS = 'namespaces/acme/projects/payments/components/payments-api';
const SERVICE_TYPE = 'platform-shared/component-types/service.yaml';

function render(model: RepositoryModel, bindingName: string) {
  const binding = model.get('ReleaseBinding', bindingName, 'acme');
  if (!binding) throw new Error(`no binding ${bindingName}`);
  return renderReleaseBinding(model, binding);
}

function one(objects: RenderedObject[], kind: string): any {
  const found = objects.filter(o => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('renderReleaseBinding on the example repository', () => {
  let model: RepositoryModel;
  beforeAll(async () => {
    model = await exampleModel();
  });

  it('renders every binding of the example without problems', () => {
    for (const binding of model.list('ReleaseBinding')) {
      const result = renderReleaseBinding(model, binding);
      expect({ binding: binding.resource.metadata.name, problems: result.problems.map(formatProblem) }).toEqual({
        binding: binding.resource.metadata.name,
        problems: [],
      });
      expect(result.objects.length).toBeGreaterThan(0);
    }
  });

  it('renders payments-api in development from its workload', () => {
    const { target, objects } = render(model, 'payments-api-development');
    const namespace = kubernetesNamespaceFor('acme', 'payments', 'development');
    expect(namespace).toMatch(/^dp-acme-payments-development-[0-9a-f]{8}$/);
    expect(target).toEqual({
      namespace: 'acme',
      project: 'payments',
      component: 'payments-api',
      environment: 'development',
      dataPlane: 'default',
      dataPlaneKind: 'ClusterDataPlane',
      kubernetesNamespace: namespace,
      releaseHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    for (const object of objects) {
      expect(object.metadata.namespace).toBe(namespace);
      expect(object.metadata.labels).toMatchObject({
        'openchoreo.dev/project': 'payments',
        'openchoreo.dev/component': 'payments-api',
        'openchoreo.dev/environment': 'development',
        [RELEASE_HASH_KEY]: target!.releaseHash,
      });
      expect(object.metadata.annotations?.[RELEASE_HASH_KEY]).toBe(target!.releaseHash);
    }

    const deployment = one(objects, 'Deployment');
    expect(deployment.metadata.name).toMatch(/^payments-api-development-[0-9a-f]{8}$/);
    expect(deployment.spec.replicas).toBe(1);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toBe('ghcr.io/acme/payments-api:1.4.2');
    expect(container.ports).toEqual([{ name: 'rest', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 8080 });
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(45);
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);

    // The Service exposes exactly the workload's endpoints and selects the pods.
    const service = one(objects, 'Service');
    expect(service.metadata.name).toBe('payments-api');
    expect(service.spec.ports).toEqual([{ name: 'rest', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);

    // Dependencies become env vars: endpoint addresses in the target's cell, resource outputs.
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.FRAUD_DETECTOR_ADDRESS).toBe(`fraud-detector.${namespace}.svc.cluster.local:9090`);
    expect(env.BROKER_HOST).toBe(
      `events-broker.${kubernetesNamespaceFor('acme', 'platform-data', 'development')}.svc.cluster.local`,
    );
    expect(env.DB_PASSWORD).toEqual({
      secretKeyRef: { name: expect.stringMatching(/^payments-db-development-[0-9a-f]{8}-creds$/), key: 'password' },
    });

    // The binding's override wins over the workload's value; secrets go through ExternalSecrets.
    const configMaps = objects.filter(o => o.kind === 'ConfigMap') as any[];
    const envConfig = configMaps.find(c => c.data.LOG_LEVEL);
    expect(envConfig.data).toEqual({
      LOG_LEVEL: 'debug',
      PAYMENT_GATEWAY_BASE_URL: 'https://sandbox.payment-provider.example/v2',
      PAYMENT_EVENTS_SUBJECT: 'payments.events',
    });
    const envFrom = container.envFrom.map((e: any) => e.configMapRef?.name ?? e.secretRef?.name);
    const names = objects.map(o => o.metadata.name);
    expect(names).toEqual(expect.arrayContaining(envFrom));
    const secrets = objects.filter(o => o.kind === 'ExternalSecret') as any[];
    expect(secrets.flatMap(s => s.spec.data.map((d: any) => d.secretKey)).sort()).toEqual([
      'BROKER_PASSWORD',
      'BROKER_USER',
      'PAYMENT_GATEWAY_API_KEY',
      'webhook-signing-secret',
    ]);
    // Files are mounted from the objects that hold them.
    for (const volume of deployment.spec.template.spec.volumes) {
      expect(names).toContain(volume.configMap?.name ?? volume.secret?.secretName);
    }

    // Internal visibility → an HTTPRoute on the internal gateway, rewriting to the base path.
    const route = one(objects, 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([{ name: 'gateway-internal', namespace: 'openchoreo-data-plane' }]);
    expect(route.spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch).toBe('/payments/v1');
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'payments-api', port: 8080 }]);
    // Autoscaler disabled in development: no HPA.
    expect(objects.some(o => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('applies environment configs and traits in production', () => {
    const { objects } = render(model, 'payments-api-production');
    const deployment = one(objects, 'Deployment');
    const hpa = one(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: deployment.metadata.name },
      minReplicas: 3,
      maxReplicas: 12,
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    });
    expect(hpa.spec.metrics.map((m: any) => m.resource.name)).toEqual(['cpu', 'memory']);
    // The trait's patch removed replicas so the HPA owns them.
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '2', memory: '1Gi' },
    });
  });

  it('is deterministic, sorted, and hashes its inputs', async () => {
    const first = render(model, 'payments-api-staging');
    const again = render(await exampleModel(), 'payments-api-staging');
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const kinds = first.objects.map(o => o.kind);
    expect([...kinds].sort()).toEqual(kinds);
    expect(render(model, 'payments-api-development').target!.releaseHash).not.toBe(first.target!.releaseHash);

    const workload = await exampleDocument(`${PAYMENTS}/workload.yaml`);
    workload.spec.container.image = 'ghcr.io/acme/payments-api:1.5.0';
    const changed = render(await exampleModel({ [`${PAYMENTS}/workload.yaml`]: workload }), 'payments-api-staging');
    expect(changed.target!.releaseHash).not.toBe(first.target!.releaseHash);
    expect(one(changed.objects, 'Deployment').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/payments-api:1.5.0');
  });

  it('renders a managed resource from its ResourceType', () => {
    const binding = model.get('ResourceReleaseBinding', 'payments-db-development', 'acme')!;
    const { target, objects, problems } = renderResourceReleaseBinding(model, binding);
    expect(problems).toEqual([]);
    expect(target).toMatchObject({ component: 'payments-db', project: 'payments', environment: 'development' });
    const statefulSet = one(objects, 'StatefulSet');
    expect(statefulSet.spec.template.spec.containers[0].image).toBe('docker.io/library/postgres:16-alpine');
    expect(one(objects, 'ConfigMap').data).toEqual({ database: 'payments', username: 'payments_app' });
    // No storage class configured: the oc_omit() field is gone.
    expect(statefulSet.spec.volumeClaimTemplates[0].spec).not.toHaveProperty('storageClassName');
    expect(statefulSet.metadata.labels[RELEASE_HASH_KEY]).toBe(target!.releaseHash);
  });

  it('renders from the ComponentRelease a binding names, not from the live component', async () => {
    const release = buildComponentRelease(model, 'acme', 'payments-api');
    const binding = await exampleDocument(`${PAYMENTS}/release-bindings/payments-api-staging.yaml`);
    binding.spec.releaseName = release.name;
    const workload = await exampleDocument(`${PAYMENTS}/workload.yaml`);
    workload.spec.container.image = 'ghcr.io/acme/payments-api:9.9.9';
    const pinned = await exampleModel({
      [release.path]: release.resource,
      [`${PAYMENTS}/release-bindings/payments-api-staging.yaml`]: binding,
      [`${PAYMENTS}/workload.yaml`]: workload,
    });
    const fromRelease = render(pinned, 'payments-api-staging');
    expect(fromRelease.problems).toEqual([]);
    expect(one(fromRelease.objects, 'Deployment').spec.template.spec.containers[0].image).toBe(
      'ghcr.io/acme/payments-api:1.4.2',
    );
    // Every object names the release it came from.
    for (const object of fromRelease.objects) {
      expect(object.metadata.annotations?.['cellplane.dev/release']).toBe(release.name);
    }
    expect(one(render(pinned, 'payments-api-development').objects, 'Deployment').spec.template.spec.containers[0].image).toBe(
      'ghcr.io/acme/payments-api:9.9.9',
    );

    binding.spec.releaseName = 'payments-api-0000000000';
    const missing = render(await exampleModel({ [`${PAYMENTS}/release-bindings/payments-api-staging.yaml`]: binding }), 'payments-api-staging');
    expect(missing.objects).toEqual([]);
    expect(missing.problems.map(formatProblem)).toEqual([
      expect.stringContaining("spec.releaseName: ReleaseBinding: ComponentRelease 'payments-api-0000000000' does not exist"),
    ]);
  });

  it('applies a trait with patches per forEach item and removes', async () => {
    const type = await exampleDocument(SERVICE_TYPE);
    type.spec.allowedTraits.push({ kind: 'ClusterTrait', name: 'headless' });
    const trait = {
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ClusterTrait',
      metadata: { name: 'headless' },
      spec: {
        parameters: { openAPIV3Schema: { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } } } },
        patches: [
          {
            forEach: '${parameters.labels}',
            var: 'label',
            target: { group: 'apps', version: 'v1', kind: 'Deployment' },
            operations: [{ op: 'add', path: '/spec/template/metadata/labels/${label.key}', value: '${label.value}-${trait.instanceName}' }],
          },
        ],
        removes: [{ target: { group: '', version: 'v1', kind: 'Service', where: '${resource.spec.type == "ClusterIP"}' } }],
      },
    };
    const component = await exampleDocument(`${PAYMENTS}/component.yaml`);
    component.spec.traits.push({ kind: 'ClusterTrait', name: 'headless', instanceName: 'h', parameters: { labels: { b: '2', a: '1' } } });
    const { objects, problems } = render(
      await exampleModel({
        [SERVICE_TYPE]: type,
        'platform-shared/traits/headless.yaml': trait,
        [`${PAYMENTS}/component.yaml`]: component,
      }),
      'payments-api-development',
    );
    expect(problems).toEqual([]);
    expect(objects.some(o => o.kind === 'Service')).toBe(false);
    const labels = one(objects, 'Deployment').spec.template.metadata.labels;
    expect(labels).toMatchObject({ a: '1-h', b: '2-h' });
    expect(Object.keys(labels).slice(-2)).toEqual(['a', 'b']); // map items come sorted by key
  });

  it('mounts resource outputs named in fileBindings (dependencies.toVolumes() and toContainerVolumeMounts())', async () => {
    const workload = await exampleDocument(`${PAYMENTS}/workload.yaml`);
    workload.spec.dependencies.resources[0].fileBindings = { password: '/etc/db/password', database: '/etc/db/name', host: '/etc/db/host' };
    const result = render(await exampleModel({ [`${PAYMENTS}/workload.yaml`]: workload }), 'payments-api-development');
    const spec = one(result.objects, 'Deployment').spec.template.spec;
    const volumes = spec.volumes.filter((v: any) => v.name.startsWith('r-'));
    expect(volumes).toEqual([
      { name: expect.stringMatching(/^r-[0-9a-f]{8}$/), secret: { secretName: expect.stringMatching(/^payments-db-development-[0-9a-f]{8}-creds$/) } },
      { name: expect.stringMatching(/^r-[0-9a-f]{8}$/), configMap: { name: expect.stringMatching(/^payments-db-development-[0-9a-f]{8}-config$/) } },
    ]);
    const mounts = spec.containers[0].volumeMounts.filter((m: any) => m.name.startsWith('r-'));
    expect(mounts).toEqual([
      { name: volumes[0].name, mountPath: '/etc/db/password', subPath: 'password' },
      { name: volumes[1].name, mountPath: '/etc/db/name', subPath: 'database' },
    ]);
    // A plain value output cannot be mounted: a warning, the rest renders.
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        field: 'spec.dependencies.resources[0].fileBindings.host',
        message: "resource 'payments-db' has no secretKeyRef or configMapKeyRef output 'host' to mount",
      }),
    ]);
  });

  it('applies embedded traits, their bindings templated over the component context', async () => {
    const type = await exampleDocument(SERVICE_TYPE);
    // An embedded trait must not also be an allowed one (OpenChoreo's rule, checked by the model).
    type.spec.allowedTraits = type.spec.allowedTraits.filter((t: { name: string }) => t.name !== 'service-account');
    type.spec.traits = [
      {
        kind: 'ClusterTrait',
        name: 'service-account',
        instanceName: 'identity',
        parameters: { annotations: { team: '${metadata.projectName}' } },
        environmentConfigs: { annotations: { env: '${metadata.environmentName}' } },
      },
    ];
    const { objects, problems } = render(await exampleModel({ [SERVICE_TYPE]: type }), 'payments-api-staging');
    expect(problems).toEqual([]);
    const account = one(objects, 'ServiceAccount');
    expect(account.metadata.annotations).toMatchObject({ team: 'payments', env: 'staging' });
    expect(account.automountServiceAccountToken).toBe(false);
    expect(one(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe(account.metadata.name);
  });

  it('renders nothing for an Undeploy binding but still names its target', async () => {
    const binding = await exampleDocument(`${PAYMENTS}/release-bindings/payments-api-staging.yaml`);
    binding.spec.state = 'Undeploy';
    const result = render(await exampleModel({ [`${PAYMENTS}/release-bindings/payments-api-staging.yaml`]: binding }), 'payments-api-staging');
    expect(result).toMatchObject({ objects: [], problems: [], target: { environment: 'staging' } });
  });
});

describe('renderReleaseBinding errors', () => {
  it('reports a failing validation rule with its message; other bindings still render', async () => {
    const workload = await exampleDocument(`${PAYMENTS}/workload.yaml`);
    delete workload.spec.endpoints;
    const model = await exampleModel({ [`${PAYMENTS}/workload.yaml`]: workload });
    const result = render(model, 'payments-api-development');
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: `${PAYMENTS}/release-bindings/payments-api-development.yaml`,
        resource: { kind: 'ReleaseBinding', name: 'payments-api-development', namespace: 'acme' },
        field: 'spec.preRenderValidations[0].rule',
        message: expect.stringContaining(
          "ClusterComponentType service: rule ${size(workload.endpoints) > 0} evaluated to false: Service components must have at least one endpoint",
        ),
      }),
    ]);
    expect(render(model, 'fraud-detector-development').objects.length).toBeGreaterThan(0);
  });

  it('names the template path and the expression of a failing CEL expression', async () => {
    const type = await exampleDocument(SERVICE_TYPE);
    type.spec.resources[0].template.spec.replicas = '${environmentConfigs.scaling.replicas}';
    const model = await exampleModel({ [SERVICE_TYPE]: type });
    const result = render(model, 'payments-api-development');
    expect(result.objects).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].field).toBe('spec.resources[0].template.spec.replicas');
    expect(result.problems[0].message).toContain('ClusterComponentType service: ${environmentConfigs.scaling.replicas} failed');
    expect(result.problems[0].message).toMatch(/scaling/);
  });

  it('names the path of a syntax error in an interpolated string', async () => {
    const type = await exampleDocument(SERVICE_TYPE);
    type.spec.resources[1].template.metadata.name = 'svc-${metadata.componentName +}';
    const result = render(await exampleModel({ [SERVICE_TYPE]: type }), 'payments-api-development');
    expect(result.problems).toEqual([
      expect.objectContaining({
        field: 'spec.resources[1].template.metadata.name',
        message: expect.stringContaining('invalid expression ${metadata.componentName +}'),
      }),
    ]);
  });

  it('reports environment configs that violate the schema', async () => {
    const path = `${PAYMENTS}/release-bindings/payments-api-staging.yaml`;
    const binding = await exampleDocument(path);
    // (replicas: -1 no longer reaches the renderer: the model refuses replicas outside 0-1000.)
    binding.spec.componentTypeEnvironmentConfigs = { resources: { requests: { cpu: 5 } }, imagePullPolicy: 'Sometimes' };
    const result = render(await exampleModel({ [path]: binding }), 'payments-api-staging');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(p => `${p.field}: ${p.message}`)).toEqual([
      'spec.componentTypeEnvironmentConfigs: ClusterComponentType service: environmentConfigs validation failed: resources.requests.cpu: must be string',
      'spec.componentTypeEnvironmentConfigs: ClusterComponentType service: environmentConfigs validation failed: imagePullPolicy: must be one of "Always", "IfNotPresent", "Never"',
    ]);
  });

  it('rejects a trait the ComponentType does not allow', async () => {
    const path = 'namespaces/acme/projects/storefront/components/web-shop/component.yaml';
    const component = await exampleDocument(path);
    component.spec.traits = [
      { kind: 'ClusterTrait', name: 'persistent-volume-claim', instanceName: 'data', parameters: { mountPath: '/data' } },
    ];
    const result = render(await exampleModel({ [path]: component }), 'web-shop-development');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(p => `${p.field}: ${p.message}`)).toEqual([
      "spec.traits[0]: Component web-shop: ClusterTrait 'persistent-volume-claim' is not allowed by ClusterComponentType web-application (allowedTraits: ClusterTrait/horizontal-pod-autoscaler, ClusterTrait/service-account)",
    ]);
  });

  it('rejects a component type reference whose workload type is not the type\'s', async () => {
    const component = await exampleDocument(`${PAYMENTS}/component.yaml`);
    component.spec.componentType.name = 'statefulset/service';
    const result = render(await exampleModel({ [`${PAYMENTS}/component.yaml`]: component }), 'payments-api-development');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(p => `${p.field}: ${p.message}`)).toEqual([
      "spec.componentType: Component payments-api: 'statefulset/service' names workload type 'statefulset', but ClusterComponentType service has workloadType 'deployment'",
    ]);
  });

  it("reports a failing trait rule against the trait's instance", async () => {
    const path = `${PAYMENTS}/release-bindings/payments-api-production.yaml`;
    const binding = await exampleDocument(path);
    binding.spec.traitEnvironmentConfigs.autoscaler.minReplicas = 20;
    const result = render(await exampleModel({ [path]: binding }), 'payments-api-production');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(p => p.message)).toEqual([
      "ClusterTrait horizontal-pod-autoscaler (instance 'autoscaler'): rule ${environmentConfigs.minReplicas <= environmentConfigs.maxReplicas} evaluated to false: minReplicas must not be greater than maxReplicas.",
    ]);
  });

  it('reports a post-render validation failure', async () => {
    const type = await exampleDocument(SERVICE_TYPE);
    delete type.spec.resources[0].template.spec.template.spec.containers[0].resources.limits;
    const result = render(await exampleModel({ [SERVICE_TYPE]: type }), 'payments-api-development');
    expect(result.objects).toEqual([]);
    expect(result.problems[0]).toMatchObject({
      field: 'spec.postRenderValidations[0].rule',
      message: expect.stringContaining('Every container of a service must declare a memory limit.'),
    });
  });

  it("evaluates a trait's post-render rules against the final objects", async () => {
    const path = 'platform-shared/traits/horizontal-pod-autoscaler.yaml';
    const trait = await exampleDocument(path);
    trait.spec.postRenderValidations = [
      {
        target: { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', where: '${resource.metadata.name.endsWith(trait.instanceName)}' },
        rule: '${resource.spec.maxReplicas <= 10 && resource.spec.maxReplicas + 0 >= resource.spec.minReplicas}',
        message: 'at most 10 replicas',
      },
    ];
    const model = await exampleModel({ [path]: trait });
    expect(render(model, 'payments-api-staging').problems).toEqual([]);
    const result = render(model, 'payments-api-production');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(p => `${p.field}: ${p.message}`)).toEqual([
      expect.stringMatching(
        /^spec\.postRenderValidations\[0\]\.rule: ClusterTrait horizontal-pod-autoscaler \(instance 'autoscaler'\): rule .* evaluated to false for HorizontalPodAutoscaler payments-api-production-[0-9a-f]{8}-autoscaler: at most 10 replicas$/,
      ),
    ]);
  });

  it('warns about a secret reference that names no SecretReference key, and still renders', async () => {
    const workload = await exampleDocument(`${PAYMENTS}/workload.yaml`);
    workload.spec.container.env.push({ key: 'MISSING', valueFrom: { secretKeyRef: { name: 'nope', key: 'x' } } });
    const result = render(await exampleModel({ [`${PAYMENTS}/workload.yaml`]: workload }), 'payments-api-development');
    expect(result.objects.length).toBeGreaterThan(0);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        resource: { kind: 'Workload', name: 'payments-api', namespace: 'acme' },
        field: 'spec.container.env[6]',
      }),
    ]);
  });
});
