import { ObservedObject } from '@cellplane/backstage-plugin-common';
import { EventLoopSlicer, parseYamlDocuments, runGit } from '@cellplane/backstage-plugin-node';

/** One Kubernetes object of the rendered/ tree, and the file it is in. @public */
export interface RenderedObject {
  path: string;
  object: ObservedObject;
}

const RENDERED_PREFIX = 'rendered/';

/**
 * Reads every Kubernetes object under rendered/ at a commit, straight from Git's object database
 * (no checkout): one `ls-tree`, one `cat-file --batch`. Files that do not parse, and documents
 * that are not Kubernetes objects, are skipped: the renderer and the catalog report those.
 *
 * @public
 */
export async function readRenderedTree(gitDir: string, commit: string): Promise<RenderedObject[]> {
  const listing = await runGit(['ls-tree', '-r', '-z', '--full-tree', commit, '--', 'rendered'], { cwd: gitDir });
  const blobs: Array<{ sha: string; path: string }> = [];
  for (const record of listing.stdout.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, sha] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    // rendered/_bootstrap (Argo CD / Flux setup) and rendered/_observability-plane are not
    // synced to data planes: only rendered/<data plane>/... is.
    if (type === 'blob' && path.startsWith(RENDERED_PREFIX) && !path.startsWith(`${RENDERED_PREFIX}_`) && /\.ya?ml$/.test(path)) {
      blobs.push({ sha, path });
    }
  }
  if (blobs.length === 0) return [];
  const output = (
    await runGit(['cat-file', '--batch'], { cwd: gitDir, input: `${blobs.map(b => b.sha).join('\n')}\n` })
  ).stdout;
  const objects: RenderedObject[] = [];
  let offset = 0;
  // Parsing every rendered file is long synchronous work: requests are answered between files.
  const slicer = new EventLoopSlicer();
  for (const blob of blobs) {
    await slicer.yieldIfDue();
    const headerEnd = output.indexOf(0x0a, offset);
    const size = Number(output.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    const content = output.subarray(headerEnd + 1, headerEnd + 1 + size);
    offset = headerEnd + 1 + size + 1;
    const parsed = parseYamlDocuments(content);
    if (!parsed.ok) continue;
    for (const document of parsed.documents) {
      const value = document.value as any;
      if (value && typeof value === 'object' && typeof value.kind === 'string' && typeof value.apiVersion === 'string' && typeof value.metadata?.name === 'string') {
        objects.push({ path: blob.path, object: value });
      } else if (value?.kind === 'List' && Array.isArray(value.items)) {
        for (const item of value.items) {
          if (item?.kind && item?.apiVersion && item?.metadata?.name) objects.push({ path: blob.path, object: item });
        }
      }
    }
  }
  return objects;
}
