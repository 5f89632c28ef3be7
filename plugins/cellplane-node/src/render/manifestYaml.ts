import { dump } from 'js-yaml';
import type { RenderedObject } from './template/types';

/**
 * Byte-stable YAML for rendered manifests: Kubernetes' customary keys first (apiVersion, kind,
 * metadata, name, namespace, ...), the rest alphabetical at every level, no anchors, no line
 * folding; objects of a file in a fixed order. The same objects always give the same bytes,
 * whatever order the templates produced their keys in.
 */

const FIRST = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec'];
const rank = (key: string) => {
  const index = FIRST.indexOf(key);
  return index === -1 ? FIRST.length : index;
};
const compareKeys = (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Namespaces first (they must exist before what lives in them), then by kind, apiVersion, name. */
export function compareObjects(a: RenderedObject, b: RenderedObject): number {
  const first = (o: RenderedObject) => (o.kind === 'Namespace' ? 0 : 1);
  const key = (o: RenderedObject) => `${o.kind}\u0000${o.apiVersion}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
  return first(a) - first(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** A multi-document YAML file: a comment header, then the objects in `compareObjects` order. */
export function manifestFile(header: string[], objects: RenderedObject[]): string {
  const documents = [...objects]
    .sort(compareObjects)
    .map(object => dump(object, { sortKeys: compareKeys, lineWidth: -1, noRefs: true }));
  return `${header.map(line => `# ${line}\n`).join('')}${documents.map(doc => `---\n${doc}`).join('')}`;
}
