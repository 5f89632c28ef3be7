import { loadAll } from 'js-yaml';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadRepositoryModel, readWorkingTree, RepositoryFile } from '@cellplane/backstage-plugin-node';
import { closeRenderWorkers, renderInParallel, RenderWorkerError, splitRanges, workerEntryBeside } from './renderInParallel';
import { renderRepository } from './renderRepository';
import { renderedTreeChanges } from './renderedTreeChanges';
import type { RenderedObject } from './template/types';
import { loadRenderedObjectSchemas, validateRenderedObject } from './validate/validateObject';
import { podTemplateOf } from './workloads';

const EXAMPLE = resolve(__dirname, '../../../examples/gitops');
/** The example's full render, byte for byte. Refresh: UPDATE_GOLDEN=1 yarn backstage-cli package test renderRepository */
const GOLDEN = resolve(__dirname, '__fixtures__/golden');

let files: RepositoryFile[];
beforeAll(async () => {
  files = (await readWorkingTree(EXAMPLE)).files;
});

const exampleModel = (change?: (path: string, text: string) => string) =>
  loadRepositoryModel({
    files: files.map(f => ({ path: f.path, content: change ? Buffer.from(change(f.path, f.content.toString('utf8'))) : f.content })),
  });

const withDataPlaneAnnotations = (annotations: Record<string, string>) =>
  exampleModel((path, text) => {
    if (!path.endsWith('data-planes/default.yaml')) return text;
    let out = text.replace(/^ {4}cellplane\.dev\/.*\n/gm, '');
    for (const [key, value] of Object.entries(annotations)) {
      out = out.replace('  annotations:\n', `  annotations:\n    ${key}: "${value}"\n`);
    }
    return out;
  });

const objectsOf = (rendered: Map<string, string>, prefix = 'rendered/default/') =>
  [...rendered].filter(([path]) => path.startsWith(prefix) && path.endsWith('.yaml')).flatMap(([, content]) => loadAll(content) as RenderedObject[]);

function readTree(root: string): Map<string, string> {
  const tree = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
      tree.set(`rendered/${path}`, readFileSync(join(root, path), 'utf8'));
    }
  }
  return tree;
}

