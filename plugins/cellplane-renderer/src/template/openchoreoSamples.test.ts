import { loadAll } from 'js-yaml';
import { formatProblem } from '@cellplane/backstage-plugin-common';
import type { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '../renderRepository';
import { exampleDocument, exampleModel, openChoreoSample } from './__testUtils__/models';
import { kubernetesNamespaceFor, RenderedObject, renderReleaseBinding, TARGET_PLANE_ANNOTATION } from '.';

/**
 * OpenChoreo's published sample ComponentTypes and Traits (verbatim copies under
 * __fixtures__/openchoreo-samples) rendered for components of our own, on the example
 * repository's platform (namespace acme, its environments and ClusterDataPlane).
 */

const PROJECT = 'namespaces/acme/projects/samples';
const meta = (kind: string, name: string, extra: object = {}) => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme', ...extra },
});

function component(name: string, type: string, workload: object, extra: { traits?: object[]; parameters?: object } = {}) {
  return {
    [`${PROJECT}/components/${name}/component.yaml`]: {
      ...meta('Component', name),
      spec: { owner: { projectName: 'samples' }, componentType: { kind: 'ClusterComponentType', name: type }, ...extra },
    },
    [`${PROJECT}/components/${name}/workload.yaml`]: {
      ...meta('Workload', name),
      spec: { owner: { projectName: 'samples', componentName: name }, ...workload },
    },
  };
}

function binding(name: string, environment: string, spec: object = {}) {
  return {
    [`${PROJECT}/components/${name}/release-bindings/${name}-${environment}.yaml`]: {
      ...meta('ReleaseBinding', `${name}-${environment}`),
      spec: { owner: { projectName: 'samples', componentName: name }, environment, ...spec },
    },
  };
}

// The API schemas of OpenChoreo's gRPC and OpenAPI service samples.
const GREETER_PROTO = `syntax = "proto3";
package greeter;
service Greeter {
  rpc SayHello (HelloRequest) returns (HelloReply);
}
message HelloRequest { string name = 1; }
message HelloReply  { string message = 1; }
`;

const READING_LIST_OPENAPI = `openapi: 3.0.1
info:
  title: Reading List
  version: "1.0"
paths:
  /books:
    get:
      responses: {"200": {description: ok}}
    post:
      responses: {"201": {description: ok}}
  /books/{id}:
    get:
      responses: {"200": {description: ok}}
    put:
      responses: {"200": {description: ok}}
    delete:
      responses: {"200": {description: ok}}
`;

