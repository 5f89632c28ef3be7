import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import { git, temporaryDirectory } from '../testUtils/gitFixtures';
import { GitBlob, iterateGitFiles, streamGitFiles } from './sources';

describe('streamGitFiles', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let work: string;
  let commit: string;

  beforeAll(() => {
    dir = temporaryDirectory();
    work = join(dir.path, 'work');
    const files: Record<string, string> = {
      'namespaces/acme/namespace.yaml': 'kind: Namespace\n',
      'rendered/index.txt': 'index\n',
      'rendered/default/acme/dev/shop/cell.yaml': 'kind: Namespace\n',
      'rendered/default/acme/dev/shop/components/web.yaml': 'kind: Deployment\n',
      'rendered/_bootstrap/default.yaml': 'kind: Application\n',
      'rendered-not/a.yaml': 'x: 1\n',
      'rendered.yaml': 'x: 2\n',
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    git(dir.path, 'init', '--quiet', '--initial-branch=main', work);
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'seed');
    commit = git(work, 'rev-parse', 'HEAD');
  });
  afterAll(() => dir.cleanup());

  it('lists and reads only the files of a folder, in tree order, with their blob ids', async () => {
    const read: Array<{ path: string; sha: string; content: string }> = [];
    const { revision, blobs } = await streamGitFiles(work, 'main', {
      folder: 'rendered',
      onFile: (file, sha) => read.push({ path: file.path, sha, content: file.content.toString('utf8') }),
    });
    expect(revision).toBe(commit);
    expect(blobs.map(blob => blob.path)).toEqual([
      'rendered/_bootstrap/default.yaml',
      'rendered/default/acme/dev/shop/cell.yaml',
      'rendered/default/acme/dev/shop/components/web.yaml',
      'rendered/index.txt',
    ]);
    expect(read.map(file => file.path)).toEqual(blobs.map(blob => blob.path));
    expect(read[3]).toEqual({
      path: 'rendered/index.txt',
      sha: git(work, 'rev-parse', 'HEAD:rendered/index.txt'),
      content: 'index\n',
    });
  });

  it('reads only what include takes and skip does not turn down', async () => {
    const skipped: GitBlob[] = [];
    const read: string[] = [];
    const { blobs } = await streamGitFiles(work, commit, {
      folder: 'rendered',
      include: path => path.endsWith('.yaml'),
      skip: blob => {
        const skip = blob.path.startsWith('rendered/_');
        if (skip) skipped.push(blob);
        return skip;
      },
      onFile: file => read.push(file.path),
    });
    expect(blobs).toHaveLength(3);
    expect(skipped.map(blob => blob.path)).toEqual(['rendered/_bootstrap/default.yaml']);
    expect(read).toEqual(['rendered/default/acme/dev/shop/cell.yaml', 'rendered/default/acme/dev/shop/components/web.yaml']);
  });

  it('finds nothing in a folder the commit does not have, and everything without a folder', async () => {
    const read: string[] = [];
    expect(await streamGitFiles(work, commit, { folder: 'nowhere', onFile: file => read.push(file.path) })).toEqual({
      revision: commit,
      blobs: [],
    });
    expect(read).toEqual([]);
    const { blobs } = await streamGitFiles(work, commit, { onFile: () => undefined });
    expect(blobs).toHaveLength(7);
  });

  it('iterateGitFiles hands over copies of the files, and what was listed before the loop ends', async () => {
    const read: string[] = [];
    let listed: { revision: string; blobs: GitBlob[] } | undefined;
    for await (const file of iterateGitFiles(work, commit, {
      include: path => gitOpsLayout.isModelFile(path),
      onListed: listing => (listed = listing),
    })) {
      read.push(`${file.path} ${file.sha} ${file.content.toString('utf8').trim()}`);
    }
    const modelFiles = ['namespaces/acme/namespace.yaml', 'rendered-not/a.yaml', 'rendered.yaml'];
    expect(listed?.revision).toBe(commit);
    expect(listed?.blobs.map(blob => blob.path)).toEqual(modelFiles);
    expect(read).toEqual(modelFiles.map(path => `${path} ${git(work, 'rev-parse', `${commit}:${path}`)} ${git(work, 'show', `${commit}:${path}`)}`));
  });

  it('fails for a ref that is not a commit', async () => {
    await expect(streamGitFiles(work, 'no-such-branch', { onFile: () => undefined })).rejects.toThrow(/rev-parse/);
  });
});
