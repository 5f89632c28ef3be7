import { GitBlob, GitTreeFile, ReadFilesOptions } from '@cellplane/backstage-plugin-node';
import { readRenderedTree } from './readRenderedTree';

const COMMIT = 'a'.repeat(40);

/** A repository whose rendered/ tree holds `files`; records what was asked for. */
function repositoryWith(files: Record<string, string>) {
  const asked: Array<{ commit: string; under: string; skipped: string[] }> = [];
  return {
    asked,
    async *readFiles(commit: string, options: ReadFilesOptions): AsyncGenerator<GitTreeFile> {
      const call = { commit, under: options.under, skipped: [] as string[] };
      asked.push(call);
      for (const [path, content] of Object.entries(files)) {
        const blob: GitBlob = { path, sha: `sha-of-${path}` };
        if (options.skip?.(blob)) call.skipped.push(path);
        else yield { ...blob, content: Buffer.from(content) };
      }
    },
  };
}

describe('readRenderedTree', () => {
  it("reads the objects of the data planes' YAML files under rendered/, with the items of Lists", async () => {
    const repository = repositoryWith({
      'rendered/_bootstrap/default.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: a }\n',
      'rendered/default/acme/dev/shop/cell.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: acme-shop-dev }\n',
      'rendered/default/acme/dev/shop/components/web.yml': [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }',
        'just: a map',
        'apiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: Service, metadata: { name: web } }\n  - { kind: Nameless }',
      ].join('\n---\n'),
      'rendered/default/acme/dev/shop/components/broken.yaml': 'a: [',
      'rendered/index.txt': 'abc rendered/default/acme/dev/shop/cell.yaml\n',
    });
    const objects = await readRenderedTree(repository, COMMIT);
    expect(objects.map(({ path, object }) => `${path} ${object.kind}/${object.metadata.name}`)).toEqual([
      'rendered/default/acme/dev/shop/cell.yaml Namespace/acme-shop-dev',
      'rendered/default/acme/dev/shop/components/web.yml Deployment/web',
      'rendered/default/acme/dev/shop/components/web.yml Service/web',
    ]);
    expect(repository.asked).toEqual([
      { commit: COMMIT, under: 'rendered/', skipped: ['rendered/_bootstrap/default.yaml', 'rendered/index.txt'] },
    ]);
  });

  it('reads nothing from a commit without rendered/', async () => {
    expect(await readRenderedTree(repositoryWith({}), COMMIT)).toEqual([]);
  });
});