async function samplesModel(changes: Record<string, object | null> = {}): Promise<RepositoryModel> {
  const service = openChoreoSample('service');
  // The only change to a sample: the service type also allows the sample PVC trait, so that a
  // sample trait can be rendered onto a sample type.
  service.spec.allowedTraits.push({ kind: 'ClusterTrait', name: 'persistent-volume-claim' });
  // The alert-rule sample is a namespaced Trait named ...-openapiv3 in namespace default; the
  // sample types allow it as ClusterTrait observability-alert-rule, so it is installed as that.
  const alertRule = openChoreoSample('observability-alert-rule-trait');
  alertRule.kind = 'ClusterTrait';
  alertRule.metadata = { name: 'observability-alert-rule' };

  const dataPlane = await exampleDocument('platform-shared/infra/data-planes/default.yaml');
  dataPlane.spec.observabilityPlaneRef = { kind: 'ClusterObservabilityPlane', name: 'default' };

  return exampleModel(
    {
      'platform-shared/component-types/service.yaml': service,
      'platform-shared/component-types/web-application.yaml': openChoreoSample('web-application'),
      'platform-shared/component-types/scheduled-task.yaml': openChoreoSample('scheduled-task'),
      'platform-shared/component-types/worker.yaml': openChoreoSample('worker'),
      'platform-shared/component-types/grpc-service.yaml': openChoreoSample('grpc-service'),
      'platform-shared/component-types/http-openapi-service.yaml': openChoreoSample('http-openapi-service'),
      'platform-shared/traits/persistent-volume-claim.yaml': openChoreoSample('persistent-volume-claim-trait'),
      'platform-shared/traits/observability-alert-rule.yaml': alertRule,
      'platform-shared/infra/data-planes/default.yaml': dataPlane,
      [`${PROJECT}/project.yaml`]: { ...meta('Project', 'samples'), spec: { deploymentPipelineRef: { name: 'standard' } } },
      ...component(
        'greeter',
        'deployment/service',
        {
          container: {
            image: 'ghcr.io/openchoreo/samples/greeter:1.0',
            args: ['--port', '9090'],
            env: [
              { key: 'LOG_LEVEL', value: 'info' },
              { key: 'API_KEY', valueFrom: { secretKeyRef: { name: 'payment-gateway-credentials', key: 'api-key' } } },
            ],
            files: [{ key: 'greeting.txt', mountPath: '/etc/greeter', value: 'Hello' }],
          },
          endpoints: { http: { type: 'HTTP', port: 9090, basePath: '/greeter', visibility: ['external'] } },
        },
        { traits: [{ kind: 'ClusterTrait', name: 'persistent-volume-claim', instanceName: 'data', parameters: { mountPath: '/data' } }] },
      ),
      ...binding('greeter', 'development', { componentTypeEnvironmentConfigs: { replicas: 2 }, traitEnvironmentConfigs: { data: { size: '5Gi' } } }),
      ...component('portal', 'deployment/web-application', {
        container: { image: 'ghcr.io/openchoreo/samples/portal:2.0' },
        endpoints: { web: { type: 'HTTP', port: 8080, visibility: ['external', 'internal'] } },
      }),
      ...binding('portal', 'staging'),
      ...component('nightly-report', 'cronjob/scheduled-task', { container: { image: 'ghcr.io/openchoreo/samples/report:1.0' } }),
      ...binding('nightly-report', 'production', { componentTypeEnvironmentConfigs: { schedule: '0 2 * * *' } }),
      ...component(
        'queue-worker',
        'deployment/worker',
        { container: { image: 'ghcr.io/openchoreo/samples/worker:1.0', command: ['/worker'] } },
        {
          traits: [
            {
              kind: 'ClusterTrait',
              name: 'observability-alert-rule',
              instanceName: 'backlog',
              parameters: { description: 'Queue backlog', source: { type: 'metric', metric: 'cpu_usage' }, condition: {} },
            },
          ],
        },
      ),
      ...binding('queue-worker', 'development', {
        traitEnvironmentConfigs: { backlog: { actions: { notifications: { channels: ['oncall'] } } } },
      }),
      ...component('greeter-grpc', 'deployment/grpc-service', {
        container: { image: 'ghcr.io/openchoreo/samples/hello-world-grpc:latest' },
        endpoints: { grpc: { type: 'gRPC', port: 9090, visibility: ['external'], schema: { type: 'proto', content: GREETER_PROTO } } },
      }),
      ...binding('greeter-grpc', 'development'),
      ...component('reading-list', 'deployment/http-openapi-service', {
        container: { image: 'cr.openchoreo.dev/openchoreo/samples/reading-list:latest' },
        endpoints: {
          'reading-list-api': {
            type: 'HTTP',
            port: 8080,
            visibility: ['external'],
            basePath: '/api/v1/reading-list',
            schema: { type: 'openapi', content: READING_LIST_OPENAPI },
          },
        },
      }),
      ...binding('reading-list', 'development'),
      ...changes,
    },
    // Only the platform of the example: its projects would not fit the sample types.
    path => !path.startsWith('namespaces/acme/projects/'),
  );
}

function render(model: RepositoryModel, name: string) {
  const result = renderReleaseBinding(model, model.get('ReleaseBinding', name, 'acme')!);
  expect(result.problems.map(formatProblem)).toEqual([]);
  return result.objects;
}

const byKind = (objects: RenderedObject[], kind: string) => objects.filter(o => o.kind === kind) as any[];

