import { formatProblem } from '@cellplane/backstage-plugin-common';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import { EXAMPLE_REPOSITORY, createBareRepository, temporaryDirectory } from '../testUtils/gitFixtures';
import { hostileRepositoryFiles } from '../testUtils/hostileRepositoryFiles';
import { FileChange, applyChanges } from './applyChanges';
import { LoadRepositoryModelOptions, ParsedFileCache, loadRepositoryModel, loadRepositoryModelFromGit } from './loadRepositoryModel';
import { RepositoryModel } from './RepositoryModel';
import { RepositorySnapshot, readWorkingTree } from './sources';

const COMPONENTS = 'namespaces/acme/projects/payments/components';

const component = (name: string) => `apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata:
  name: ${name}
  namespace: acme
spec:
  owner:
    projectName: payments
  componentType:
    kind: ClusterComponentType
    name: deployment/service
`;

const workload = (name: string, extra = '') => `apiVersion: openchoreo.dev/v1alpha1
kind: Workload
metadata:
  name: ${name}
  namespace: acme
spec:
  owner:
    projectName: payments
    componentName: ${name}
  container:
    image: ghcr.io/acme/${name}:1.0.0
  endpoints:
    rest:
      type: HTTP
      port: 8080
${extra}`;

/** What the loader reads once `changes` are committed on top of `snapshot`. */
function committed(snapshot: RepositorySnapshot, changes: FileChange[]): RepositorySnapshot {
  const files = new Map(snapshot.files.map(file => [file.path, file.content]));
  for (const change of changes) {
    if (change.content === null) files.delete(change.path);
    else files.set(change.path, Buffer.from(change.content));
  }
  return {
    revision: snapshot.revision,
    files: [...files]
      .filter(([path]) => gitOpsLayout.isModelFile(path))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, content]) => ({ path, content })),
  };
}

const asText = (model: RepositoryModel) => model.problems.map(formatProblem);

