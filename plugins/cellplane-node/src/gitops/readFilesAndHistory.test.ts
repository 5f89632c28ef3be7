import { join } from 'node:path';
import { EXAMPLE_REPOSITORY, createBareRepository, git, temporaryDirectory } from '../testUtils/gitFixtures';
import { GitOpsRepository } from './GitOpsRepository';

const author = { name: 'Ada Lovelace', email: 'ada@example.com' };

describe('GitOpsRepository reads at a commit', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let bare: string;
  let repository: GitOpsRepository;
  let seed: string;
  let added: string;
  let changed: string;

  const collect = async (files: AsyncIterable<{ path: string; sha: string; content: Buffer }>) => {
    const read: Array<{ path: string; sha: string; content: string }> = [];
    for await (const file of files) read.push({ ...file, content: file.content.toString('utf8') });
    return read;
  };

  beforeAll(async () => {
    dir = temporaryDirectory();
    bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir.path, 'cache') });
    seed = (await repository.fetch())!;
    added = (await repository.commit({
      message: 'Add notes',
      author,
      changes: () => [
        { path: 'notes/a.yaml', content: 'a: 1\n' },
        { path: 'notes/deeper/b.yaml', content: 'b: 1\n' },
        { path: 'other/c.yaml', content: 'c: 1\n' },
      ],
    })).commit!;
    changed = (await repository.commit({
      message: 'Change a note, add another',
      author,
      changes: () => [
        { path: 'notes/a.yaml', content: 'a: 2\n' },
        { path: 'notes/d.yaml', content: 'd: 1\n' },
      ],
    })).commit!;
  });
  afterAll(() => dir.cleanup());

  describe('readFiles', () => {
    it('streams the files under a folder with their blob ids, in tree order', async () => {
      expect(await collect(repository.readFiles(changed, { under: 'notes/' }))).toEqual([
        { path: 'notes/a.yaml', sha: git(bare, 'rev-parse', `${changed}:notes/a.yaml`), content: 'a: 2\n' },
        { path: 'notes/d.yaml', sha: git(bare, 'rev-parse', `${changed}:notes/d.yaml`), content: 'd: 1\n' },
        { path: 'notes/deeper/b.yaml', sha: git(bare, 'rev-parse', `${changed}:notes/deeper/b.yaml`), content: 'b: 1\n' },
      ]);
      expect((await collect(repository.readFiles(added, { under: 'notes/deeper/' }))).map(f => f.path)).toEqual([
        'notes/deeper/b.yaml',
      ]);
    });

    it('reads the rendered tree of the example repository, and nothing of a folder the commit lacks', async () => {
      const rendered = await collect(repository.readFiles(seed, { under: 'rendered/' }));
      expect(rendered.map(f => f.path)).toEqual(git(bare, 'ls-tree', '-r', '--name-only', seed, 'rendered').split('\n'));
      expect(rendered.find(f => f.path === 'rendered/index.txt')?.content).toBe(git(bare, 'show', `${seed}:rendered/index.txt`) + '\n');
      expect(await collect(repository.readFiles(seed, { under: 'notes/' }))).toEqual([]);
    });

    it('reads no content of the files skip turns down, and hands it their blob ids', async () => {
      const asked: string[] = [];
      const read = await collect(
        repository.readFiles(changed, {
          under: 'notes/',
          skip: blob => {
            asked.push(`${blob.path} ${blob.sha}`);
            return blob.path !== 'notes/d.yaml';
          },
        }),
      );
      expect(read.map(f => f.path)).toEqual(['notes/d.yaml']);
      expect(asked).toEqual(
        ['notes/a.yaml', 'notes/d.yaml', 'notes/deeper/b.yaml'].map(path => `${path} ${git(bare, 'rev-parse', `${changed}:${path}`)}`),
      );
    });

    it('can be left early', async () => {
      const first: string[] = [];
      for await (const file of repository.readFiles(seed, { under: 'rendered/' })) {
        first.push(file.path);
        break;
      }
      expect(first).toHaveLength(1);
      // The repository is still usable: nothing was left locked or running.
      expect(await collect(repository.readFiles(changed, { under: 'notes/deeper/' }))).toHaveLength(1);
    });

    it.each([
      ['an abbreviated commit', () => repository.readFiles(changed.slice(0, 12), { under: 'notes/' }), /full id/],
      ['a ref', () => repository.readFiles('main', { under: 'notes/' }), /full id/],
      ['an option', () => repository.readFiles('--output=x', { under: 'notes/' }), /full id/],
      ['a folder without its slash', () => repository.readFiles(changed, { under: 'notes' }), /ending in '\/'/],
      ['the whole tree', () => repository.readFiles(changed, { under: '/' }), /repository path/],
      ['a parent folder', () => repository.readFiles(changed, { under: '../' }), /repository path/],
      ['a pathspec', () => repository.readFiles(changed, { under: ':(glob)*/' }), /repository path/],
    ])('refuses %s before reading anything', (_, read, message) => {
      expect(read).toThrow(message);
    });

    it('fails for a commit the mirror does not have', async () => {
      await expect(collect(repository.readFiles('0'.repeat(40), { under: 'notes/' }))).rejects.toThrow(/rev-parse/);
    });
  });

  describe('historyOfPaths', () => {
    it('lists the commits that changed files under the paths, newest first, with the files they changed', async () => {
      expect(await repository.historyOfPaths(changed, ['notes', 'other/c.yaml'], { limit: 10 })).toEqual([
        { commit: changed, committedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), paths: ['notes/a.yaml', 'notes/d.yaml'] },
        {
          commit: added,
          committedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          paths: ['notes/a.yaml', 'notes/deeper/b.yaml', 'other/c.yaml'],
        },
      ]);
    });

    it('with diffFilter A, the commits that added each file; limit bounds the walk', async () => {
      const history = await repository.historyOfPaths(changed, ['notes'], { diffFilter: 'A', limit: 10 });
      expect(history.map(entry => [entry.commit, entry.paths])).toEqual([
        [changed, ['notes/d.yaml']],
        [added, ['notes/a.yaml', 'notes/deeper/b.yaml']],
      ]);
      expect(await repository.historyOfPaths(changed, ['notes'], { diffFilter: 'A', limit: 1 })).toHaveLength(1);
      expect(await repository.historyOfPaths(added, ['notes'], { diffFilter: 'M', limit: 10 })).toEqual([]);
    });

    it('with details, each commit also says who wrote it, when, its parents and its message', async () => {
      const [latest, earlier] = await repository.historyOfPaths(changed, ['notes'], { limit: 2, details: true });
      expect(latest).toEqual({
        commit: changed,
        committedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        paths: ['notes/a.yaml', 'notes/d.yaml'],
        author,
        authoredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        parents: [added],
        message: 'Change a note, add another',
      });
      expect(earlier).toMatchObject({ commit: added, parents: [seed], message: 'Add notes', paths: ['notes/a.yaml', 'notes/deeper/b.yaml'] });
    });

    it('reads from the given commit back, and answers nothing for no paths', async () => {
      const history = await repository.historyOfPaths(added, ['notes', 'namespaces/acme/namespace.yaml'], { diffFilter: 'A', limit: 10 });
      expect(history.map(entry => entry.commit)).toEqual([added, seed]);
      expect(history[1].paths).toEqual(['namespaces/acme/namespace.yaml']);
      expect(await repository.historyOfPaths(changed, [], { limit: 10 })).toEqual([]);
    });

    it.each([
      ['an abbreviated commit', () => repository.historyOfPaths(changed.slice(0, 7), ['notes'], { limit: 1 }), /full id/],
      ['an unsafe path', () => repository.historyOfPaths(changed, ['notes/../..'], { limit: 1 }), /repository path/],
      ['an absolute path', () => repository.historyOfPaths(changed, ['/etc'], { limit: 1 }), /repository path/],
      ['a pathspec', () => repository.historyOfPaths(changed, [':(glob)**'], { limit: 1 }), /repository path/],
      ['an unknown diff filter', () => repository.historyOfPaths(changed, ['notes'], { diffFilter: 'a', limit: 1 }), /diffFilter/],
      ['an option as diff filter', () => repository.historyOfPaths(changed, ['notes'], { diffFilter: 'A --all', limit: 1 }), /diffFilter/],
      ['no limit', () => repository.historyOfPaths(changed, ['notes'], { limit: 0 }), /limit/],
      ['a fractional limit', () => repository.historyOfPaths(changed, ['notes'], { limit: 1.5 }), /limit/],
    ])('refuses %s', async (_, read, message) => {
      await expect(read()).rejects.toThrow(message);
    });
  });

  it('isLocal: a path or file:// URL is on disk, a remote URL is not', () => {
    expect(repository.isLocal).toBe(true);
    const at = (url: string) => new GitOpsRepository({ url, branch: 'main', cacheDir: join(dir.path, 'unused') }).isLocal;
    expect(at(`file://${bare}`)).toBe(true);
    expect(at('https://github.com/acme/gitops.git')).toBe(false);
    expect(at('ssh://git@github.com/acme/gitops.git')).toBe(false);
    expect(at('git@github.com:acme/gitops.git')).toBe(false);
  });
});
