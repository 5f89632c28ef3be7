import { join } from 'node:path';
import { EXAMPLE_REPOSITORY, createBareRepository, git, temporaryDirectory } from '../testUtils/gitFixtures';
import { GitOpsRepository } from './GitOpsRepository';

const author = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** The trace of a commit asks whether what Argo CD or Flux synced carries the commit. */
describe('GitOpsRepository.includesCommit', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let bare: string;
  let repository: GitOpsRepository;
  let seed: string;
  let next: string;

  beforeAll(async () => {
    dir = temporaryDirectory();
    bare = createBareRepository(dir.path, EXAMPLE_REPOSITORY);
    repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir.path, 'cache') });
    seed = (await repository.fetch())!;
    next = (await repository.commit({ message: 'Add a note', author, changes: () => [{ path: 'notes/a.yaml', content: 'a: 1\n' }] })).commit!;
  });
  afterAll(() => dir.cleanup());

  it('includes the commit itself and every ancestor, not a descendant', async () => {
    expect(await repository.includesCommit(next, next)).toBe(true);
    expect(await repository.includesCommit(next, seed)).toBe(true);
    expect(await repository.includesCommit(seed, next)).toBe(false);
  });

  it('sees a revision pushed by someone else since the last fetch', async () => {
    const work = join(dir.path, 'work');
    git(dir.path, 'clone', '--quiet', bare, work);
    git(work, '-c', 'user.name=Grace', '-c', 'user.email=grace@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'elsewhere');
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    const pushed = git(work, 'rev-parse', 'HEAD').trim();
    expect(await repository.includesCommit(pushed, next)).toBe(true);
  });

  it('answers false for a revision the repository never had', async () => {
    expect(await repository.includesCommit('f'.repeat(40), seed)).toBe(false);
  });

  it('refuses what is not a full commit id', async () => {
    await expect(repository.includesCommit('abc1234', seed)).rejects.toThrow(/full id/);
  });
});
