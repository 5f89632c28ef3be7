import { formatProblem } from '@cellplane/backstage-plugin-common';
import type { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '../renderRepository';
import { exampleDocument, exampleModel } from './__testUtils__/models';
import { RenderedObject, renderReleaseBinding, renderResourceReleaseBinding } from '.';

/**
 * Issue #16's defects on the render side, each as a user of an OpenChoreo repository meets it.
 */

const PAYMENTS = 'namespaces/acme/projects/payments';
const SERVICE_TYPE = 'platform-shared/component-types/service.yaml';
const meta = (kind: string, name: string, namespace?: string) => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

function renderBinding(model: RepositoryModel, name: string) {
  return renderReleaseBinding(model, model.get('ReleaseBinding', name, 'acme')!);
}

const kinds = (objects: RenderedObject[]) => objects.map(o => `${o.kind} ${o.metadata.name}`);

describe('a ResourceType entry with includeWhen (defect 1)', () => {
  // A cache whose admin UI (Deployment, Service, external HTTPRoute) is optional: off unless the
  // Resource asks for it, and exposed outside only where the environment allows it.
  const cacheType = {
    ...meta('ClusterResourceType', 'cache'),
    spec: {
      parameters: {
        openAPIV3Schema: { type: 'object', properties: { adminUi: { type: 'boolean', default: false } } },
      },
      environmentConfigs: {
        openAPIV3Schema: { type: 'object', properties: { exposeAdminUi: { type: 'boolean', default: false } } },
      },
      outputs: [{ name: 'host', value: '${metadata.name}.${metadata.namespace}.svc.cluster.local' }],
      resources: [
        {
          id: 'cache',
          template: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: '${metadata.name}', namespace: '${metadata.namespace}' },
            spec: { template: { spec: { containers: [{ name: 'redis', image: 'redis:7' }] } } },
          },
        },
        {
          id: 'admin',
          includeWhen: '${parameters.adminUi}',
          template: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: '${metadata.name}-admin', namespace: '${metadata.namespace}' },
            spec: { template: { spec: { containers: [{ name: 'ui', image: 'redis-commander:1' }] } } },
          },
        },
        {
          id: 'admin-service',
          includeWhen: '${parameters.adminUi}',
          template: {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: '${metadata.name}-admin', namespace: '${metadata.namespace}' },
            spec: { ports: [{ port: 8081 }] },
          },
        },
        {
          id: 'admin-route',
          // The ResourceType context: metadata, parameters, environmentConfigs and dataplane.
          includeWhen: '${parameters.adminUi && environmentConfigs.exposeAdminUi && has(dataplane.gateway.ingress.external)}',
          template: {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'HTTPRoute',
            metadata: { name: '${metadata.name}-admin', namespace: '${metadata.namespace}' },
            spec: {
              parentRefs: [{ name: '${dataplane.gateway.ingress.external.name}', namespace: '${dataplane.gateway.ingress.external.namespace}' }],
              rules: [{ backendRefs: [{ name: '${metadata.name}-admin', port: 8081 }] }],
            },
          },
        },
      ],
    },
  };

  async function cacheModel(adminUi: boolean | undefined, exposeAdminUi: boolean | undefined, type: object = cacheType) {
    return exampleModel({
      'platform-shared/resource-types/cache.yaml': type,
      [`${PAYMENTS}/resources/session-cache/resource.yaml`]: {
        ...meta('Resource', 'session-cache', 'acme'),
        spec: {
          owner: { projectName: 'payments' },
          type: { kind: 'ClusterResourceType', name: 'cache' },
          parameters: adminUi === undefined ? {} : { adminUi },
        },
      },
      [`${PAYMENTS}/resources/session-cache/release-bindings/session-cache-development.yaml`]: {
        ...meta('ResourceReleaseBinding', 'session-cache-development', 'acme'),
        spec: {
          owner: { projectName: 'payments', resourceName: 'session-cache' },
          environment: 'development',
          ...(exposeAdminUi === undefined ? {} : { resourceTypeEnvironmentConfigs: { exposeAdminUi } }),
        },
      },
    });
  }

  async function renderCache(adminUi: boolean | undefined, exposeAdminUi?: boolean, type: object = cacheType) {
    const model = await cacheModel(adminUi, exposeAdminUi, type);
    return renderResourceReleaseBinding(model, model.get('ResourceReleaseBinding', 'session-cache-development', 'acme')!);
  }

  it('leaves out a disabled optional part: no admin Deployment, Service or external HTTPRoute', async () => {
    const result = await renderCache(undefined, true);
    expect(result.problems).toEqual([]);
    expect(result.objects.map(o => o.kind)).toEqual(['Deployment']);
    expect(result.objects[0].metadata.name).not.toMatch(/admin/);
  });

  it('renders the part when its condition holds, and exposes it only where the environment allows', async () => {
    const internalOnly = await renderCache(true);
    expect(internalOnly.problems).toEqual([]);
    expect(internalOnly.objects.map(o => o.kind)).toEqual(['Deployment', 'Deployment', 'Service']);
    const exposed = await renderCache(true, true);
    expect(exposed.objects.map(o => o.kind)).toEqual(['Deployment', 'Deployment', 'HTTPRoute', 'Service']);
    const route = exposed.objects.find(o => o.kind === 'HTTPRoute') as any;
    expect(route.spec.parentRefs).toEqual([{ name: 'gateway-default', namespace: 'openchoreo-data-plane' }]);
  });

  it('an includeWhen that is not a boolean is an error naming the entry; the binding renders nothing', async () => {
    const type = structuredClone(cacheType);
    (type.spec.resources[1] as { includeWhen?: string }).includeWhen = '${metadata.name}';
    const result = await renderCache(true, false, type);
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        resource: { kind: 'ResourceReleaseBinding', name: 'session-cache-development', namespace: 'acme' },
        field: 'spec.resources[1].includeWhen',
        message: expect.stringContaining('ClusterResourceType cache: '),
      }),
    ]);
  });
});