describe('renderRepository on the example repository', () => {
  it('matches the golden files byte for byte, and a second render is identical', async () => {
    const first = await renderRepository(exampleModel());
    expect(first.problems).toEqual([]);
    if (process.env.UPDATE_GOLDEN) {
      rmSync(GOLDEN, { recursive: true, force: true });
      for (const [path, content] of first.files) {
        const file = join(GOLDEN, path.replace(/^rendered\//, ''));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
    const golden = readTree(GOLDEN);
    expect([...first.files.keys()]).toEqual([...golden.keys()].sort());
    for (const [path, content] of first.files) expect({ path, content }).toEqual({ path, content: golden.get(path) });

    const second = await renderRepository(exampleModel());
    expect(second.files).toEqual(first.files);
  });

  it('renders valid objects that all carry project, environment, component or resource, and the release hash', async () => {
    const { files: rendered, stats } = await renderRepository(exampleModel());
    expect(stats).toEqual({ bindings: 23, failedBindings: 0, objects: expect.any(Number), cells: 8 });
    await loadRenderedObjectSchemas();
    const ownerless: string[] = [];
    const podsWithoutHash: string[] = [];
    for (const object of objectsOf(rendered, 'rendered/')) {
      const what = `${object.kind} ${object.metadata.name}`;
      expect({ what, errors: validateRenderedObject(object) }).toEqual({ what, errors: [] });
      if (object.kind === 'Application') continue; // bootstrap: belongs to the data plane, not a cell
      const labels = object.metadata.labels ?? {};
      expect({ what, labels }).toEqual({
        what,
        labels: expect.objectContaining({
          'openchoreo.dev/project': expect.any(String),
          'openchoreo.dev/environment': expect.any(String),
          'cellplane.dev/release-hash': expect.stringMatching(/^[0-9a-f]{16}$/),
        }),
      });
      const cellWide =
        ['Namespace', 'NetworkPolicy'].includes(object.kind) && !/^(component|resource)-/.test(object.metadata.name);
      if (!cellWide && !labels['openchoreo.dev/component'] && !labels['cellplane.dev/resource']) ownerless.push(what);
      const template = podTemplateOf(object);
      if (template && template.metadata?.labels?.['cellplane.dev/release-hash'] !== labels['cellplane.dev/release-hash']) {
        podsWithoutHash.push(what);
      }
    }
    expect(ownerless).toEqual([]);
    expect(podsWithoutHash).toEqual([]);
  });

  it("binds the managed database's connection secret into its consumers' env, and wires OpenTelemetry", async () => {
    const { files: rendered } = await renderRepository(exampleModel());
    const deployment = objectsOf(rendered).find(o => o.kind === 'Deployment' && o.metadata.labels?.['openchoreo.dev/component'] === 'ledger-sync') ??
      objectsOf(rendered).find(o => o.kind === 'CronJob' && o.metadata.labels?.['openchoreo.dev/component'] === 'ledger-sync')!;
    const env = podTemplateOf(deployment)!.spec!.containers![0].env!;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: expect.stringMatching(/^payments-db-development-.*-creds$/), key: 'password' } } },
        { name: 'OTEL_SERVICE_NAME', value: 'ledger-sync' },
        expect.objectContaining({ name: 'OTEL_RESOURCE_ATTRIBUTES', value: expect.stringContaining('openchoreo.project=payments') }),
      ]),
    );
    expect(podTemplateOf(deployment)!.metadata!.annotations).toMatchObject({
      'instrumentation.opentelemetry.io/inject-sdk': 'observability/default',
    });
    // prometheus-operator: true in the example → a PodMonitor for metrics-collector's /metrics endpoint.
    expect(objectsOf(rendered).filter(o => o.kind === 'PodMonitor').map(o => (o.spec as any).podMetricsEndpoints)).toEqual([
      [{ portNumber: 8888, path: '/metrics' }],
    ]);
  });

  it('renders CiliumNetworkPolicies with mutual authentication when the data plane runs Cilium', async () => {
    const { files: rendered, problems } = await renderRepository(
      withDataPlaneAnnotations({ 'cellplane.dev/network-policy': 'cilium', 'cellplane.dev/mtls': 'cilium' }),
    );
    expect(problems).toEqual([]);
    const objects = objectsOf(rendered);
    expect(objects.filter(o => o.kind === 'NetworkPolicy')).toEqual([]);
    const policy = objects.find(o => o.kind === 'CiliumNetworkPolicy' && o.metadata.name === 'component-payments-api')!;
    expect((policy.spec as any).ingress[0]).toMatchObject({ authentication: { mode: 'required' }, toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] });
    expect(objects.find(o => o.kind === 'CiliumNetworkPolicy' && o.metadata.name === 'default-deny')!.spec).toEqual({
      endpointSelector: {},
      ingress: [{}],
      egress: [{}],
    });
  });

  it('adds STRICT PeerAuthentication per cell, prometheus.io annotations and Flux bootstrap when the data plane says so', async () => {
    const { files: rendered, problems } = await renderRepository(
      withDataPlaneAnnotations({ 'cellplane.dev/mtls': 'istio', 'cellplane.dev/delivery': 'flux' }),
      { delivery: { repository: 'https://git.example.com/acme/gitops.git', branch: 'release' } },
    );
    expect(problems).toEqual([]);
    const objects = objectsOf(rendered);
    expect(objects.filter(o => o.kind === 'PeerAuthentication')).toHaveLength(8);
    expect(objects.find(o => o.kind === 'Namespace')!.metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });
    const collector = objects.find(o => o.kind === 'Deployment' && o.metadata.labels?.['openchoreo.dev/component'] === 'metrics-collector')!;
    expect(podTemplateOf(collector)!.metadata!.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8888',
      'prometheus.io/path': '/metrics',
    });
    const bootstrap = loadAll(rendered.get('rendered/_bootstrap/default.yaml')!) as RenderedObject[];
    expect(bootstrap.map(o => `${o.kind} ${o.metadata.name}`)).toEqual([
      'GitRepository cellplane-gitops',
      'Kustomization cellplane-acme-development',
      'Kustomization cellplane-acme-production',
      'Kustomization cellplane-acme-staging',
    ]);
    expect(bootstrap[0].spec).toMatchObject({ url: 'https://git.example.com/acme/gitops.git', ref: { branch: 'release' } });
    expect(bootstrap[1].spec).toMatchObject({ path: './rendered/default/acme/development', prune: true });
  });

  it('reports a bad data plane annotation by name and renders with the default', async () => {
    const { problems, files: rendered } = await renderRepository(withDataPlaneAnnotations({ 'cellplane.dev/network-policy': 'calico' }));
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'platform-shared/infra/data-planes/default.yaml',
        field: 'metadata.annotations["cellplane.dev/network-policy"]',
        message: 'must be one of kubernetes, cilium (got "calico")',
      }),
    ]);
    expect(objectsOf(rendered).some(o => o.kind === 'NetworkPolicy')).toBe(true);
  });

  it('warns when a dependency is not deployed in the environment, and opens no path to it', async () => {
    const model = exampleModel((path, text) => (path.endsWith('fraud-detector-staging.yaml') ? '' : text));
    const { problems, files: rendered } = await renderRepository(model);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        resource: { kind: 'ReleaseBinding', name: 'payments-api-staging', namespace: 'acme' },
        message: "payments/fraud-detector endpoint 'grpc' is not deployed in staging; no network path to it is opened",
      }),
    ]);
    expect(rendered.get('rendered/default/acme/staging/payments/components/payments-api.yaml')).not.toContain('fraud-detector\n');
  });
});