describe("OpenChoreo's sample ComponentTypes and Traits", () => {
  let model: RepositoryModel;
  beforeAll(async () => {
    model = await samplesModel();
  });

  it('loads the samples as valid resources', () => {
    expect(model.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([]);
  });

  it('service: Deployment, Service, external HTTPRoute, config and secret objects, plus the PVC trait', () => {
    const objects = render(model, 'greeter-development');
    const namespace = kubernetesNamespaceFor('acme', 'samples', 'development');
    expect(objects.map(o => o.kind)).toEqual([
      'ConfigMap',
      'ConfigMap',
      'Deployment',
      'ExternalSecret',
      'HTTPRoute',
      'PersistentVolumeClaim',
      'Service',
    ]);
    const [deployment] = byKind(objects, 'Deployment');
    expect(deployment.spec.replicas).toBe(2);
    const container = deployment.spec.template.spec.containers[0];
    expect(container).toMatchObject({
      name: 'main',
      image: 'ghcr.io/openchoreo/samples/greeter:1.0',
      imagePullPolicy: 'IfNotPresent',
      args: ['--port', '9090'],
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '100m', memory: '256Mi' } },
      env: [],
    });
    expect(container).not.toHaveProperty('command');
    expect(container.envFrom).toHaveLength(2);
    // The PVC trait: a claim per environment, a volume, and a mount in the container named 'main'.
    const [pvc] = byKind(objects, 'PersistentVolumeClaim');
    expect(pvc.metadata.name).toBe(`${deployment.metadata.name}-data`);
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } });
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: pvc.metadata.name } });
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data', readOnly: false });

    const [service] = byKind(objects, 'Service');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 9090, targetPort: 9090, protocol: 'TCP' }]);
    const [route] = byKind(objects, 'HTTPRoute');
    expect(route.metadata.labels).toMatchObject({
      'openchoreo.dev/endpoint-name': 'http',
      'openchoreo.dev/endpoint-visibility': 'external',
    });
    expect(route.spec.hostnames).toEqual(['development-acme.apps.cellplane.localhost']);
    expect(route.spec.rules[0].matches[0].path.value).toBe('/greeter-http');
    expect(route.spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch).toBe('/greeter');
    expect(route.metadata.namespace).toBe(namespace);

    const configMaps = byKind(objects, 'ConfigMap');
    expect(configMaps.map(c => c.data)).toEqual(expect.arrayContaining([{ LOG_LEVEL: 'info' }, { 'greeting.txt': 'Hello' }]));
    const [secret] = byKind(objects, 'ExternalSecret');
    expect(secret.spec).toMatchObject({
      secretStoreRef: { name: 'default', kind: 'ClusterSecretStore' },
      data: [{ secretKey: 'API_KEY', remoteRef: { key: 'acme/payments/payment-gateway', property: 'api-key' } }],
    });
  });

  it('web-application: routes on both gateways with oc_dns_label host names', () => {
    const objects = render(model, 'portal-staging');
    const routes = byKind(objects, 'HTTPRoute');
    expect(routes.map(r => r.metadata.labels['openchoreo.dev/endpoint-visibility']).sort()).toEqual(['external', 'internal']);
    const external = routes.find(r => r.metadata.labels['openchoreo.dev/endpoint-visibility'] === 'external');
    expect(external.spec.hostnames).toEqual([expect.stringMatching(/^web-portal-staging-acme-[0-9a-f]{8}\.apps\.cellplane\.localhost$/)]);
    expect(external.spec.rules).toEqual([{ backendRefs: [{ name: 'portal', port: 8080 }] }]);
    const internal = routes.find(r => r !== external);
    expect(internal.spec.parentRefs).toEqual([{ name: 'gateway-internal', namespace: 'openchoreo-data-plane' }]);
  });

  it('scheduled-task: a CronJob with the environment schedule and parameter defaults', () => {
    const [cronJob] = byKind(render(model, 'nightly-report-production'), 'CronJob');
    expect(cronJob.spec).toMatchObject({
      schedule: '0 2 * * *',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      concurrencyPolicy: 'Forbid',
      jobTemplate: {
        spec: {
          backoffLimit: 3,
          activeDeadlineSeconds: 300,
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ image: 'ghcr.io/openchoreo/samples/report:1.0' }] } },
        },
      },
    });
  });

  it('worker with the alert-rule trait: an observability-plane object', () => {
    const objects = render(model, 'queue-worker-development');
    expect(objects.map(o => o.kind)).toEqual(['Deployment', 'ObservabilityAlertRule']);
    const [rule] = byKind(objects, 'ObservabilityAlertRule');
    expect(rule.metadata.annotations[TARGET_PLANE_ANNOTATION]).toBe('observabilityplane');
    expect(rule.spec).toMatchObject({
      name: 'backlog',
      severity: 'warning',
      enabled: true,
      source: { type: 'metric', query: '', metric: 'cpu_usage' },
      condition: { window: '5m', interval: '1m', operator: 'gt', threshold: 10 },
      actions: { notifications: { channels: ['oncall'] }, incident: { enabled: false, triggerAiRca: false } },
    });
    const [deployment] = byKind(objects, 'Deployment');
    expect(deployment.spec.template.spec.containers[0].command).toEqual(['/worker']);
  });

  it('grpc-service: one GRPCRoute match per rpc of the endpoint\'s proto schema', () => {
    const objects = render(model, 'greeter-grpc-development');
    expect(objects.map(o => o.kind)).toEqual(['Deployment', 'GRPCRoute', 'Service']);
    const [route] = byKind(objects, 'GRPCRoute');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'gateway-default', namespace: 'openchoreo-data-plane' }],
      hostnames: ['development-acme.apps.cellplane.localhost'],
      rules: [
        {
          matches: [{ method: { type: 'Exact', service: 'greeter.Greeter', method: 'SayHello' } }],
          backendRefs: [{ name: 'greeter-grpc', port: 9090 }],
        },
      ],
    });
  });

  it('grpc-service without a schema: the catch-all rule (matches left out), as the sample intends', async () => {
    const withoutSchema = await samplesModel(
      component('greeter-grpc', 'deployment/grpc-service', {
        container: { image: 'ghcr.io/openchoreo/samples/hello-world-grpc:latest' },
        endpoints: { grpc: { type: 'gRPC', port: 9090, visibility: ['external'] } },
      }),
    );
    const [route] = byKind(render(withoutSchema, 'greeter-grpc-development'), 'GRPCRoute');
    expect(route.spec.rules).toEqual([{ backendRefs: [{ name: 'greeter-grpc', port: 9090 }] }]);
  });

  it('http-openapi-service: one HTTPRoute rule per OpenAPI operation, templated paths as regular expressions', () => {
    const objects = render(model, 'reading-list-development');
    const [route] = byKind(objects, 'HTTPRoute');
    const prefix = '/reading-list-reading-list-api';
    const rule = (type: string, value: string, method: string) => ({
      matches: [{ path: { type, value }, method }],
      backendRefs: [{ name: 'reading-list', port: 8080 }],
    });
    // Sorted as OpenChoreo sorts them: by path, then method.
    expect(route.spec.rules).toEqual([
      rule('Exact', `${prefix}/books`, 'GET'),
      rule('Exact', `${prefix}/books`, 'POST'),
      rule('RegularExpression', `${prefix}/books/[^/]+`, 'DELETE'),
      rule('RegularExpression', `${prefix}/books/[^/]+`, 'GET'),
      rule('RegularExpression', `${prefix}/books/[^/]+`, 'PUT'),
    ]);
    expect(route.metadata.annotations['openchoreo.dev/endpoint-base-path']).toBe(prefix);
    const [policy] = byKind(objects, 'TrafficPolicy');
    expect(policy.spec.urlRewrite.pathRegex).toEqual({ pattern: `^${prefix}(/.*)?$`, substitution: '/api/v1/reading-list\\1' });
    const [deployment] = byKind(objects, 'Deployment');
    expect(deployment.spec.template.spec.containers[0].ports).toEqual([{ name: 'reading-list-ap', containerPort: 8080, protocol: 'TCP' }]);
  });

  it('http-openapi-service with an unreadable schema: no routes, and a warning naming the endpoint schema', async () => {
    const broken = await samplesModel(
      component('reading-list', 'deployment/http-openapi-service', {
        container: { image: 'cr.openchoreo.dev/openchoreo/samples/reading-list:latest' },
        endpoints: { api: { type: 'HTTP', port: 8080, visibility: ['external'], schema: { type: 'openapi', content: 'paths: [' } } },
      }),
    );
    const result = renderReleaseBinding(broken, broken.get('ReleaseBinding', 'reading-list-development', 'acme')!);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        resource: { kind: 'Workload', name: 'reading-list', namespace: 'acme' },
        field: 'spec.endpoints.api.schema',
        message: expect.stringMatching(/^the openapi schema cannot be read: .*; workload\.toEndpointResources\(\) has no routes for endpoint 'api'$/),
      }),
    ]);
    expect(byKind(result.objects, 'HTTPRoute')[0].spec.rules).toEqual([]);
  });

  it("alert rules without channels notify the environment's default ObservabilityAlertsNotificationChannel", async () => {
    const channel = (name: string, environment: string, isEnvDefault: boolean) => ({
      [`namespaces/acme/platform/notification-channels/${name}.yaml`]: {
        ...meta('ObservabilityAlertsNotificationChannel', name),
        spec: { environment, isEnvDefault, type: 'webhook', webhookConfig: { url: `https://hooks.example.com/${name}` } },
      },
    });
    const withDefault = await samplesModel({
      ...binding('queue-worker', 'development'),
      ...channel('oncall-dev', 'development', true),
      ...channel('audit-dev', 'development', false),
      ...channel('oncall-prod', 'production', true),
    });
    const [rule] = byKind(render(withDefault, 'queue-worker-development'), 'ObservabilityAlertRule');
    expect(rule.spec.actions.notifications.channels).toEqual(['oncall-dev']);

    // Without a default channel (and none in the binding) the sample's own rule refuses it.
    const withoutDefault = await samplesModel({ ...binding('queue-worker', 'development'), ...channel('audit-dev', 'development', false) });
    const result = renderReleaseBinding(withoutDefault, withoutDefault.get('ReleaseBinding', 'queue-worker-development', 'acme')!);
    expect(result.objects).toEqual([]);
    expect(result.problems.map(p => p.message)).toEqual([expect.stringContaining('A notification channel is mandatory for alert rules')]);
  });

  it("enforces the samples' validation rules", async () => {
    const failing = await samplesModel({
      ...component('queue-worker', 'deployment/worker', {
        container: { image: 'w:1' },
        endpoints: { http: { type: 'HTTP', port: 80 } },
      }),
      ...binding('queue-worker', 'development', {
        traitEnvironmentConfigs: { backlog: { actions: { incident: { triggerAiRca: true } } } },
      }),
    });
    const result = renderReleaseBinding(failing, failing.get('ReleaseBinding', 'queue-worker-development', 'acme')!);
    expect(result.objects).toEqual([]);
    expect(result.problems.map(p => p.message)).toEqual([
      expect.stringContaining('Worker components must not have endpoints'),
    ]);
  });
});

