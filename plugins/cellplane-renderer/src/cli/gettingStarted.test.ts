/**
 * OpenChoreo's promise, tried as a new user would: a repository holding OpenChoreo's
 * getting-started platform configuration and sample projects (examples/openchoreo-getting-started,
 * no ClusterDataPlane in it, as OpenChoreo's own installation creates that) is rendered with
 * `yarn cellplane render`, in a copy in a temporary folder. Every binding must render, with no
 * error, and every object written must validate against its kind's schema (Kubernetes, Gateway
 * API, External Secrets); kinds with no schema must be reported as not validated.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { loadAll } from 'js-yaml';
import { closeRenderWorkers } from '../renderInParallel';
import { loadRenderedObjectSchemas, validateRenderedObject } from '../validate/validateObject';
import type { RenderedObject } from '../template/types';
import { main } from './main';

const EXAMPLE = resolve(__dirname, '../../../../examples/openchoreo-getting-started');
/** ClusterDataPlane `default`, control-plane namespace `default`: where each environment's files go. */
const environmentFolder = (environment: string) => `rendered/default/default/${environment}`;
const ENVIRONMENTS = ['development', 'staging', 'production'];

const ONLINE_BOUTIQUE = ['cart', 'checkout', 'currency', 'frontend', 'loadgenerator', 'productcatalog', 'recommendation'];

interface WrittenObject extends RenderedObject {
  /** The file under rendered/ that holds it. */
  file: string;
  spec?: any;
}

interface Run {
  code: number;
  out: string;
  err: string[];
}

async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: line => out.push(line), err: line => err.push(line) });
  return { code, out: out.join('\n'), err };
}

