import { createHash } from 'node:crypto';
import type { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { toCel } from './cel';
import { buildConfigurations, buildWorkload, WorkloadSpec } from './context';
import { renderCondition, renderForEach, renderTemplate, TemplateContext, withVariable } from './engine';
import { fnv1a32Hex } from './names';
import { exampleModel } from './__testUtils__/models';

/**
 * Conformance of the template engine with OpenChoreo's templating documentation
 * (openchoreo/openchoreo docs/templating/*.md): each case is an input and the output the named
 * section says it produces. Written from the documents, not from OpenChoreo's tests. Where a
 * document's example disagrees with OpenChoreo's code, the case follows the code and says so.
 */

const sha8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

interface Case {
  /** `<file> § <section>` of docs/templating. */
  doc: string;
  /** A template (as its YAML would parse), rendered as a whole. */
  template: Record<string, unknown>;
  /** Extra context variables (plain data). */
  context?: Record<string, unknown>;
  expected: unknown;
}

const CEL_TEMPLATING: Case[] = [
  {
    doc: 'cel-templating.md § Expression Types / 1. Standalone Expressions',
    template: { replicas: '${parameters.replicas}', labels: '${metadata.labels}', enabled: '${has(parameters.feature) ? parameters.feature : false}' },
    context: { parameters: { replicas: 3 } },
    expected: { replicas: 3, labels: { app: 'myapp' }, enabled: false },
  },
  {
    doc: 'cel-templating.md § Expression Types / 2. Interpolated Expressions',
    template: { message: 'Application ${metadata.name} has ${parameters.replicas} replicas' },
    context: { parameters: { replicas: 3 } },
    expected: { message: 'Application myapp has 3 replicas' },
  },
  {
    doc: 'cel-templating.md § Expression Types / 3. Dynamic Map Keys',
    template: { services: { '${metadata.name + "-metrics"}': 9090, '${metadata.name}': 8080 } },
    expected: { services: { 'myapp-metrics': 9090, myapp: 8080 } },
  },
  {
    doc: 'cel-templating.md § Built-in Functions / oc_omit() (a field)',
    template: { limits: { memory: '${parameters.memoryLimit}', cpu: '${has(parameters.cpuLimit) ? parameters.cpuLimit : oc_omit()}' } },
    context: { parameters: { memoryLimit: '1Gi' } },
    expected: { limits: { memory: '1Gi' } },
  },
  {
    doc: 'cel-templating.md § Built-in Functions / oc_omit() (in arrays)',
    template: {
      volumeMounts:
        '${[{"name": "data", "mountPath": "/data"}, has(parameters.configPath) ? {"name": "config", "mountPath": parameters.configPath} : oc_omit()]}',
    },
    context: { parameters: {} },
    expected: { volumeMounts: [{ name: 'data', mountPath: '/data' }] },
  },
  {
    doc: 'cel-templating.md § Built-in Functions / oc_merge(base, override, ...)',
    template: {
      labels: '${oc_merge({"app": metadata.name, "version": "v1"}, parameters.customLabels)}',
      config: '${oc_merge({"a": 1}, {"b": 2}, {"a": 3})}',
    },
    context: { parameters: { customLabels: { version: 'v2', team: 'payments' } } },
    expected: { labels: { app: 'myapp', version: 'v2', team: 'payments' }, config: { a: 3, b: 2 } },
  },
  {
    doc: 'cel-templating.md § Built-in Functions / oc_generate_name(...args) ("Hello World!" → hello-world-7f83b165)',
    template: { single: '${oc_generate_name("Hello World!")}', special: '${oc_generate_name("My_App", "Service!")}' },
    // The document's second result shows a placeholder hash (e5f6g7h8); the hash is the first
    // 8 hex digits of the SHA-256 of the original arguments joined by '-'.
    expected: { single: 'hello-world-7f83b165', special: `my-app-service-${sha8('My_App-Service!')}` },
  },
  {
    doc: 'cel-templating.md § Advanced oc_omit() Patterns (conditional keys with oc_merge)',
    template: {
      labels:
        '${oc_merge({"app": metadata.name}, has(parameters.version) ? {"version": parameters.version} : {}, parameters.environment != "prod" ? {"env": parameters.environment} : {})}',
    },
    context: { parameters: { environment: 'dev' } },
    expected: { labels: { app: 'myapp', env: 'dev' } },
  },
  {
    doc: 'cel-templating.md § Safe Navigation with Optional Types',
    template: { customValue: '${parameters.?custom.?value.orValue("default")}' },
    context: { parameters: {} },
    expected: { customValue: 'default' },
  },
  {
    doc: 'cel-templating.md § Map and List Comprehensions',
    template: { envMap: '${parameters.envVars.transformMapEntry(i, v, {v.name: v.value})}' },
    context: { parameters: { envVars: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] } },
    expected: { envMap: { A: '1', B: '2' } },
  },
  {
    doc: 'cel-templating.md § Advanced CEL Features / String Extensions',
    template: {
      upper: '${metadata.name.upperAscii()}',
      trimmed: '${parameters.value.trim()}',
      replaced: '${parameters.text.replace("old", "new")}',
      prefixed: '${parameters.value.startsWith("prefix")}',
    },
    context: { parameters: { value: ' prefix-x ', text: 'old value' } },
    expected: { upper: 'MYAPP', trimmed: 'prefix-x', replaced: 'new value', prefixed: false },
  },
  {
    doc: 'cel-templating.md § Advanced CEL Features / List and Math Extensions',
    template: {
      sorted: '${parameters.items.sort()}',
      joined: '${parameters.items.join(",")}',
      maxValue: '${math.greatest([parameters.min, parameters.max])}',
      rounded: '${math.ceil(parameters.ratio)}',
    },
    context: { parameters: { items: ['b', 'a'], min: 1, max: 5, ratio: 1.2 } },
    expected: { sorted: ['a', 'b'], joined: 'b,a', maxValue: 5, rounded: 2 },
  },
];

