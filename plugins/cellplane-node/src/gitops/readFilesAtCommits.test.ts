import { InputError } from '@backstage/errors';
import { join } from 'node:path';
import { createBareRepository, temporaryDirectory } from '../testUtils/gitFixtures';
import { GitOpsRepository } from './GitOpsRepository';

const author = { name: 'Ada Lovelace', email: 'ada@example.com' };

describe('GitOpsRepository.readFilesAtCommits', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let repository: GitOpsRepository;
  let first: string;
  let second: string;
  let third: string;

  beforeAll(async () => {
    dir = temporaryDirectory();
    const bare = createBareRepository(dir.path);
    repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir.path, 'cache') });
    const commit = async (message: string, changes: Array<{ path: string; content: string | null }>) =>
      (await repository.commit({ message, author, changes: () => changes })).commit!;
    first = await commit('Add a binding', [{ path: 'bindings/web-dev.yaml', content: 'releaseName: web-1\n' }]);
    second = await commit('Pin another release', [{ path: 'bindings/web-dev.yaml', content: 'releaseName: web-2\n' }]);
    third = await commit('Remove the binding', [
      { path: 'bindings/web-dev.yaml', content: null },
      { path: 'bindings/empty.yaml', content: '' },
    ]);
  });
  afterAll(() => dir.cleanup());

  it('reads each file as it was at each commit, in the order asked, and nothing where the commit lacks it', async () => {
    const files = await repository.readFilesAtCommits([
      { commit: second, path: 'bindings/web-dev.yaml' },
      { commit: first, path: 'bindings/web-dev.yaml' },
      { commit: third, path: 'bindings/web-dev.yaml' },
      { commit: third, path: 'bindings/empty.yaml' },
      { commit: first, path: 'bindings' },
    ]);
    expect(files.map(file => ({ ...file, content: file.content?.toString('utf8') }))).toEqual([
      { commit: second, path: 'bindings/web-dev.yaml', content: 'releaseName: web-2\n' },
      { commit: first, path: 'bindings/web-dev.yaml', content: 'releaseName: web-1\n' },
      { commit: third, path: 'bindings/web-dev.yaml', content: undefined },
      { commit: third, path: 'bindings/empty.yaml', content: '' },
      // A folder is not a file.
      { commit: first, path: 'bindings', content: undefined },
    ]);
  });

  it('asks git nothing for no files, and refuses a short commit id or an unsafe path before reading', async () => {
    await expect(repository.readFilesAtCommits([])).resolves.toEqual([]);
    await expect(repository.readFilesAtCommits([{ commit: first.slice(0, 12), path: 'a.yaml' }])).rejects.toThrow(InputError);
    await expect(repository.readFilesAtCommits([{ commit: first, path: '../outside.yaml' }])).rejects.toThrow(InputError);
  });
});