describe('ResourceReleaseBinding problems (defect 9)', () => {
  it('name the ResourceReleaseBinding, not a ReleaseBinding', async () => {
    const path = `${PAYMENTS}/resources/payments-db/release-bindings/payments-db-development.yaml`;
    const binding = await exampleDocument(path);
    binding.spec.environment = 'qa';
    const model = await exampleModel({ [path]: binding });
    const result = renderResourceReleaseBinding(model, model.get('ResourceReleaseBinding', 'payments-db-development', 'acme')!);
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringContaining("spec.environment: ResourceReleaseBinding: environment 'qa' does not exist in namespace 'acme'"),
    ]);
  });
});

describe('trait references without a kind in a ClusterComponentType (defect 3)', () => {
  it('an embedded trait is a ClusterTrait', async () => {
    const type = await exampleDocument(SERVICE_TYPE);
    // An embedded trait must not be allowed as a component's trait too (OpenChoreo's rule).
    type.spec.allowedTraits = type.spec.allowedTraits.filter((t: { name: string }) => t.name !== 'service-account');
    type.spec.traits = [
      {
        name: 'service-account',
        instanceName: 'identity',
        parameters: { annotations: { team: '${metadata.projectName}' } },
        environmentConfigs: { annotations: { env: '${metadata.environmentName}' } },
      },
    ];
    const result = renderBinding(await exampleModel({ [SERVICE_TYPE]: type }), 'payments-api-staging');
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(kinds(result.objects)).toContainEqual(expect.stringMatching(/^ServiceAccount /));
  });

  it('an allowed trait is a ClusterTrait', async () => {
    const type = await exampleDocument(SERVICE_TYPE);
    type.spec.allowedTraits = type.spec.allowedTraits.map((t: { name: string }) => ({ name: t.name }));
    const result = renderBinding(await exampleModel({ [SERVICE_TYPE]: type }), 'payments-api-production');
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.objects.some(o => o.kind === 'HorizontalPodAutoscaler')).toBe(true);
  });
});

