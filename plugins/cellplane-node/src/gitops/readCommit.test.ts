import { join } from 'node:path';
import { EXAMPLE_REPOSITORY, createBareRepository, git, temporaryDirectory } from '../testUtils/gitFixtures';
import { GitOpsRepository } from './GitOpsRepository';

const author = { name: 'Ada Lovelace', email: 'ada@example.com' };
const bindingPath = 'namespaces/acme/projects/storefront/components/web-shop/release-bindings/web-shop-development.yaml';

describe('GitOpsRepository.readCommit', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let bare: string;
  let repository: GitOpsRepository;
  let seed: string;
  let commit: string;

  beforeAll(async () => {
    dir = temporaryDirectory();
    bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    seed = git(bare, 'rev-parse', 'main');
    repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir.path, 'cache') });
    ({ commit } = (await repository.commit({
      message: 'Change web-shop\n\nWhy: the test says so.\n',
      author,
      changes: async base => [
        { path: 'notes/new.yaml', content: 'a: 1\nb: 2\n' },
        { path: bindingPath, content: `${(await base.readFile(bindingPath))!.toString()}# touched\n` },
        { path: 'namespaces/acme/platform/secret-references/events-broker-credentials.yaml', content: null },
        { path: 'notes/logo.bin', content: Buffer.from([0, 1, 2, 0, 255]) },
      ],
    })) as { commit: string });
  });
  afterAll(() => dir.cleanup());

  it('reads message, author, date, parents and each changed file with its diff', async () => {
    const details = await repository.readCommit(commit);
    expect(details).toMatchObject({
      commit,
      parents: [seed],
      author,
      message: 'Change web-shop\n\nWhy: the test says so.',
      truncated: false,
    });
    expect(new Date(details!.date).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(details!.files.map(f => [f.path, f.status, f.additions, f.deletions])).toEqual([
      ['namespaces/acme/platform/secret-references/events-broker-credentials.yaml', 'deleted', 0, expect.any(Number)],
      [bindingPath, 'modified', 1, 0],
      ['notes/logo.bin', 'added', null, null],
      ['notes/new.yaml', 'added', 2, 0],
    ]);
    const byPath = Object.fromEntries(details!.files.map(f => [f.path, f]));
    expect(byPath['notes/new.yaml'].patch).toMatch(
      /^diff --git a\/notes\/new.yaml b\/notes\/new.yaml\nnew file mode 100644\nindex 0000000\.\.[0-9a-f]{7}\n--- \/dev\/null\n\+\+\+ b\/notes\/new.yaml\n@@ -0,0 \+1,2 @@\n\+a: 1\n\+b: 2\n$/,
    );
    expect(byPath[bindingPath].patch).toMatch(/^diff --git a\/\S+ b\/\S+\n[\s\S]*\n\+# touched\n$/);
    expect(byPath['notes/logo.bin'].patch).toBeUndefined();
  });

  it('finds a commit by an abbreviated id, in either case', async () => {
    expect((await repository.readCommit(commit.slice(0, 7)))?.commit).toBe(commit);
    expect((await repository.readCommit(commit.slice(0, 12).toUpperCase()))?.commit).toBe(commit);
  });

  it('reads the first commit against nothing', async () => {
    const details = await repository.readCommit(seed);
    expect(details?.parents).toEqual([]);
    expect(details?.files.length).toBeGreaterThan(20);
    expect(details?.files.every(f => f.status === 'added')).toBe(true);
  });

  it('reads a commit pushed by another writer since the last fetch', async () => {
    const other = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir.path, 'other') });
    const { commit: pushed } = await other.commit({
      message: 'From elsewhere',
      author,
      changes: () => [{ path: 'notes/elsewhere.yaml', content: 'x: 1\n' }],
    });
    expect((await repository.readCommit(pushed!))?.message).toBe('From elsewhere');
  });

  it('cuts the diff at maxDiffBytes and says so, keeping every file in the list', async () => {
    const details = await repository.readCommit(seed, { maxDiffBytes: 16_384 });
    expect(details!.truncated).toBe(true);
    const patched = details!.files.filter(f => f.patch);
    expect(patched.length).toBeGreaterThan(0);
    expect(patched.length).toBeLessThan(details!.files.length);
    expect(patched.reduce((n, f) => n + f.patch!.length, 0)).toBeLessThanOrEqual(16_384);
    // Every patch shown is whole; the cut one is left out rather than shown half.
    expect(patched.every((f, i) => f === details!.files[i])).toBe(true);
  });

  it('lists at most maxFiles files', async () => {
    const details = await repository.readCommit(seed, { maxFiles: 3 });
    expect(details!.files).toHaveLength(3);
    expect(details!.truncated).toBe(true);
  });

  it('answers undefined for a commit the branch does not have', async () => {
    expect(await repository.readCommit('0'.repeat(40))).toBeUndefined();
    expect(await repository.readCommit('deadbee')).toBeUndefined();
    // A write that changed nothing leaves its commit object in the mirror, on no branch.
    await repository.commit({ message: 'Nothing', author, changes: () => [{ path: 'notes/new.yaml', content: 'a: 1\nb: 2\n' }] });
    const abandoned = git(join(dir.path, 'cache'), 'rev-parse', 'refs/cellplane/staging');
    expect(git(join(dir.path, 'cache'), 'cat-file', '-t', abandoned)).toBe('commit');
    expect(await repository.readCommit(abandoned)).toBeUndefined();
  });

  it('refuses what is not a commit id before running git', async () => {
    for (const bad of ['abc', 'main', 'HEAD~1', '--output=/tmp/x', 'g'.repeat(40), 'a'.repeat(41), `${commit.slice(0, 8)}^`]) {
      await expect(repository.readCommit(bad)).rejects.toThrow(/^a commit id is 7 to 40 hexadecimal digits/);
    }
  });
});
