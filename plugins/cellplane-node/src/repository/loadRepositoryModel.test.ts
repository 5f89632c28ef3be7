import { formatProblem } from '@cellplane/backstage-plugin-common';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import {
  EXAMPLE_REPOSITORY,
  createBareRepository,
  git,
  temporaryDirectory,
} from '../testUtils/gitFixtures';
import { applyChanges } from './applyChanges';
import { ParsedFileCache, loadRepositoryModel, loadRepositoryModelFromGit } from './loadRepositoryModel';
import { RepositoryFile, readWorkingTree, streamGitFiles } from './sources';

describe('loadRepositoryModel', () => {
  it('loads the example repository with zero problems', async () => {
    const model = loadRepositoryModel(await readWorkingTree(EXAMPLE_REPOSITORY));
    expect(model.problems.map(formatProblem)).toEqual([]);
    expect(model.namespaces()).toEqual(['acme']);
    expect(model.list('Project').map(e => e.resource.metadata.name).sort()).toEqual([
      'payments',
      'platform-data',
      'storefront',
    ]);
    expect(model.list('Component').length).toBeGreaterThanOrEqual(10);
    expect(model.list('Environment', 'acme').map(e => e.resource.metadata.name).sort()).toEqual([
      'development',
      'production',
      'staging',
    ]);

    const endpoints = model.list('Workload').flatMap(e => Object.values(e.resource.spec.endpoints ?? {}));
    expect(new Set(endpoints.map(e => e.type))).toEqual(
      new Set(['HTTP', 'gRPC', 'GraphQL', 'Websocket', 'TCP', 'UDP']),
    );
    expect(new Set(endpoints.flatMap(e => e.visibility ?? []))).toEqual(
      new Set(['project', 'namespace', 'internal', 'external']),
    );

    const webShop = model.get('Component', 'web-shop', 'acme')!;
    expect(webShop.file).toBe('namespaces/acme/projects/storefront/components/web-shop/component.yaml');
    expect(model.componentTypeOf(webShop.resource, 'acme')?.resource.metadata.name).toBe('web-application');
    const dependencies = model.workload('acme', 'web-shop')!.resource.spec.dependencies!.endpoints!;
    expect(dependencies.some(d => d.project === 'payments')).toBe(true);
    expect(model.components('acme', 'payments').map(e => e.resource.metadata.name)).toContain('payments-api');
    expect(model.releaseBindings('acme', 'payments-api').map(e => e.resource.spec.environment).sort()).toEqual([
      'development',
      'production',
      'staging',
    ]);
    expect(model.list('Resource')).toHaveLength(1);
  });

  it('reads the same model from a bare repository at a ref as from a working tree', async () => {
    const dir = temporaryDirectory();
    try {
      const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
      const fromGit: RepositoryFile[] = [];
      const { revision } = await streamGitFiles(bare, 'main', {
        include: path => gitOpsLayout.isModelFile(path),
        onFile: file => fromGit.push({ path: file.path, content: Buffer.from(file.content) }),
      });
      const fromTree = await readWorkingTree(EXAMPLE_REPOSITORY);
      expect(revision).toMatch(/^[0-9a-f]{40}$/);
      expect(fromGit.map(f => f.path)).toEqual(fromTree.files.map(f => f.path));
      expect(fromGit.map(f => f.content.toString())).toEqual(fromTree.files.map(f => f.content.toString()));
      const model = await loadRepositoryModelFromGit(bare, 'main');
      expect(model.revision).toBe(revision);
      expect(model.entries()).toHaveLength(loadRepositoryModel(fromTree).entries().length);
      await expect(loadRepositoryModelFromGit(bare, 'no-such-branch')).rejects.toThrow(/git rev-parse failed/);
    } finally {
      dir.cleanup();
    }
  });

  it('reports each problem of a broken copy with file and field, and still loads the rest', async () => {
    const dir = temporaryDirectory();
    try {
      const root = join(dir.path, 'repo');
      cpSync(EXAMPLE_REPOSITORY, root, { recursive: true });
      const storefront = 'namespaces/acme/projects/storefront/components';
      const edit = (path: string, change: (text: string) => string) =>
        writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')));

      // 1. malformed YAML
      writeFileSync(join(root, `${storefront}/cart-api/workload.yaml`), 'kind: Workload\nspec: [unclosed\n');
      // 2. a component of an unknown project
      edit(`${storefront}/search-api/component.yaml`, t => t.replace('projectName: storefront', 'projectName: ghost'));
      // 3. a dependency on an endpoint that does not exist
      edit(`${storefront}/web-shop/workload.yaml`, t => t.replace(/name: rest\b/, 'name: soap'));
      // 4. the same component twice
      writeFileSync(
        join(root, 'namespaces/acme/projects/payments/duplicate.yaml'),
        readFileSync(join(root, `${storefront}/catalog-api/component.yaml`)),
      );
      // 5. a field that breaks its rule
      edit(`${storefront}/notifications-ws/workload.yaml`, t => t.replace(/port: \d+/, 'port: 70000'));
      // 6. a document of a kind Cellplane does not know
      writeFileSync(join(root, 'namespaces/acme/extra.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n');
      // 7. a namespace that contradicts its folder
      edit('namespaces/acme/platform/infra/environments/staging.yaml', t => t.replace('namespace: acme', 'namespace: other'));
      // 8. path traversal in a name
      edit(`${storefront}/web-shop/component.yaml`, t => t.replace(/^ {2}name: web-shop$/m, '  name: ../web-shop'));

      const model = loadRepositoryModel(await readWorkingTree(root));
      const problems = model.problems.filter(p => p.severity === 'error');
      const find = (pattern: RegExp) => problems.filter(p => pattern.test(formatProblem(p)));

      expect(find(/cart-api\/workload\.yaml:\d+: invalid YAML/)).toHaveLength(1);
      expect(find(/search-api\/component\.yaml:\d+: Component acme\/search-api: spec\.owner\.projectName: Project "ghost" not found/)).toHaveLength(1);
      expect(find(/web-shop\/workload\.yaml:\d+: Workload .*: spec\.dependencies\.endpoints\[\d\]\.name: Component catalog-api has no endpoint "soap"/)).toHaveLength(1);
      // The copy under payments/ sorts first, but the original is where the layout keeps it: the copy is the duplicate.
      expect(find(/payments\/duplicate\.yaml:\d+: Component acme\/catalog-api: metadata\.name: duplicate Component: namespaces\/acme\/projects\/storefront\/components\/catalog-api\/component\.yaml is where it belongs and is used; this copy is ignored/)).toHaveLength(1);
      expect(find(/notifications-ws\/workload\.yaml:\d+: Workload .*: spec\.endpoints\.\w+\.port: must be 1-65535/)).toHaveLength(1);
      expect(find(/staging\.yaml:\d+: Environment other\/staging: metadata\.namespace: is "other" but the file is under namespaces\/acme\//)).toHaveLength(1);
      expect(find(/web-shop\/component\.yaml:\d+: Component acme\/\.\.\/web-shop: metadata\.name: must be an RFC 1123 label/)).toHaveLength(1);
      expect(
        model.problems.filter(p => p.severity === 'warning' && /unknown kind Deployment/.test(p.message) && p.file === 'namespaces/acme/extra.yaml'),
      ).toHaveLength(1);

      // Everything unaffected is still there.
      const components = model.list('Component').map(e => e.resource.metadata.name);
      expect(components).toEqual(expect.arrayContaining(['catalog-api', 'payments-api', 'events-broker', 'search-api']));
      expect(components).not.toContain('../web-shop');
      expect(model.get('Component', 'catalog-api', 'acme')?.file).toBe(`${storefront}/catalog-api/component.yaml`);
      expect(model.workload('acme', 'payments-api')).toBeDefined();
      expect(model.list('Environment').map(e => e.resource.metadata.name).sort()).toEqual(['development', 'production']);
      // ...and the problem names the resource it concerns.
      expect(model.problems.filter(p => p.resource?.kind === 'Component' && p.resource.name === 'search-api')).toHaveLength(1);

      rmSync(root, { recursive: true, force: true });
    } finally {
      dir.cleanup();
    }
  });

  it('loads an empty repository as an empty model', () => {
    const model = loadRepositoryModel({ files: [] });
    expect(model.entries()).toEqual([]);
    expect(model.problems).toEqual([]);
  });

  it('loads a new commit from the files it changed only, to the same model as a full load', async () => {
    const dir = temporaryDirectory();
    try {
      const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
      const cache = new ParsedFileCache();
      const first = await loadRepositoryModelFromGit(bare, 'main', { cache });
      const fileCount = cache.lastLoad.parsed;
      expect(cache.lastLoad).toEqual({ reused: 0, parsed: fileCount });
      expect(first.problems).toEqual([]);

      // One commit that changes a component, removes another and breaks a reference.
      const work = join(dir.path, 'work');
      git(dir.path, 'clone', '--quiet', bare, work);
      const storefront = join(work, 'namespaces/acme/projects/storefront/components');
      const cartApi = join(storefront, 'cart-api/component.yaml');
      writeFileSync(cartApi, readFileSync(cartApi, 'utf8').replace('autoDeploy: true', 'autoDeploy: false'));
      git(work, 'rm', '--quiet', '-r', 'namespaces/acme/projects/storefront/components/search-api');
      const webShop = join(storefront, 'web-shop/workload.yaml');
      writeFileSync(webShop, readFileSync(webShop, 'utf8').replace(/name: rest\b/, 'name: soap'));
      git(work, 'commit', '--quiet', '-am', 'change, remove, break');
      git(work, 'push', '--quiet', 'origin', 'main');

      const incremental = await loadRepositoryModelFromGit(bare, 'main', { cache });
      const full = await loadRepositoryModelFromGit(bare, 'main');
      expect(cache.lastLoad.parsed).toBe(2);
      expect(cache.lastLoad.reused).toBeGreaterThan(fileCount - 10);
      expect(incremental.revision).toBe(full.revision);
      expect(incremental.entries()).toEqual(full.entries());
      expect(incremental.problems).toEqual(full.problems);
      expect(incremental.problems.map(formatProblem).join('\n')).toContain('web-shop/workload.yaml');
      expect(incremental.get('Component', 'search-api', 'acme')).toBeUndefined();
      expect(incremental.get('Component', 'cart-api', 'acme')?.resource.spec.autoDeploy).toBe(false);
      // The model of the earlier commit is untouched by the later load.
      expect(first.get('Component', 'cart-api', 'acme')?.resource.spec.autoDeploy).toBe(true);
    } finally {
      dir.cleanup();
    }
  });
});

describe('a resource defined in two files', () => {
  const componentsDir = 'namespaces/acme/projects/storefront/components';
  const realPath = `${componentsDir}/cart-api/component.yaml`;
  const strayCopy = () =>
    readFileSync(join(EXAMPLE_REPOSITORY, realPath), 'utf8').replace(/openchoreo\.dev\/description: .*/, 'openchoreo.dev/description: Taken over');

  // `cart-api-dup/` sorts before `cart-api/`, `cart-api/zz-copy.yaml` after its component.yaml.
  it.each([`${componentsDir}/cart-api-dup/component.yaml`, `${componentsDir}/cart-api/zz-copy.yaml`])(
    'keeps the file at the layout path and reports the stray copy at %s',
    async strayPath => {
      const snapshot = await readWorkingTree(EXAMPLE_REPOSITORY);
      const files = [...snapshot.files, { path: strayPath, content: Buffer.from(strayCopy()) }].sort((a, b) =>
        a.path < b.path ? -1 : 1,
      );
      const model = loadRepositoryModel({ files });

      const cartApi = model.get('Component', 'cart-api', 'acme')!;
      expect(cartApi.file).toBe(realPath);
      expect(cartApi.resource.metadata.annotations?.['openchoreo.dev/description']).toMatch(/^gRPC service holding shopping carts/);
      expect(model.problems.map(formatProblem)).toEqual([
        `${strayPath}:4: Component acme/cart-api: metadata.name: duplicate Component: ${realPath} is where it belongs and is used; this copy is ignored`,
      ]);
    },
  );

  it('gives the same answer when the model is read from Git, with or without a cache', async () => {
    const dir = temporaryDirectory();
    try {
      const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
      const work = join(dir.path, 'work');
      git(dir.path, 'clone', '--quiet', bare, work);
      const strayPath = `${componentsDir}/cart-api-dup/component.yaml`;
      cpSync(join(work, `${componentsDir}/cart-api`), join(work, `${componentsDir}/cart-api-dup`), { recursive: true });
      rmSync(join(work, `${componentsDir}/cart-api-dup/release-bindings`), { recursive: true });
      rmSync(join(work, `${componentsDir}/cart-api-dup/workload.yaml`));
      writeFileSync(join(work, strayPath), strayCopy());
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '-m', 'stray copy');
      git(work, 'push', '--quiet', 'origin', 'main');

      const cache = new ParsedFileCache();
      for (const model of [
        await loadRepositoryModelFromGit(bare, 'main'),
        await loadRepositoryModelFromGit(bare, 'main', { cache }),
        await loadRepositoryModelFromGit(bare, 'main', { cache }),
      ]) {
        expect(model.get('Component', 'cart-api', 'acme')?.file).toBe(realPath);
        expect(model.problems.map(p => p.file)).toEqual([strayPath]);
      }
    } finally {
      dir.cleanup();
    }
  });

  it('keeps the Workload at the layout path as the component\'s, when a stray one names the same component', async () => {
    const snapshot = await readWorkingTree(EXAMPLE_REPOSITORY);
    const realWorkload = `${componentsDir}/cart-api/workload.yaml`;
    const strayPath = `${componentsDir}/cart-api-dup/workload.yaml`;
    const stray = readFileSync(join(EXAMPLE_REPOSITORY, realWorkload), 'utf8')
      .replace(/^ {2}name: cart-api$/m, '  name: cart-api-dup')
      .replace(/image: .*/, 'image: ghcr.io/evil/cart-api:latest');
    const files = [...snapshot.files, { path: strayPath, content: Buffer.from(stray) }].sort((a, b) => (a.path < b.path ? -1 : 1));
    const model = loadRepositoryModel({ files });

    expect(model.workload('acme', 'cart-api')?.file).toBe(realWorkload);
    expect(model.workload('acme', 'cart-api')?.resource.spec.container.image).toBe('ghcr.io/acme/cart-api:1.4.2');
    expect(model.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        new RegExp(`^${strayPath}:\\d+: Workload acme/cart-api-dup: spec\\.owner\\.componentName: Component cart-api already has a Workload \\(cart-api in ${realWorkload}\\)`),
      ),
    ]);
  });
});

