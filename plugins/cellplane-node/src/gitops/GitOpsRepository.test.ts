import { join } from 'node:path';
import { EXAMPLE_REPOSITORY, createBareRepository, git, temporaryDirectory } from '../testUtils/gitFixtures';
import { GitOpsRepository } from './GitOpsRepository';

const author = { name: 'Ada Lovelace', email: 'ada@example.com' };

describe('GitOpsRepository', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  beforeEach(() => {
    dir = temporaryDirectory();
  });
  afterEach(() => dir.cleanup());

  const open = (bare: string, name = 'writer') =>
    new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir.path, 'cache', name) });

  it('creates the first commit of an empty repository', async () => {
    const bare = createBareRepository(dir.path);
    const repository = open(bare);
    expect(await repository.fetch()).toBeUndefined();

    const result = await repository.commit({
      message: 'Create project shop',
      author,
      changes: base => {
        expect(base.commit).toBeUndefined();
        return [{ path: 'namespaces/acme/projects/shop/project.yaml', content: 'kind: Project\n' }];
      },
    });

    expect(result).toMatchObject({ parent: undefined, attempts: 1, changedPaths: ['namespaces/acme/projects/shop/project.yaml'] });
    expect(git(bare, 'rev-parse', 'main')).toBe(result.commit);
    expect(git(bare, 'show', 'main:namespaces/acme/projects/shop/project.yaml')).toBe('kind: Project');
    expect(git(bare, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe('Ada Lovelace <ada@example.com>|Create project shop');
  });

  it('writes, changes and deletes files in one commit on top of the head', async () => {
    const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    const head = git(bare, 'rev-parse', 'main');
    const repository = open(bare);
    const bindingPath = 'namespaces/acme/projects/storefront/components/web-shop/release-bindings/web-shop-development.yaml';

    const result = await repository.commit({
      message: 'Change several files',
      author,
      changes: async base => {
        const before = (await base.readFile(bindingPath))!.toString();
        return [
          { path: 'notes/new.yaml', content: 'a: 1\n' },
          { path: bindingPath, content: `${before}# touched\n` },
          { path: 'namespaces/acme/platform/secret-references/events-broker-credentials.yaml', content: null },
        ];
      },
    });

    expect(result.parent).toBe(head);
    expect(result.changedPaths.sort()).toEqual(
      ['namespaces/acme/platform/secret-references/events-broker-credentials.yaml', bindingPath, 'notes/new.yaml'].sort(),
    );
    expect(git(bare, 'rev-parse', 'main^')).toBe(head);
    expect(git(bare, 'show', `main:${bindingPath}`)).toMatch(/# touched$/);
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).not.toMatch(/events-broker-credentials/);
    // and the model reads the new head
    const model = await repository.model();
    expect(model.revision).toBe(result.commit);
    expect(model.get('SecretReference', 'events-broker-credentials', 'acme')).toBeUndefined();
  });

  it('makes no commit when the change leaves the tree as it is (idempotent writes)', async () => {
    const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    const repository = open(bare);
    const write = () =>
      repository.commit({ message: 'Add a file', author, changes: () => [{ path: 'a/b.yaml', content: 'x: 1\n' }] });

    const first = await write();
    const second = await write();
    expect(first.commit).toBeDefined();
    expect(second).toEqual({ commit: undefined, parent: first.commit, changedPaths: [], attempts: 1 });
    expect(git(bare, 'rev-list', '--count', 'main')).toBe('2');
  });

  it('writes nothing when a path is unsafe or the change throws', async () => {
    const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    const head = git(bare, 'rev-parse', 'main');
    const repository = open(bare);

    await expect(
      repository.commit({
        message: 'Escape',
        author,
        changes: () => [
          { path: 'ok.yaml', content: 'a: 1' },
          { path: '../outside.yaml', content: 'a: 1' },
        ],
      }),
    ).rejects.toThrow(/refusing to write "\.\.\/outside\.yaml"/);
    await expect(
      repository.commit({ message: 'Fails', author, changes: () => Promise.reject(new Error('no such project')) }),
    ).rejects.toThrow('no such project');
    await expect(
      repository.commit({ message: 'Bad author', author: { name: 'x>', email: 'e' }, changes: () => [] }),
    ).rejects.toThrow(/author\.name must be/);
    await expect(repository.commit({ message: ' ', author, changes: () => [] })).rejects.toThrow(/commit message is required/);

    expect(git(bare, 'rev-parse', 'main')).toBe(head);
  });

  it('answers concurrent readers while others push: no fetch fails, each sees the pushes made before it asked', async () => {
    // In the portal the catalog provider, the status backend and the template module share one
    // repository and poll it at once; two git fetches into one mirror fight over the ref lock.
    const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    const reader = open(bare, 'reader');
    const writer = open(bare, 'writer');
    await reader.fetch();
    for (let round = 0; round < 5; round += 1) {
      const { commit } = await writer.commit({
        message: `Round ${round}`,
        author,
        changes: () => [{ path: `rounds/${round}.yaml`, content: `round: ${round}\n` }],
      });
      const heads = await Promise.all(Array.from({ length: 8 }, () => reader.fetch()));
      expect(heads).toEqual(Array(8).fill(commit));
    }
  });

  it('refuses a branch name that is not a valid ref', () => {
    expect(() => new GitOpsRepository({ url: 'x', branch: 'main..evil', cacheDir: dir.path })).toThrow(
      /not a valid Git branch name/,
    );
  });

  it('20 concurrent writers on separate replicas: 20 commits, no change lost', async () => {
    const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    const before = Number(git(bare, 'rev-list', '--count', 'main'));
    const writers = Array.from({ length: 20 }, (_, i) => open(bare, `replica-${i}`));

    const results = await Promise.all(
      writers.map((repository, i) =>
        repository.commit({
          message: `Writer ${i}`,
          author,
          // Every writer both adds its own file and appends to a shared one: the shared file
          // proves each change was re-derived from the head it finally landed on.
          changes: async base => {
            const log = (await base.readFile('audit.log'))?.toString() ?? '';
            return [
              { path: `writers/writer-${i}.yaml`, content: `writer: ${i}\n` },
              { path: 'audit.log', content: `${log}writer ${i}\n` },
            ];
          },
        }),
      ),
    );

    expect(results.every(r => r.commit)).toBe(true);
    expect(Number(git(bare, 'rev-list', '--count', 'main'))).toBe(before + 20);
    const files = git(bare, 'ls-tree', '--name-only', 'main', 'writers/').split('\n');
    expect(files).toHaveLength(20);
    const log = git(bare, 'show', 'main:audit.log').split('\n');
    expect(log.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `writer ${i}`).sort());
    expect(results.some(r => r.attempts > 1)).toBe(true);
  }, 120_000);

  it('serialises concurrent writes from one process', async () => {
    const bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    const repository = open(bare);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        repository.commit({ message: `w${i}`, author, changes: () => [{ path: `same/${i}.yaml`, content: `${i}\n` }] }),
      ),
    );
    expect(new Set(results.map(r => r.commit)).size).toBe(10);
    expect(git(bare, 'ls-tree', '--name-only', 'main', 'same/').split('\n')).toHaveLength(10);
  }, 60_000);
});
