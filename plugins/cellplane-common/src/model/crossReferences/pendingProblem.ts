import { ModelProblem } from '../../problems';
import { formatFieldPath } from '../validateResource';
import type { OpenChoreoResource } from '../kinds';

/**
 * A resource as the loader indexed it: what it says, and where it is.
 *
 * @public
 */
export interface IndexedResource<R extends OpenChoreoResource = OpenChoreoResource> {
  /** The resource, as validated (shared between models: treat it as read-only). */
  resource: R;
  /** Repository-relative path of the file. */
  file: string;
  /** 0-based position in a multi-document file. */
  documentIndex: number;
  /** The namespace it belongs to (from metadata or from its folder); undefined when cluster-scoped. */
  namespace?: string;
}

/** A field as a path of keys and indexes, e.g. `['spec', 'traits', 0, 'name']`. @public */
export type FieldPath = Array<string | number>;

/** A problem whose line is not known yet: it is found from the document and field path. @public */
export interface PendingProblem extends Omit<ModelProblem, 'field'> {
  fieldPath?: FieldPath;
  documentIndex?: number;
}

/** A problem on a field of a resource the loader read (an entry of the model, or about to be one). @public */
export function problemAt(
  { resource, file, documentIndex, namespace }: IndexedResource,
  fieldPath: FieldPath,
  message: string,
  severity: ModelProblem['severity'] = 'error',
): PendingProblem {
  return { severity, file, documentIndex, resource: resourceRef(resource, namespace), fieldPath, message };
}

/** The kind, name and namespace a problem names its resource by. */
function resourceRef(resource: OpenChoreoResource, namespace?: string) {
  const ns = namespace ?? resource.metadata.namespace;
  return { kind: resource.kind, name: resource.metadata.name, ...(ns ? { namespace: ns } : {}) };
}

/** The problem as it is listed, with its line (when found) and its field formatted. @public */
export function withLine({ fieldPath, documentIndex, ...problem }: PendingProblem, line: number | undefined): ModelProblem {
  return {
    ...problem,
    ...(line !== undefined ? { line } : {}),
    ...(fieldPath && fieldPath.length > 0 ? { field: formatFieldPath(fieldPath) } : {}),
  };
}

/** The inverse of formatFieldPath: `spec.endpoints["a.b"].port` → ['spec', 'endpoints', 'a.b', 'port']. @public */
export function parseFieldPath(field: string): FieldPath {
  const path: FieldPath = [];
  const pattern = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of field.matchAll(pattern)) {
    if (match[1] !== undefined) path.push(match[1]);
    else if (match[2] !== undefined) path.push(Number(match[2]));
    else path.push(JSON.parse(match[3]));
  }
  return path;
}