/**
 * Repositories laid out as OpenChoreo publishes them (issue #16): its getting-started platform
 * configuration (ClusterComponentTypes, ClusterTraits, environments, a pipeline) and a project,
 * in multi-document files, with the kinds and defaults of OpenChoreo's v1alpha1 API.
 */
describe('an OpenChoreo repository (issue #16)', () => {
  const platform = `
apiVersion: openchoreo.dev/v1alpha1
kind: ClusterTrait
metadata:
  name: horizontal-pod-autoscaler
spec:
  creates: []
---
apiVersion: openchoreo.dev/v1alpha1
kind: ClusterTrait
metadata:
  name: persistent-volume-claim
spec:
  creates: []
---
apiVersion: openchoreo.dev/v1alpha1
kind: ClusterComponentType
metadata:
  name: service
spec:
  workloadType: deployment
  traits:
    - name: horizontal-pod-autoscaler
      instanceName: hpa
  allowedTraits:
    - name: persistent-volume-claim
  resources:
    - id: deployment
      template: {kind: Deployment}
`;
  const environments = `
apiVersion: openchoreo.dev/v1alpha1
kind: Environment
metadata: {name: development, namespace: default}
spec: {dataPlaneRef: {kind: ClusterDataPlane, name: default}}
---
apiVersion: openchoreo.dev/v1alpha1
kind: Environment
metadata: {name: production, namespace: default}
spec: {isProduction: true}
---
apiVersion: openchoreo.dev/v1alpha1
kind: DeploymentPipeline
metadata: {name: default, namespace: default}
spec:
  promotionPaths:
    - sourceEnvironmentRef: {name: development}
      targetEnvironmentRefs: [{name: production}]
    - sourceEnvironmentRef: {name: production}
      targetEnvironmentRefs: []
`;
  const project = `
apiVersion: openchoreo.dev/v1alpha1
kind: Project
metadata: {name: shop, namespace: default}
spec:
  deploymentPipelineRef: {name: default}
---
apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata: {name: cart, namespace: default}
spec:
  owner: {projectName: shop}
  componentType: {kind: ClusterComponentType, name: deployment/service}
  autoDeploy: true
  traits:
    - {kind: ClusterTrait, name: persistent-volume-claim, instanceName: data}
---
apiVersion: openchoreo.dev/v1alpha1
kind: Workload
metadata: {name: cart, namespace: default}
spec:
  owner: {projectName: shop, componentName: cart}
  container: {image: ghcr.io/acme/cart:1.0.0}
`;
  const file = (path: string, content: string): RepositoryFile => ({ path, content: Buffer.from(content.trimStart()) });
  const repository = (...extra: RepositoryFile[]) => ({
    files: [
      file('platform/cluster-resources.yaml', platform),
      file('default/platform.yaml', environments),
      file('default/projects/shop.yaml', project),
      ...extra,
    ].sort((a, b) => (a.path < b.path ? -1 : 1)),
  });
  const problemsOf = (model: ReturnType<typeof loadRepositoryModel>) => model.problems.map(formatProblem);

  it('loads with no problem although it declares no data plane: OpenChoreo installs ClusterDataPlane "default"', () => {
    // Before, each environment was an error ("no DataPlane or ClusterDataPlane named default"); the
    // renderer, which assumes the installed default, says once per environment what it assumed.
    const model = loadRepositoryModel(repository());
    expect(problemsOf(model)).toEqual([]);
    const named = loadRepositoryModel(repository(file('default/more.yaml', environments.split('---')[0].replace('development', 'qa').replace('name: default}', 'name: edge}'))));
    expect(problemsOf(named)).toEqual([
      expect.stringMatching(/^default\/more\.yaml:\d+: Environment default\/qa: spec\.dataPlaneRef: ClusterDataPlane "edge" not found$/),
    ]);
  });

  it('accepts a promotion path with targetEnvironmentRefs: [] (defect 6), so its Project and components load', () => {
    const model = loadRepositoryModel(repository());
    expect(model.get('DeploymentPipeline', 'default', 'default')?.resource.spec.promotionPaths?.[1].targetEnvironmentRefs).toEqual([]);
    expect(model.get('Project', 'shop', 'default')).toBeDefined();
    expect(problemsOf(model).filter(p => /targetEnvironmentRefs|DeploymentPipeline/.test(p))).toEqual([]);
  });

  it('takes an embedded trait without kind in a ClusterComponentType as a ClusterTrait (defect 3)', () => {
    const model = loadRepositoryModel(repository());
    // The component's ClusterTrait is one its type allows (an allowedTraits entry without kind).
    expect(problemsOf(model).filter(p => /horizontal-pod-autoscaler|persistent-volume-claim|allowedTraits/.test(p))).toEqual([]);

    const otherType = platform.split('---')[2].replace('name: service', 'name: other').replace('name: horizontal-pod-autoscaler', 'name: autoscaler');
    const missing = loadRepositoryModel(repository(file('platform/other.yaml', otherType)));
    expect(problemsOf(missing)).toContainEqual(
      expect.stringMatching(/^platform\/other\.yaml:\d+: ClusterComponentType other: spec\.traits\[0\]\.name: ClusterTrait "autoscaler" not found$/),
    );
  });

  it('refuses a component trait instance named like one its type embeds (OpenChoreo\'s instanceName rule)', () => {
    const colliding = (f: RepositoryFile) =>
      f.path.endsWith('shop.yaml') ? file(f.path, project.replace('instanceName: data', 'instanceName: hpa')) : f;
    const model = loadRepositoryModel({ files: repository().files.map(colliding) });
    expect(model.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([
      expect.stringMatching(/^default\/projects\/shop\.yaml:\d+: Component default\/cart: spec\.traits\[0\]\.instanceName: "hpa" is the instanceName of a trait ClusterComponentType service embeds/),
    ]);
  });

  it('implies the ReleaseBinding OpenChoreo creates for autoDeploy: true, marked as implied (defect 4)', () => {
    const model = loadRepositoryModel(repository());
    const [binding] = model.releaseBindings('default', 'cart');
    expect(binding.resource).toEqual({
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ReleaseBinding',
      metadata: { name: 'cart-development', namespace: 'default' },
      spec: { owner: { projectName: 'shop', componentName: 'cart' }, environment: 'development' },
    });
    // In no file: where the layout would write it, and what implies it.
    expect(binding.file).toBe('namespaces/default/projects/shop/components/cart/release-bindings/cart-development.yaml');
    expect(binding.implied).toEqual({
      by: { kind: 'Component', name: 'cart', namespace: 'default', file: 'default/projects/shop.yaml' },
      reason: expect.stringContaining('autoDeploy: true and no ReleaseBinding for development, the first environment of DeploymentPipeline default'),
    });
    expect(model.get('ReleaseBinding', 'cart-development', 'default')).toBe(binding);
    expect(model.list('ReleaseBinding')).toEqual([binding]);
  });

  it('implies nothing where a binding for the first environment exists, or autoDeploy is off', () => {
    const bound = file(
      'default/projects/shop-bindings.yaml',
      `
apiVersion: openchoreo.dev/v1alpha1
kind: ReleaseBinding
metadata: {name: cart-dev, namespace: default}
spec: {owner: {projectName: shop, componentName: cart}, environment: development}
`,
    );
    const withBinding = loadRepositoryModel(repository(bound));
    expect(withBinding.releaseBindings('default', 'cart').map(b => [b.resource.metadata.name, b.implied])).toEqual([['cart-dev', undefined]]);

    const off = loadRepositoryModel({
      files: repository().files.map(f => (f.path.endsWith('shop.yaml') ? file(f.path, project.replace('autoDeploy: true', 'autoDeploy: false')) : f)),
    });
    expect(off.list('ReleaseBinding')).toEqual([]);
  });

  it('says why it implies no binding where OpenChoreo would not deploy', () => {
    const noWorkload = loadRepositoryModel({
      files: repository().files.map(f => (f.path.endsWith('shop.yaml') ? file(f.path, project.split('---').slice(0, 2).join('---')) : f)),
    });
    expect(noWorkload.list('ReleaseBinding')).toEqual([]);
    expect(problemsOf(noWorkload)).toContainEqual(
      expect.stringMatching(/^default\/projects\/shop\.yaml:\d+: Component default\/cart: spec\.autoDeploy: is true but OpenChoreo would not deploy cart: it has no Workload$/),
    );

    const circular = loadRepositoryModel({
      files: repository().files.map(f =>
        f.path === 'default/platform.yaml' ? file(f.path, environments.replace('targetEnvironmentRefs: []', 'targetEnvironmentRefs: [{name: development}]')) : f,
      ),
    });
    expect(circular.list('ReleaseBinding')).toEqual([]);
    expect(problemsOf(circular)).toContainEqual(
      expect.stringMatching(/spec\.autoDeploy: is true but OpenChoreo would not deploy cart: DeploymentPipeline default has no first environment: every source of its promotion paths is also a target$/),
    );
  });

  it('writes an implied binding into its own file, and the model then reads it from there', async () => {
    const model = loadRepositoryModel(repository());
    const [implied] = model.releaseBindings('default', 'cart');
    const pinned = { ...implied.resource, spec: { ...implied.resource.spec, releaseName: 'cart-1a2b3c4d' } };
    const after = await applyChanges(model, [{ path: implied.file, content: JSON.stringify(pinned) }]);
    const [binding] = after.releaseBindings('default', 'cart');
    expect(binding.implied).toBeUndefined();
    expect(binding.file).toBe(implied.file);
    expect(after.get('Component', 'cart', 'default')?.file).toBe('default/projects/shop.yaml');
  });

  it('loads ProjectType, ClusterProjectType, ProjectRelease, ProjectReleaseBinding and notification channels, checking their references (defect 7)', () => {
    const projectLevel = file(
      'default/project-level.yaml',
      `
apiVersion: openchoreo.dev/v1alpha1
kind: ClusterProjectType
metadata: {name: standard}
spec:
  environmentConfigs: {openAPIV3Schema: {type: object, properties: {quota: {type: string}}}}
  resources:
    - id: quota
      template: {apiVersion: v1, kind: ResourceQuota}
---
apiVersion: openchoreo.dev/v1alpha1
kind: ProjectReleaseBinding
metadata: {name: shop-development, namespace: default}
spec:
  owner: {projectName: shop}
  environment: development
  environmentConfigs: {quota: small}
---
apiVersion: openchoreo.dev/v1alpha1
kind: ProjectReleaseBinding
metadata: {name: shop-staging, namespace: default}
spec:
  owner: {projectName: shop}
  environment: staging
  projectRelease: shop-1
---
apiVersion: openchoreo.dev/v1alpha1
kind: ObservabilityAlertsNotificationChannel
metadata: {name: team-email, namespace: default}
spec:
  environment: development
  type: email
  emailConfig:
    from: alerts@acme.example
    to: [team@acme.example]
    smtp:
      host: smtp.acme.example
      port: 587
      auth:
        username: {secretKeyRef: {name: smtp, key: username}}
        password: {secretKeyRef: {name: smtp, key: password}}
      tls: {insecureSkipVerify: false}
    template: {subject: '[\${alert.severity}] \${alert.name}', body: '\${alert.description}'}
---
apiVersion: openchoreo.dev/v1alpha1
kind: ObservabilityAlertsNotificationChannel
metadata: {name: team-webhook, namespace: default}
spec:
  environment: development
  type: webhook
  webhookConfig: {url: 'https://hooks.acme.example/alerts'}
`,
    );
    const typed = (f: RepositoryFile) =>
      f.path.endsWith('shop.yaml') ? file(f.path, project.replace('deploymentPipelineRef: {name: default}', 'deploymentPipelineRef: {name: default}\n  type: {kind: ClusterProjectType, name: standard}')) : f;
    const model = loadRepositoryModel({ files: repository(projectLevel).files.map(typed) });

    expect(model.projectTypeOf(model.get('Project', 'shop', 'default')!.resource, 'default')?.resource.kind).toBe('ClusterProjectType');
    expect(model.projectReleaseBindings('default', 'shop').map(b => b.resource.metadata.name)).toEqual(['shop-development', 'shop-staging']);
    expect(model.defaultNotificationChannel('default', 'development')?.resource.metadata.name).toBe('team-email');
    const problems = problemsOf(model).filter(p => !/dataPlaneRef|spec: has no dataPlaneRef/.test(p));
    expect(problems).toEqual([
      expect.stringMatching(/^default\/project-level\.yaml:\d+: ProjectReleaseBinding default\/shop-staging: spec\.environment: Environment "staging" not found in namespace default$/),
      expect.stringMatching(/^default\/project-level\.yaml:\d+: ProjectReleaseBinding default\/shop-staging: spec\.projectRelease: ProjectRelease "shop-1" not found in namespace default$/),
      expect.stringMatching(/^default\/project-level\.yaml:\d+: ObservabilityAlertsNotificationChannel default\/team-email: spec\.isEnvDefault: is not set on any of the 2 notification channels of Environment development; OpenChoreo makes the first created the default/),
    ]);
    expect(problemsOf(model).some(p => /unknown kind/.test(p))).toBe(false);
  });

  it('says that Cellplane does not run an environment\'s hooks, and which hooks the repository lacks', () => {
    const hooks = file(
      'default/hooks.yaml',
      `
apiVersion: openchoreo.dev/v1alpha1
kind: ClusterHook
metadata: {name: trivy-image-scan}
spec:
  workflowRef: {kind: ClusterWorkflow, name: trivy-image-scan}
  parameters:
    - {name: severity, default: CRITICAL}
---
apiVersion: openchoreo.dev/v1alpha1
kind: Environment
metadata: {name: staging, namespace: default}
spec:
  dataPlaneRef: {kind: ClusterDataPlane, name: default}
  hooks:
    preDeploy:
      - {name: image-scan, hookRef: {kind: ClusterHook, name: trivy-image-scan}, onFailure: Block}
    postDeploy:
      - {name: smoke, hookRef: {name: smoke-test}}
`,
    );
    const model = loadRepositoryModel(repository(hooks));
    expect(model.get('ClusterHook', 'trivy-image-scan')).toBeDefined();
    expect(problemsOf(model).filter(p => p.startsWith('default/hooks.yaml') && !/dataPlaneRef/.test(p))).toEqual([
      expect.stringMatching(/Environment default\/staging: spec\.hooks: binds 2 deployment hooks: OpenChoreo runs them around each deployment into this environment .*Cellplane renders the deployment without running them$/),
      expect.stringMatching(/Environment default\/staging: spec\.hooks\.postDeploy\[0\]\.hookRef\.name: Hook "smoke-test" is not in the repository/),
    ]);
    expect(model.problems.filter(p => p.severity === 'error')).toEqual([]);
  });

  it('checks a ResourceReleaseBinding\'s pinned ResourceRelease', () => {
    const resources = file(
      'default/resources.yaml',
      `
apiVersion: openchoreo.dev/v1alpha1
kind: ClusterResourceType
metadata: {name: cache}
spec:
  resources:
    - {id: cache, template: {kind: StatefulSet}}
    - {id: admin, includeWhen: '\${parameters.admin}', template: {kind: Deployment}}
---
apiVersion: openchoreo.dev/v1alpha1
kind: Resource
metadata: {name: cache, namespace: default}
spec: {owner: {projectName: shop}, type: {kind: ClusterResourceType, name: cache}}
---
apiVersion: openchoreo.dev/v1alpha1
kind: ResourceRelease
metadata: {name: cache-1, namespace: default}
spec:
  owner: {projectName: shop, resourceName: cache}
  resourceType: {kind: ClusterResourceType, name: cache, spec: {resources: []}}
---
apiVersion: openchoreo.dev/v1alpha1
kind: ResourceReleaseBinding
metadata: {name: cache-development, namespace: default}
spec: {owner: {projectName: shop, resourceName: cache}, environment: development, resourceRelease: cache-1}
---
apiVersion: openchoreo.dev/v1alpha1
kind: ResourceReleaseBinding
metadata: {name: cache-production, namespace: default}
spec: {owner: {projectName: shop, resourceName: cache}, environment: production, resourceRelease: cache-2}
`,
    );
    const model = loadRepositoryModel(repository(resources));
    expect(model.resourceReleases('default', 'cache').map(r => r.resource.metadata.name)).toEqual(['cache-1']);
    expect(problemsOf(model).filter(p => p.startsWith('default/resources.yaml'))).toEqual([
      expect.stringMatching(/^default\/resources\.yaml:\d+: ResourceReleaseBinding default\/cache-production: spec\.resourceRelease: ResourceRelease "cache-2" not found in namespace default$/),
    ]);
  });

  it('checks that a DataPlane\'s imagePullSecretRefs name SecretReferences of its namespace', () => {
    const dataPlane = `
apiVersion: openchoreo.dev/v1alpha1
kind: DataPlane
metadata: {name: edge, namespace: default}
spec:
  planeID: edge
  secretStoreRef: {name: vault}
  imagePullSecretRefs: [registry-credentials, ghost-credentials]
---
apiVersion: openchoreo.dev/v1alpha1
kind: SecretReference
metadata: {name: registry-credentials, namespace: default}
spec:
  template: {type: kubernetes.io/dockerconfigjson}
  data:
    - secretKey: .dockerconfigjson
      remoteRef: {key: registry/acme}
`;
    const model = loadRepositoryModel({ files: repository(file('default/data-plane.yaml', dataPlane)).files });
    expect(model.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([
      expect.stringMatching(/^default\/data-plane\.yaml:\d+: DataPlane default\/edge: spec\.imagePullSecretRefs\[1\]: SecretReference "ghost-credentials" not found$/),
    ]);
  });

  it('refuses a second default notification channel of an environment and a Project naming a missing ProjectType', () => {
    const channels = [1, 2]
      .map(
        i => `
apiVersion: openchoreo.dev/v1alpha1
kind: ObservabilityAlertsNotificationChannel
metadata: {name: hook-${i}, namespace: default}
spec: {environment: development, isEnvDefault: true, type: webhook, webhookConfig: {url: 'https://hooks.acme.example/${i}'}}
`,
      )
      .join('---');
    const untyped = (f: RepositoryFile) =>
      f.path.endsWith('shop.yaml') ? file(f.path, project.replace('deploymentPipelineRef: {name: default}', 'deploymentPipelineRef: {name: default}\n  type: {name: ghost}')) : f;
    const model = loadRepositoryModel({ files: repository(file('default/channels.yaml', channels)).files.map(untyped) });
    expect(model.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([
      expect.stringMatching(/^default\/projects\/shop\.yaml:\d+: Project default\/shop: spec\.type\.name: ProjectType "ghost" not found$/),
      expect.stringMatching(/^default\/channels\.yaml:\d+: ObservabilityAlertsNotificationChannel default\/hook-2: spec\.isEnvDefault: Environment development already has a default notification channel, hook-1 \(default\/channels\.yaml\); an environment has one$/),
    ]);
    expect(model.defaultNotificationChannel('default', 'development')?.resource.metadata.name).toBe('hook-1');
  });
});

describe("OpenChoreo's getting-started repository (examples/openchoreo-getting-started)", () => {
  const GETTING_STARTED = join(EXAMPLE_REPOSITORY, '../openchoreo-getting-started');

  it('loads every kind it holds with no problem: no unknown kind, no valid field called unknown', async () => {
    const model = loadRepositoryModel(await readWorkingTree(GETTING_STARTED));
    // Not even the data plane it does not declare: OpenChoreo's installation creates it.
    expect(model.problems.map(formatProblem)).toEqual([]);
    for (const kind of ['ProjectReleaseBinding', 'ClusterProjectType', 'ObservabilityAlertsNotificationChannel', 'ClusterWorkflow'] as const) {
      expect(model.list(kind).length).toBeGreaterThan(0);
    }
  });

  it('implies the development binding of each autoDeploy component that has none, and each environment has its default channel', async () => {
    const model = loadRepositoryModel(await readWorkingTree(GETTING_STARTED));
    expect(model.list('ReleaseBinding').filter(b => b.implied).map(b => b.resource.metadata.name).sort()).toEqual([
      'cart-development',
      'checkout-development',
      'currency-development',
      'frontend-development',
      'greeter-service-development',
      'loadgenerator-development',
      'productcatalog-development',
      'recommendation-development',
      'snip-analytics-service-development',
      'snip-notifier-development',
    ]);
    expect(['development', 'staging', 'production'].map(env => model.defaultNotificationChannel('default', env)?.resource.metadata.name)).toEqual([
      'team-webhook-development',
      'team-webhook-staging',
      'oncall-email-production',
    ]);
  });
});