describe('a repository that declares no data plane, as OpenChoreo teams keep theirs', () => {
  it("renders every binding for the ClusterDataPlane 'default' OpenChoreo's installation creates, saying so once per environment", async () => {
    const development = await exampleDocument('namespaces/acme/platform/infra/environments/development.yaml');
    // One environment falls back to the default (no dataPlaneRef), the others name it.
    delete development.spec.dataPlaneRef;
    const model = await samplesModel({
      'platform-shared/infra/data-planes/default.yaml': null,
      'namespaces/acme/platform/infra/environments/development.yaml': development,
      // The installed default has no internal gateway (OpenChoreo would refuse internal endpoints too).
      ...component('portal', 'deployment/web-application', {
        container: { image: 'ghcr.io/openchoreo/samples/portal:2.0' },
        endpoints: { web: { type: 'HTTP', port: 8080, visibility: ['external'] } },
      }),
    });
    const rendered = await renderRepository(model);
    expect(rendered.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([]);
    expect(rendered.stats).toMatchObject({ bindings: model.list('ReleaseBinding').length, failedBindings: 0 });

    const assumed = rendered.problems.filter(p => p.field === 'spec.dataPlaneRef');
    expect(assumed.map(p => `${p.severity} ${p.resource?.kind} ${p.resource?.name}`).sort()).toEqual([
      'warning Environment development',
      'warning Environment production',
      'warning Environment staging',
    ]);
    expect(assumed.find(p => p.resource?.name === 'development')!.message).toMatch(
      /^has no dataPlaneRef and the repository declares no DataPlane or ClusterDataPlane 'default'; rendered for the ClusterDataPlane 'default' that OpenChoreo's installation creates: external gateway 'gateway-default' in namespace 'openchoreo-data-plane'/,
    );

    // The installed default's gateway, host and secret store are what the templates saw.
    const objects = [...rendered.files]
      .filter(([path]) => path.startsWith('rendered/default/acme/development/') && path.endsWith('.yaml'))
      .flatMap(([, content]) => loadAll(content) as any[])
      .filter(o => o.metadata.labels?.['openchoreo.dev/component'] === 'greeter');
    const route = objects.find(o => o.kind === 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([{ name: 'gateway-default', namespace: 'openchoreo-data-plane' }]);
    expect(route.spec.hostnames).toEqual(['development-acme.openchoreoapis.localhost']);
    expect(objects.find(o => o.kind === 'ExternalSecret').spec.secretStoreRef.name).toBe('default');
  });
});
