import { HistoryOfPathsOptions, PathHistoryCommit } from '@cellplane/backstage-plugin-node';
import { readReleaseHistory } from './readReleaseHistory';

const COMMIT = 'c'.repeat(40);
const folder = 'namespaces/acme/projects/shop/components/web/releases';

/** A repository whose history is `history`; records what was asked for. */
function repositoryWith(history: PathHistoryCommit[]) {
  const asked: Array<{ commit: string; paths: string[]; options: HistoryOfPathsOptions }> = [];
  return {
    asked,
    async historyOfPaths(commit: string, paths: string[], options: HistoryOfPathsOptions) {
      asked.push({ commit, paths, options });
      return history;
    },
  };
}

describe('readReleaseHistory', () => {
  it('dates each file by the newest commit that added it, bounded by the number of files', async () => {
    const repository = repositoryWith([
      { commit: '3'.repeat(40), committedAt: '2025-03-01T00:00:00Z', paths: [`${folder}/web-3.yaml`, `${folder}/other.txt`] },
      { commit: '2'.repeat(40), committedAt: '2025-02-01T00:00:00Z', paths: [`${folder}/web-1.yaml`] },
      { commit: '1'.repeat(40), committedAt: '2025-01-01T00:00:00Z', paths: [`${folder}/web-1.yaml`, 'release.yaml'] },
    ]);
    const files = [`${folder}/web-1.yaml`, `${folder}/web-2.yaml`, `${folder}/web-3.yaml`, 'release.yaml'];
    const origins = await readReleaseHistory(repository, COMMIT, files);
    expect(Object.fromEntries(origins)).toEqual({
      [`${folder}/web-3.yaml`]: { commit: '3'.repeat(40), createdAt: '2025-03-01T00:00:00Z', order: 1 },
      [`${folder}/web-1.yaml`]: { commit: '2'.repeat(40), createdAt: '2025-02-01T00:00:00Z', order: 2 },
      'release.yaml': { commit: '1'.repeat(40), createdAt: '2025-01-01T00:00:00Z', order: 3 },
    });
    // The folders, once each; a file at the top by itself, not the whole repository.
    expect(repository.asked).toEqual([{ commit: COMMIT, paths: [folder, 'release.yaml'], options: { diffFilter: 'A', limit: 4 } }]);
  });

  it('asks nothing for no files, and leaves out files in folders that are not safe paths', async () => {
    const repository = repositoryWith([]);
    expect((await readReleaseHistory(repository, COMMIT, [])).size).toBe(0);
    expect((await readReleaseHistory(repository, COMMIT, ['odd folder/r.yaml', `${folder}/r.yaml`])).size).toBe(0);
    expect(repository.asked.map(call => call.paths)).toEqual([[folder]]);
  });
});
