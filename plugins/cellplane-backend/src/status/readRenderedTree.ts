import { ObservedObject } from '@cellplane/backstage-plugin-common';
import { EventLoopSlicer, GitOpsRepository, parseYamlDocuments } from '@cellplane/backstage-plugin-node';

/** One Kubernetes object Git wants on a data plane (from the rendered/ tree), and the file it is in. */
export interface DesiredObject {
  path: string;
  object: ObservedObject;
}

const RENDERED_FOLDER = 'rendered/';

/**
 * What data planes sync: YAML files of rendered/<data plane>/... . rendered/_bootstrap (Argo CD /
 * Flux setup) and rendered/_observability-plane are not synced to data planes, nor is index.txt.
 */
const isSyncedManifest = (path: string) => !path.startsWith(`${RENDERED_FOLDER}_`) && /\.ya?ml$/.test(path);

/**
 * Reads every Kubernetes object under rendered/ at a commit, from the repository's mirror
 * (`readFiles`: no checkout, one `ls-tree`, one `cat-file --batch`). Files that do not parse, and
 * documents that are not Kubernetes objects, are skipped: the renderer and the catalog report those.
 */
export async function readRenderedTree(
  repository: Pick<GitOpsRepository, 'readFiles'>,
  commit: string,
): Promise<DesiredObject[]> {
  const objects: DesiredObject[] = [];
  // Parsing every rendered file is long synchronous work: requests are answered between files.
  const slicer = new EventLoopSlicer();
  const files = repository.readFiles(commit, { under: RENDERED_FOLDER, skip: ({ path }) => !isSyncedManifest(path) });
  for await (const file of files) {
    await slicer.yieldIfDue();
    addKubernetesObjects(objects, file.path, file.content);
  }
  return objects;
}

/** Adds the Kubernetes objects of a YAML file to `objects`, with the items of `kind: List` documents. */
function addKubernetesObjects(objects: DesiredObject[], path: string, content: Buffer) {
  const parsed = parseYamlDocuments(content);
  if (!parsed.ok) return;
  for (const document of parsed.documents) {
    const value = document.value as any;
    if (value && typeof value === 'object' && typeof value.kind === 'string' && typeof value.apiVersion === 'string' && typeof value.metadata?.name === 'string') {
      objects.push({ path, object: value });
    } else if (value?.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) {
        if (item?.kind && item?.apiVersion && item?.metadata?.name) objects.push({ path, object: item });
      }
    }
  }
}
