import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededRepository, git } from './__testUtils__/git';

/*
 * Each backend process keeps a private mirror of the GitOps repository (cellplane.gitops.cacheDir).
 * What a replica finds there after it was killed, and what happens when two processes are given
 * the same folder (the default cacheDir is named after the URL, so two processes on one machine
 * with the same configuration share it).
 */

jest.setTimeout(120_000);

const author = { name: 'Replica', email: 'replica@localhost' };

describe('the mirror of a backend replica', () => {
  let dir: string;
  let url: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-mirror-'));
    url = join(dir, 'gitops.git');
    createSeededRepository(url, join(__dirname, '..', '..', '..', '..', 'examples', 'gitops'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and writes after the process before it was killed amid a fetch', async () => {
    const cacheDir = join(dir, 'mirror');
    await new GitOpsRepository({ url, branch: 'main', cacheDir }).fetch();
    // What a kill between git's lock and its rename leaves (a fetch's, a write's); then someone else pushes.
    writeFileSync(join(cacheDir, 'refs', 'remotes', 'origin', 'main.lock'), '');
    mkdirSync(join(cacheDir, 'refs', 'cellplane'), { recursive: true });
    writeFileSync(join(cacheDir, 'refs', 'cellplane', 'staging.lock'), '');
    const other = new GitOpsRepository({ url, branch: 'main', cacheDir: join(dir, 'other') });
    const { commit: pushed } = await other.commit({ message: 'Elsewhere', author, changes: () => [{ path: 'a.txt', content: 'a' }] });

    const restarted = new GitOpsRepository({ url, branch: 'main', cacheDir });
    expect(await restarted.fetch()).toBe(pushed);
    const { commit } = await restarted.commit({ message: 'After the restart', author, changes: () => [{ path: 'b.txt', content: 'b' }] });
    expect(git(url, ['rev-parse', 'main']).trim()).toBe(commit);
  });

  it('never pushes one process\'s change as another\'s when two share one cacheDir', async () => {
    const cacheDir = join(dir, 'shared');
    const processes = [0, 1].map(() => new GitOpsRepository({ url, branch: 'main', cacheDir, maxAttempts: 50 }));
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        processes[i % 2]
          .commit({ message: `Write ${i}`, author, changes: () => [{ path: `w/${i}.txt`, content: `${i}` }] })
          .then(
            r => ({ i, commit: r.commit }),
            // Two processes fetching into one mirror fight over its ref lock: a failed write, not a wrong one.
            () => ({ i, commit: undefined }),
          ),
      ),
    );
    const acknowledged = results.filter(r => r.commit);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { i, commit } of acknowledged) {
      expect(git(url, ['log', '-1', '--format=%s', commit!]).trim()).toBe(`Write ${i}`);
      expect(git(url, ['show', `main:w/${i}.txt`])).toBe(`${i}`);
    }
  });
});