describe('applyChanges', () => {
  let example: RepositorySnapshot;
  beforeAll(async () => {
    example = await readWorkingTree(EXAMPLE_REPOSITORY);
  });

  /** The base loaded from `base`, the changes applied to it, and the loader's model of the commit. */
  async function apply(baseChanges: FileChange[], changes: FileChange[], options?: LoadRepositoryModelOptions) {
    const snapshot = committed(example, baseChanges);
    const base = loadRepositoryModel(snapshot, options);
    const baseProblems = [...base.problems];
    const after = await applyChanges(base, changes);
    const loaded = loadRepositoryModel(committed(snapshot, changes), options);
    // Exactly what the loader reads from the commit, in the same order.
    expect(after.entries()).toEqual(loaded.entries());
    expect(after.problems).toEqual(loaded.problems);
    // The model it was applied to is as it was.
    expect(base.problems).toEqual(baseProblems);
    return { base, after };
  }

  it('adds a component, and leaves behind the problems the change resolves', async () => {
    const { base, after } = await apply(
      [{ path: `${COMPONENTS}/refunds-api/workload.yaml`, content: workload('refunds-api') }],
      [{ path: `${COMPONENTS}/refunds-api/component.yaml`, content: component('refunds-api') }],
    );
    expect(asText(base)).toContain(
      `${COMPONENTS}/refunds-api/workload.yaml:9: Workload acme/refunds-api: spec.owner.componentName: Component "refunds-api" not found in namespace acme`,
    );
    expect(after.get('Component', 'refunds-api', 'acme')).toMatchObject({
      file: `${COMPONENTS}/refunds-api/component.yaml`,
      documentIndex: 0,
      namespace: 'acme',
    });
    expect(after.workload('acme', 'refunds-api')?.resource.spec.container.image).toBe('ghcr.io/acme/refunds-api:1.0.0');
    expect(after.problems.filter(p => p.file?.includes('refunds-api'))).toEqual([]);
    expect(after.problems).toEqual(base.problems.filter(p => !p.file?.includes('refunds-api')));
  });

  it('reports the reference a change breaks, with its file and line', async () => {
    const path = 'namespaces/acme/projects/payments/project.yaml';
    const project = example.files.find(file => file.path === path)!.content.toString().replace('name: standard', 'name: nope');
    const { base, after } = await apply([], [{ path, content: project }]);
    expect(asText(base).filter(p => p.startsWith(path))).toEqual([]);
    expect(asText(after).filter(p => p.startsWith(path))).toEqual([
      `${path}:13: Project acme/payments: spec.deploymentPipelineRef: DeploymentPipeline "nope" not found in namespace acme`,
    ]);
  });

  it('removes what a deleted file held, and reports what referred to it', async () => {
    const { after } = await apply([], [{ path: `${COMPONENTS}/payments-api/workload.yaml`, content: null }]);
    expect(after.get('Workload', 'payments-api', 'acme')).toBeUndefined();
    expect(after.workload('acme', 'payments-api')).toBeUndefined();
    expect(asText(after)).toContain(`${COMPONENTS}/payments-api/component.yaml:1: Component acme/payments-api: has no Workload (a Workload whose spec.owner.componentName names this component)`);
  });

  it('brings back a copy a deleted file had overruled', async () => {
    const stray = `${COMPONENTS}/payments-api/old-workload.yaml`;
    const copy = example.files.find(file => file.path === `${COMPONENTS}/payments-api/workload.yaml`)!.content.toString();
    const { base, after } = await apply(
      [{ path: stray, content: copy.replace('1.4.2', '1.0.0') }],
      [{ path: `${COMPONENTS}/payments-api/workload.yaml`, content: null }],
    );
    expect(asText(base).filter(p => p.startsWith(stray))).toEqual([
      `${stray}:4: Workload acme/payments-api: metadata.name: duplicate Workload: ${COMPONENTS}/payments-api/workload.yaml is where it belongs and is used; this copy is ignored`,
    ]);
    expect(after.get('Workload', 'payments-api', 'acme')?.file).toBe(stray);
    expect(asText(after).filter(p => p.startsWith(stray))).toEqual([]);
  });

  it('reports hostile files of a change exactly as the loader reports them once committed', async () => {
    const { after } = await apply([], hostileRepositoryFiles());
    const hostile = after.problems.filter(p => p.file?.includes('hostile'));
    expect(hostile.length).toBeGreaterThan(2);
    expect(hostile.map(p => p.message)).toContainEqual(expect.stringMatching(/^… and \d+ more problems in this file/));
    // The hostile files are parsed twice (the change, then the commit), in event-loop slices: a
    // second on a quiet machine, several on a busy one.
  }, 60_000);

  it('refuses an over-limit file and an alias bomb with the limits the model was loaded with', async () => {
    const limits = { yamlLimits: { maxFileBytes: 20_000, maxNodesPerDocument: 200 }, maxProblemsPerFile: 5 };
    const big = `${COMPONENTS}/big/component.yaml`;
    const bomb = `${COMPONENTS}/bomb/component.yaml`;
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}]`);
    const bigContent = `${component('big')}# ${'x'.repeat(20_000)}\n`;
    const { after } = await apply(
      [],
      [
        { path: big, content: bigContent },
        { path: bomb, content: `${laughs.join('\n')}\n` },
      ],
      limits,
    );
    expect(asText(after).filter(p => p.startsWith(`${COMPONENTS}/b`))).toEqual([
      `${big}: file is ${Buffer.byteLength(bigContent)} bytes, over the 20000-byte limit for one YAML file; split it into several files`,
      `${bomb}: document 1 expands to more than 200 values (YAML aliases?); refusing it`,
    ]);
    expect(after.get('Component', 'big', 'acme')).toBeUndefined();
  });

  it('ignores files the loader does not read, and lets the last change of a path win', async () => {
    const path = `${COMPONENTS}/refunds-api/component.yaml`;
    const { base, after } = await apply(
      [],
      [
        { path: 'rendered/default/acme/development/payments/components/payments-api.yaml', content: 'not: [yaml' },
        { path: 'README.md', content: null },
        { path, content: 'not: [yaml' },
        { path, content: component('refunds-api') },
      ],
    );
    expect(after.get('Component', 'refunds-api', 'acme')?.file).toBe(path);
    expect(after.entries()).toHaveLength(base.entries().length + 1);
  });

  it('places new files where a Git tree lists them, so problems come in the loader order', async () => {
    const broken = (name: string) => ({ path: `${name}/broken.yaml`, content: 'kind: [' });
    const { after } = await apply(
      [broken('namespaces/acme/n'), broken('platform-shared')],
      [broken('zzz'), broken('aaa'), broken('namespaces/acme/m'), broken('namespaces/acme')],
    );
    expect(after.problems.map(p => p.file)).toEqual(
      ['aaa', 'namespaces/acme', 'namespaces/acme/m', 'namespaces/acme/n', 'platform-shared', 'zzz'].map(name => `${name}/broken.yaml`),
    );
  });

  it('applies changes to a model loaded from Git through the parsed-file cache', async () => {
    const dir = temporaryDirectory();
    try {
      const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
      const cache = new ParsedFileCache();
      const base = await loadRepositoryModelFromGit(bare, 'main', { cache });
      const changes = [
        { path: `${COMPONENTS}/refunds-api/component.yaml`, content: component('refunds-api') },
        { path: `${COMPONENTS}/refunds-api/workload.yaml`, content: Buffer.from(workload('refunds-api')) },
        { path: `${COMPONENTS}/ledger-sync/workload.yaml`, content: null },
      ];
      const after = await applyChanges(base, changes);
      const loaded = loadRepositoryModel(committed({ revision: base.revision, files: example.files }, changes));
      expect(after.revision).toBe(base.revision);
      expect(after.entries()).toEqual(loaded.entries());
      expect(after.problems).toEqual(loaded.problems);
      // Changes can be applied again to the result, as a retried write does.
      const again = await applyChanges(after, [{ path: `${COMPONENTS}/refunds-api/component.yaml`, content: null }]);
      expect(again.get('Component', 'refunds-api', 'acme')).toBeUndefined();
      expect(asText(again)).toContain(
        `${COMPONENTS}/refunds-api/workload.yaml:9: Workload acme/refunds-api: spec.owner.componentName: Component "refunds-api" not found in namespace acme`,
      );
    } finally {
      dir.cleanup();
    }
  });

  it('applies changes to a model the loader did not build, from its resources', async () => {
    const loaded = loadRepositoryModel(example);
    const made = new RepositoryModel('abc', loaded.entries(), []);
    const after = await applyChanges(made, [{ path: `${COMPONENTS}/refunds-api/workload.yaml`, content: workload('refunds-api') }]);
    expect(after.revision).toBe('abc');
    expect(after.entries()).toHaveLength(loaded.entries().length + 1);
    expect(after.problems.map(p => `${p.file}: ${p.message}`)).toEqual([
      ...loaded.problems.map(p => `${p.file}: ${p.message}`),
      `${COMPONENTS}/refunds-api/workload.yaml: Component "refunds-api" not found in namespace acme`,
    ]);
  });
});