describe('workload helpers never answer nothing (defect 2)', () => {
  async function withProbeAnnotation(expression: string) {
    const type = await exampleDocument(SERVICE_TYPE);
    type.spec.resources[0].template.metadata.annotations = { probe: expression };
    return renderBinding(await exampleModel({ [SERVICE_TYPE]: type }), 'payments-api-development');
  }

  it.each([
    ['${configurations.toVolumes(metadata.name)}', 'configurations.toVolumes(prefix) is the older form', 'configurations.toVolumes()'],
    ['${configurations.toConfigEnvList(metadata.name)}', 'configurations.toConfigEnvList(prefix) is the older form', 'configurations.toConfigEnvsByContainer()'],
    ['${configurations.toContainerVolumeMounts("main")}', 'configurations.toContainerVolumeMounts(containerName) is the older form', 'configurations.toContainerVolumeMounts()'],
  ])('the older helper form %s fails naming the helper and its replacement', async (expression, says, replacement) => {
    const result = await withProbeAnnotation(expression);
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        field: 'spec.resources[0].template.metadata.annotations.probe',
        message: expect.stringMatching(new RegExp(`${escape(says)}.*use ${escape(replacement)}`)),
      }),
    ]);
  });

  it('a helper on a receiver that does not offer it fails naming the helper and where it is', async () => {
    const result = await withProbeAnnotation('${workload.toContainerEnvs()}');
    expect(result.problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining('toContainerEnvs() is only available on dependencies') }),
    ]);
  });

  it('toEndpointResources(): a map of the endpoints with routes; (name): an optional list', async () => {
    const path = `${PAYMENTS}/components/payments-api/workload.yaml`;
    const workload = await exampleDocument(path);
    const [endpoint] = Object.keys(workload.spec.endpoints);
    workload.spec.endpoints[endpoint].schema = { type: 'openapi', content: 'paths: {/pay: {post: {}}}' };
    const type = await exampleDocument(SERVICE_TYPE);
    // Interpolated (text around the expression), so each value is JSON in a string annotation.
    type.spec.resources[0].template.metadata.annotations = {
      all: 'all=${workload.toEndpointResources()}',
      named: `named=\${workload.toEndpointResources("${endpoint}").orValue([]).map(r, r.method + " " + r.path)}`,
      missing: 'missing=${workload.toEndpointResources("nope").hasValue()}',
    };
    const result = renderBinding(await exampleModel({ [path]: workload, [SERVICE_TYPE]: type }), 'payments-api-development');
    expect(result.problems.map(formatProblem)).toEqual([]);
    const { annotations } = (result.objects.find(o => o.kind === 'Deployment') as any).metadata;
    expect(JSON.parse(annotations.all.slice('all='.length))).toEqual({ [endpoint]: [{ kind: 'HTTP', method: 'POST', path: '/pay' }] });
    expect(annotations.named).toBe('named=["POST /pay"]');
    expect(annotations.missing).toBe('missing=false');
  });
});

describe('a component with autoDeploy and no binding for its first environment (defect 4)', () => {
  it('renders through the binding the model implies, and the rendered file names the component that implies it', async () => {
    const component = 'namespaces/acme/projects/storefront/components/cart-api';
    const model = await exampleModel({ [`${component}/release-bindings/cart-api-development.yaml`]: null });
    const rendered = await renderRepository(model);
    expect(rendered.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([]);
    const file = rendered.files.get('rendered/default/acme/development/storefront/components/cart-api.yaml');
    expect(file).toBeDefined();
    expect(file!.split('\n')[0]).toBe(
      `# Rendered by Cellplane from ${component}/component.yaml (Component cart-api implies ReleaseBinding cart-api-development); do not edit (yarn cellplane render).`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