/** The workload every helper case reads: two endpoints, config and secret env vars and files. */
const WORKLOAD: WorkloadSpec = {
  container: {
    image: 'myapp:1',
    env: [
      { key: 'LOG_LEVEL', value: 'info' },
      { key: 'API_KEY', valueFrom: { secretKeyRef: { name: 'payment-gateway-credentials', key: 'api-key' } } },
    ],
    files: [
      { key: 'app.yaml', mountPath: '/etc/app', value: 'a: 1' },
      { key: 'hook', mountPath: '/etc/secret', valueFrom: { secretKeyRef: { name: 'payment-gateway-credentials', key: 'webhook-signing-secret' } } },
    ],
  },
  endpoints: {
    http: { type: 'HTTP', port: 8080 },
    grpc: { type: 'gRPC', port: 9090 },
  },
};

const PREFIX = 'myapp-development';
const HELPERS: Case[] = [
  {
    doc: 'configuration_helpers.md § configurations.toContainerEnvFrom()',
    template: { envFrom: '${configurations.toContainerEnvFrom()}' },
    expected: {
      envFrom: [
        { configMapRef: { name: `${PREFIX}-env-configs-${sha8(`${PREFIX}-env-configs`)}` } },
        { secretRef: { name: expect.stringMatching(new RegExp(`^${PREFIX}-env-secrets-[0-9a-f]{8}$`)) } },
      ],
    },
  },
  {
    doc: 'configuration_helpers.md § configurations.toConfigEnvsByContainer() (componentName-environmentName-env-configs-hash)',
    template: { items: '${configurations.toConfigEnvsByContainer()}' },
    expected: { items: [{ resourceName: `${PREFIX}-env-configs-${sha8(`${PREFIX}-env-configs`)}`, envs: [{ name: 'LOG_LEVEL', value: 'info' }] }] },
  },
  {
    doc: 'configuration_helpers.md § configurations.toSecretEnvsByContainer()',
    template: { items: '${configurations.toSecretEnvsByContainer()}' },
    expected: {
      items: [
        {
          resourceName: expect.stringMatching(new RegExp(`^${PREFIX}-env-secrets-[0-9a-f]{8}$`)),
          envs: [{ name: 'API_KEY', remoteRef: { key: 'acme/payments/payment-gateway', property: 'api-key' } }],
        },
      ],
    },
  },
  {
    doc: 'configuration_helpers.md § configurations.toConfigFileList() (componentName-environmentName-config-fileName)',
    template: { files: '${configurations.toConfigFileList()}' },
    expected: {
      files: [
        { name: 'app.yaml', mountPath: '/etc/app', value: 'a: 1', resourceName: `${PREFIX}-config-app-yaml-${sha8(`${PREFIX}-config-app-yaml`)}` },
      ],
    },
  },
  {
    doc: 'configuration_helpers.md § configurations.toSecretFileList() (componentName-environmentName-secret-fileName)',
    template: {
      files: `\${configurations.toSecretFileList().map(f, [f.name, f.mountPath, f.resourceName.startsWith("${PREFIX}-secret-hook-"), f.remoteRef.property])}`,
    },
    expected: { files: [['hook', '/etc/secret', true, 'webhook-signing-secret']] },
  },
  {
    doc: 'configuration_helpers.md § configurations.toContainerVolumeMounts() (file-mount-<oc_hash(mountPath/name)>)',
    template: { volumeMounts: '${configurations.toContainerVolumeMounts()}' },
    expected: {
      volumeMounts: [
        { name: `file-mount-${fnv1a32Hex('/etc/app/app.yaml')}`, mountPath: '/etc/app/app.yaml', subPath: 'app.yaml' },
        { name: `file-mount-${fnv1a32Hex('/etc/secret/hook')}`, mountPath: '/etc/secret/hook', subPath: 'hook' },
      ],
    },
  },
  {
    doc: 'configuration_helpers.md § configurations.toVolumes() (the name is oc_hash of mount path and file name)',
    template: {
      names: '${configurations.toVolumes().map(v, v.name + (has(v.configMap) ? " configMap" : " secret"))}',
      same: '${configurations.toVolumes().map(v, v.name) == configurations.toContainerVolumeMounts().map(m, "file-mount-" + oc_hash(m.mountPath)).sort()}',
    },
    expected: {
      names: [`file-mount-${fnv1a32Hex('/etc/app/app.yaml')} configMap`, `file-mount-${fnv1a32Hex('/etc/secret/hook')} secret`].sort(),
      same: true,
    },
  },
  {
    // The document's example lists http before grpc; its notes (and OpenChoreo's code) sort
    // endpoints by name.
    doc: 'configuration_helpers.md § workload.toServicePorts() (With multiple endpoints; Notes: alphabetical order)',
    template: { ports: '${workload.toServicePorts()}' },
    expected: {
      ports: [
        { name: 'grpc', port: 9090, targetPort: 9090, protocol: 'TCP' },
        { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
      ],
    },
  },
  {
    doc: 'configuration_helpers.md § workload.toEndpointResources(endpointName) (no parseable schema → empty)',
    template: { routes: '${workload.toEndpointResources("http").orValue([])}', has: '${workload.toEndpointResources("http").hasValue()}' },
    expected: { routes: [], has: false },
  },
  {
    // docs site: docs/reference/cel/helper-functions.md; one per container port and protocol.
    doc: 'context.md § workload / helper-functions § workload.toContainerPorts()',
    template: { ports: '${workload.toContainerPorts()}' },
    expected: {
      ports: [
        { name: 'grpc', containerPort: 9090, protocol: 'TCP' },
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
      ],
    },
  },
  {
    doc: 'context.md § workload (endpoints: visibility starts with project; targetPort defaults to port)',
    template: { http: '${workload.endpoints.http}' },
    expected: { http: { port: 8080, targetPort: 8080, type: 'HTTP', visibility: ['project'], resources: [] } },
  },
];

describe("conformance with OpenChoreo's templating documents", () => {
  let model: RepositoryModel;
  let base: TemplateContext;
  beforeAll(async () => {
    model = await exampleModel();
    base = {
      ...(toCel({ metadata: { name: 'myapp', labels: { app: 'myapp' } } }) as TemplateContext),
      workload: buildWorkload(WORKLOAD),
      configurations: buildConfigurations(model, 'acme', PREFIX, WORKLOAD, (field, message) => {
        throw new Error(`${field}: ${message}`);
      }),
    };
  });

  it.each([...CEL_TEMPLATING, ...HELPERS].map(c => [c.doc, c] as const))('%s', (_doc, { template, context, expected }) => {
    const rendered = renderTemplate(template, { ...base, ...(toCel(context ?? {}) as TemplateContext) }, 'template');
    expect(rendered).toEqual(expected);
  });
});

describe("conformance with cel-templating.md § OpenChoreo Resource Control Fields", () => {
  const context = toCel({
    metadata: { name: 'myapp' },
    parameters: {
      autoscaling: { enabled: false },
      databases: [{ name: 'orders' }, { name: 'users' }],
      configFiles: { 'b.yaml': 'B', 'a.yaml': 'A' },
    },
  }) as TemplateContext;

  it('includeWhen - Conditional Resource Inclusion: a boolean decides', () => {
    expect(renderCondition('${parameters.autoscaling.enabled}', context, 'includeWhen', 'includeWhen')).toBe(false);
    expect(() => renderCondition('${metadata.name}', context, 'includeWhen', 'includeWhen')).toThrow(/includeWhen/);
  });

  it('forEach - Dynamic Resource Generation: one item per list element, bound to var', () => {
    const items = renderForEach('${parameters.databases}', context, 'forEach');
    const names = items.map(item =>
      renderTemplate({ name: '${oc_generate_name(metadata.name, db.name, "config")}' }, withVariable(context, 'db', item), 'template'),
    );
    expect(names).toEqual([
      { name: `myapp-orders-config-${sha8('myapp-orders-config')}` },
      { name: `myapp-users-config-${sha8('myapp-users-config')}` },
    ]);
  });

  it('Using forEach with Maps: items are {key, value}, by key', () => {
    const items = renderForEach('${parameters.configFiles}', context, 'forEach');
    const data = items.map(item => renderTemplate({ '${config.key}': '${config.value}' }, withVariable(context, 'config', item), 'template'));
    expect(data).toEqual([{ 'a.yaml': 'A' }, { 'b.yaml': 'B' }]);
  });
});