describe('validateRenderedObject', () => {
  it('names the field a rendered object gets wrong, and says when it knows no schema', async () => {
    await loadRenderedObjectSchemas();
    const errors = validateRenderedObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 'three', selector: {}, template: { spec: { containers: [{ name: 'main', image: 'nginx' }] } } },
    });
    expect(errors).toEqual([expect.stringContaining('spec.replicas')]);
    expect(validateRenderedObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toBeUndefined();
  });
});

describe('renderedTreeChanges', () => {
  it('writes what changed and deletes what is no longer rendered, using rendered/index.txt', async () => {
    const model = exampleModel();
    const first = await renderRepository(model);
    const stored = new Map<string, string>(first.files);
    stored.set('rendered/default/acme/development/old/components/gone.yaml', 'x');
    stored.set(
      'rendered/index.txt',
      `${first.files.get('rendered/index.txt')}0000000000000000000000000000000000000000 rendered/default/acme/development/old/components/gone.yaml\n`,
    );
    const changed = 'rendered/default/acme/development/payments/cell.yaml';
    const index = stored.get('rendered/index.txt')!.replace(new RegExp(`^[0-9a-f]{40} ${changed}$`, 'm'), `${'1'.repeat(40)} ${changed}`);
    stored.set('rendered/index.txt', index);
    const { changes } = await renderedTreeChanges(model, async path => (stored.has(path) ? Buffer.from(stored.get(path)!) : undefined));
    expect(changes.map(c => [c.path, c.content === null ? 'delete' : 'write'])).toEqual([
      [changed, 'write'],
      ['rendered/index.txt', 'write'],
      ['rendered/default/acme/development/old/components/gone.yaml', 'delete'],
    ]);
  });

  it('writes everything into a repository that has no rendered/ yet', async () => {
    const { changes } = await renderedTreeChanges(exampleModel(), async () => undefined);
    expect(changes.length).toBe((await renderRepository(exampleModel())).files.size);
  });
});

describe('renderRepository on worker threads', () => {
  afterAll(() => closeRenderWorkers());

  it('renders the same bytes, problems and counts as in one thread, whichever thread renders which binding', async () => {
    // A dependency on a component that is not deployed gives problems from several steps.
    const model = exampleModel((path, text) =>
      path.endsWith('ledger-sync/workload.yaml') ? text.replace('  container:\n', '  dependencies:\n    endpoints:\n      - component: nowhere\n        name: http\n        visibility: project\n        envBindings:\n          address: NOWHERE_URL\n  container:\n') : text,
    );
    const sequential = await renderRepository(model);
    expect(sequential.problems.length).toBeGreaterThan(0);
    // Two workers share chunks of 3 bindings; the main thread only assembles.
    const parallel = await renderInParallel(model, {}, 3, { chunk: 3, local: false });
    expect([...parallel.files.keys()]).toEqual([...sequential.files.keys()]);
    for (const [path, content] of sequential.files) expect({ path, content: parallel.files.get(path) }).toEqual({ path, content });
    expect(parallel.problems).toEqual(sequential.problems);
    expect(parallel.stats).toEqual(sequential.stats);
    // Through the public option, with the main thread taking part and the pooled worker reused.
    const viaOption = await renderRepository(model, { workers: 2 });
    expect(viaOption.files).toEqual(sequential.files);
  }, 60_000);

  it('fails with a RenderWorkerError when a worker cannot start (renderRepository then renders in one thread)', async () => {
    const model = exampleModel();
    await expect(renderInParallel(model, {}, 2, { workerEntry: join(__dirname, 'no-such-worker.ts'), local: false })).rejects.toThrow(
      RenderWorkerError,
    );
  }, 60_000);

  it('finds the worker module beside itself, from source and in a package built by backstage-cli', () => {
    expect(workerEntryBeside('/repo/src/renderInParallel.ts')).toBe('/repo/src/renderWorker.ts');
    // Before, the built package looked for renderWorker.js, never found it and rendered in one thread.
    expect(workerEntryBeside('/pkg/dist/renderInParallel.cjs.js')).toBe('/pkg/dist/renderWorker.cjs.js');
  });

  it('splits bindings into even contiguous ranges', () => {
    expect(splitRanges(7, 3)).toEqual([
      { from: 0, to: 2 },
      { from: 2, to: 4 },
      { from: 4, to: 7 },
    ]);
    expect(splitRanges(1, 3)).toEqual([{ from: 0, to: 1 }]);
  });
});