/** Every object of every YAML file under `rendered/`, with the file it is in. */
function readRenderedObjects(root: string): WrittenObject[] {
  const objects: WrittenObject[] = [];
  for (const entry of readdirSync(join(root, 'rendered'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const path = join(entry.parentPath, entry.name);
    const file = relative(root, path).split(sep).join('/');
    for (const document of loadAll(readFileSync(path, 'utf8'))) {
      if (document) objects.push({ ...(document as RenderedObject), file });
    }
  }
  return objects;
}

describe('yarn cellplane render of OpenChoreo getting-started (examples/openchoreo-getting-started)', () => {
  let dir: string;
  let render: Run;
  let objects: WrittenObject[];

  const inFile = (file: string) => objects.filter(object => object.file === file);
  const find = (file: string, kind: string, name?: (n: string) => boolean) =>
    inFile(file).filter(object => object.kind === kind && (!name || name(object.metadata.name)));
  const componentFile = (environment: string, project: string, component: string) =>
    `${environmentFolder(environment)}/${project}/components/${component}.yaml`;
  const resourceFile = (environment: string, project: string, resource: string) =>
    `${environmentFolder(environment)}/${project}/resources/${resource}.yaml`;
  const errors = () => render.err.filter(line => line.startsWith('error:'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-getting-started-'));
    // A rendered/ left in the example by someone trying it must not count.
    cpSync(EXAMPLE, dir, { recursive: true, filter: source => !source.startsWith(join(EXAMPLE, 'rendered')) });
    render = await run('render', dir);
    objects = existsSync(join(dir, 'rendered')) ? readRenderedObjects(dir) : [];
    await loadRenderedObjectSchemas();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await closeRenderWorkers();
  });

  it('renders every binding, with no error', () => {
    expect(errors()).toEqual([]);
    expect(render.out).toMatch(/\d+ bindings \(0 failed\), \d+ cells, \d+ objects, \d+ files; 0 errors, \d+ warnings/);
    expect(render.code).toBe(0);
  });

  it('writes a file for every component and resource binding, explicit or implied', () => {
    const snip = ['snip-analytics-service', 'snip-api-service', 'snip-frontend', 'snip-link-checker', 'snip-notifier'];
    const snipResources = ['snip-cache', 'snip-events', 'snip-postgres'];
    const expected = [
      componentFile('development', 'default', 'greeter-service'),
      ...ONLINE_BOUTIQUE.map(component => componentFile('development', 'gcp-microservice-demo', component)),
      resourceFile('development', 'gcp-microservice-demo', 'cart-cache'),
      ...['development', 'staging'].flatMap(environment => [
        ...snip.map(component => componentFile(environment, 'url-shortener', component)),
        ...snipResources.map(resource => resourceFile(environment, 'url-shortener', resource)),
      ]),
      componentFile('staging', 'default', 'greeter-service'),
      componentFile('production', 'default', 'greeter-service'),
    ];
    const written = [...new Set(objects.map(object => object.file))].filter(file => /\/(components|resources)\//.test(file));
    expect(written.sort()).toEqual(expected.sort());
  });

  const assumedDataPlane = (environment: string) =>
    render.err.filter(
      line => line.startsWith('warning:') && line.includes(`Environment default/${environment}:`) && /ClusterDataPlane ['"]default['"]/.test(line),
    );

  it('names the data plane it assumed for each environment instead of failing every binding', () => {
    for (const environment of ENVIRONMENTS) {
      expect(assumedDataPlane(environment).some(line => line.includes("'gateway-default'") && line.includes('ClusterSecretStore'))).toBe(true);
    }
  });

  // Before 4334f27 the loader and the renderer each warned: two warnings per environment.
  it('says so once per environment', () => {
    for (const environment of ENVIRONMENTS) expect(assumedDataPlane(environment)).toHaveLength(1);
  });

  it('renders the components autoDeploy: true puts in the first environment, and only there (defect 4)', () => {
    for (const component of ONLINE_BOUTIQUE) {
      expect(find(componentFile('development', 'gcp-microservice-demo', component), 'Deployment')).toHaveLength(1);
      expect(existsSync(join(dir, componentFile('staging', 'gcp-microservice-demo', component)))).toBe(false);
    }
    // A component with its own binding for the first environment is not deployed twice.
    expect(find(componentFile('development', 'url-shortener', 'snip-frontend'), 'Deployment')).toHaveLength(1);
    // greeter-service: implied in development, bound by hand in staging and production (the last
    // promotion path has targetEnvironmentRefs: [], which OpenChoreo's CRD allows: defect 6).
    for (const environment of ENVIRONMENTS) {
      expect(find(componentFile(environment, 'default', 'greeter-service'), 'Deployment')).toHaveLength(1);
    }
    expect(render.err.filter(line => line.includes('targetEnvironmentRefs'))).toEqual([]);
  });

  it("keeps a ResourceType's optional admin UI out where includeWhen is false (defect 1)", () => {
    for (const resource of ['snip-cache', 'snip-postgres']) {
      const isAdmin = (name: string) => name.endsWith('-admin');
      const development = resourceFile('development', 'url-shortener', resource);
      expect(find(development, 'Deployment', isAdmin)).toHaveLength(1);
      expect(find(development, 'Service', isAdmin)).toHaveLength(1);
      expect(find(development, 'HTTPRoute', isAdmin)).toHaveLength(1);

      const staging = resourceFile('staging', 'url-shortener', resource);
      expect(find(staging, 'StatefulSet')).toHaveLength(1);
      expect(inFile(staging).filter(object => isAdmin(object.metadata.name))).toEqual([]);
    }
    // Nothing of an admin UI is exposed where it is off: no HTTPRoute at all for the cache in staging.
    expect(find(resourceFile('staging', 'url-shortener', 'snip-cache'), 'HTTPRoute')).toEqual([]);
  });

  it('takes an embedded trait without kind in a ClusterComponentType as a ClusterTrait (defect 3)', () => {
    const [autoscaler] = find(componentFile('staging', 'default', 'greeter-service'), 'HorizontalPodAutoscaler');
    expect(autoscaler?.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5 });
    const [production] = find(componentFile('production', 'default', 'greeter-service'), 'HorizontalPodAutoscaler');
    expect(production?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  it("renders each project's ProjectType resources in every environment it is bound to, once (defect 7)", () => {
    // The default ClusterProjectType creates the cell namespace; where the project also has a
    // cell (components run there), that is one Namespace, not two.
    for (const [project, environments] of [
      ['url-shortener', ENVIRONMENTS],
      ['default', ENVIRONMENTS],
      ['gcp-microservice-demo', ['development']],
    ] as const) {
      for (const environment of environments) {
        const folder = `${environmentFolder(environment)}/${project}`;
        const namespaces = [...find(`${folder}/cell.yaml`, 'Namespace'), ...find(`${folder}/project.yaml`, 'Namespace')];
        expect(namespaces).toHaveLength(1);
        // OpenChoreo's data-plane namespace of the project in that environment, where its components run.
        expect(namespaces[0].metadata.name).toMatch(/^dp-default-[a-z0-9-]+-[0-9a-f]{8}$/);
        const members = objects.filter(object => object.file.startsWith(`${folder}/components/`) && object.metadata.namespace);
        for (const member of members) expect(member.metadata.namespace).toBe(namespaces[0].metadata.name);
      }
    }
  });

  it('gives each environment its default notification channel: the alert rule renders (defect 7)', () => {
    // The alert-rule trait refuses to render without a channel; the front end has none of its
    // own in staging, so staging's default channel is what lets it render.
    expect(find(componentFile('staging', 'url-shortener', 'snip-frontend'), 'Deployment')).toHaveLength(1);
    // With no observability plane on the assumed data plane, the rule itself is not created.
    expect(objects.filter(object => object.kind === 'ObservabilityAlertRule')).toEqual([]);
  });

  it('writes every object once per data plane and namespace (Argo CD refuses duplicates)', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const object of objects.filter(o => o.file.startsWith('rendered/default/'))) {
      const environment = object.file.split('/').slice(0, 5).join('/');
      const key = `${environment} ${object.apiVersion} ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      const first = seen.get(key);
      if (first) duplicates.push(`${key} (${first} and ${object.file})`);
      else seen.set(key, object.file);
    }
    expect(duplicates).toEqual([]);
  });

  it('validates every object written against its schema, and reports the kinds with none as not validated', () => {
    expect(objects.length).toBeGreaterThan(100);
    const invalid: string[] = [];
    const unvalidated = new Map<string, number>();
    for (const object of objects) {
      const problems = validateRenderedObject(object);
      const kind = `${object.apiVersion} ${object.kind}`;
      if (problems === undefined) unvalidated.set(kind, (unvalidated.get(kind) ?? 0) + 1);
      else invalid.push(...problems.map(problem => `${object.file}: ${kind} ${object.metadata.name}: ${problem}`));
    }
    expect(invalid).toEqual([]);
    // The api-configuration trait's kgateway Backend and API platform RestApi: no schema package
    // exists for them. Everything else (Kubernetes, Gateway API, External Secrets and its Password
    // generator, Argo CD) is checked.
    expect([...unvalidated.keys()].sort()).toEqual([
      'gateway.api-platform.wso2.com/v1alpha1 RestApi',
      'gateway.kgateway.dev/v1alpha1 Backend',
    ]);
    const notValidated = render.err.filter(line => line.startsWith('warning:') && line.includes('no schema known for this kind; not validated'));
    expect(notValidated).toHaveLength([...unvalidated.values()].reduce((a, b) => a + b, 0));
    expect(objects.some(object => object.kind === 'ExternalSecret')).toBe(true);
    expect(objects.some(object => object.kind === 'Password')).toBe(true);
    expect(objects.some(object => object.kind === 'HTTPRoute')).toBe(true);
  });

  it("hands a resource's outputs to its consumers as the Secret the resource creates", () => {
    const [deployment] = find(componentFile('development', 'url-shortener', 'snip-api-service'), 'Deployment');
    const env: any[] = deployment?.spec?.template?.spec?.containers?.[0]?.env ?? [];
    const dsn = env.find(variable => variable.name === 'POSTGRES_DSN');
    expect(dsn?.valueFrom?.secretKeyRef?.key).toBe('url');
    const secrets = find(resourceFile('development', 'url-shortener', 'snip-postgres'), 'ExternalSecret').map(
      secret => secret.spec?.target?.name,
    );
    expect(secrets).toContain(dsn.valueFrom.secretKeyRef.name);
    // A call across projects (greeter-service is visible to the namespace).
    expect(env.find(variable => variable.name === 'GREETER_URL')?.value).toContain('greeter-service');
  });

  it('fetches SecretReference secrets through ExternalSecrets from the data plane store', () => {
    const secrets = find(componentFile('development', 'url-shortener', 'snip-notifier'), 'ExternalSecret');
    const remoteRefs = secrets.flatMap(secret => (secret.spec?.data ?? []).map((item: any) => item.remoteRef));
    expect(remoteRefs).toEqual(
      expect.arrayContaining([
        { key: 'snip/notifier', property: 'slack-webhook' },
        { key: 'snip/notifier-smtp-cert' },
      ]),
    );
    for (const secret of secrets) expect(secret.spec?.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'default' });
  });

  it('re-points the API at the API platform gateway (api-configuration trait patches)', () => {
    const [route] = find(componentFile('development', 'url-shortener', 'snip-api-service'), 'HTTPRoute');
    expect(route?.spec?.rules?.[0]?.backendRefs).toEqual([
      { group: 'gateway.kgateway.dev', kind: 'Backend', name: 'snip-api-service-api-gw-backend' },
    ]);
    expect(route?.spec?.rules?.[0]?.filters?.[0]?.urlRewrite?.path).toEqual({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/snip' });
  });

  // OpenChoreo's own postgres type writes it; YAML 1.2 would read the invalid file mode 755.
  it('reads defaultMode: 0755 as Kubernetes does (YAML 1.1 octal: 493)', () => {
    const [statefulSet] = find(resourceFile('development', 'url-shortener', 'snip-postgres'), 'StatefulSet');
    const volumes: any[] = statefulSet?.spec?.template?.spec?.volumes ?? [];
    expect(volumes.find(volume => volume.name === 'init-scripts')?.configMap?.defaultMode).toBe(0o755);
  });

  it('finds its own render up to date with --check', async () => {
    const check = await run('render', '--check', dir);
    expect(check.out).toMatch(/^rendered\/ is up to date: /);
    expect(check.code).toBe(0);
  });
});

describe('the same repository once the team declares its ClusterDataPlane', () => {
  let dir: string;
  let render: Run;
  let objects: WrittenObject[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-getting-started-plane-'));
    cpSync(EXAMPLE, dir, { recursive: true, filter: source => !source.startsWith(join(EXAMPLE, 'rendered')) });
    mkdirSync(join(dir, 'platform-shared/infra/data-planes'), { recursive: true });
    writeFileSync(
      join(dir, 'platform-shared/infra/data-planes/default.yaml'),
      `apiVersion: openchoreo.dev/v1alpha1
kind: ClusterDataPlane
metadata:
  name: default
  annotations:
    cellplane.dev/delivery: argocd
    cellplane.dev/delivery-repository: https://git.example.com/platform/gitops.git
spec:
  planeID: eu-west-1
  secretStoreRef:
    name: vault
  gateway:
    ingress:
      external:
        name: public
        namespace: gateways
        https:
          listenerName: https
          port: 443
          host: apps.example.com
      internal:
        name: private
        namespace: gateways
        http:
          listenerName: http
          port: 80
          host: internal.example.com
`,
    );
    render = await run('render', dir);
    objects = readRenderedObjects(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders for it: its gateway, its secret store, no assumption warned, and Argo CD bootstrap', () => {
    expect(render.err.filter(line => line.startsWith('error:'))).toEqual([]);
    expect(render.err.filter(line => /ClusterDataPlane ['"]default['"]/.test(line))).toEqual([]);
    const route = objects.find(
      object => object.kind === 'HTTPRoute' && object.file.endsWith('development/url-shortener/components/snip-frontend.yaml'),
    );
    expect(route?.spec?.parentRefs).toEqual([{ name: 'public', namespace: 'gateways' }]);
    expect(route?.spec?.hostnames).toEqual([expect.stringMatching(/\.apps\.example\.com$/)]);
    const secret = objects.find(object => object.kind === 'ExternalSecret' && object.file.endsWith('development/url-shortener/components/snip-notifier.yaml'));
    expect(secret?.spec?.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault' });
    const applications = objects.filter(object => object.file === 'rendered/_bootstrap/default.yaml' && object.kind === 'Application');
    expect(applications.map(application => application.spec?.source?.repoURL)).toEqual(
      ENVIRONMENTS.map(() => 'https://git.example.com/platform/gitops.git'),
    );
    expect(render.code).toBe(0);
  });
});
