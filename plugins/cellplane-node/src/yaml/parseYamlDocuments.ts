import yaml from 'js-yaml';
import { isMap, isSeq, parseAllDocuments } from 'yaml';

/** @public */
export interface YamlLimits {
  /** Largest file read, in bytes (default 1 MiB). */
  maxFileBytes: number;
  /**
   * Most values one document may expand to. YAML aliases can make a small file describe an
   * enormous tree (the "billion laughs"); such a document is refused, not walked.
   */
  maxNodesPerDocument: number;
}

/** @public */
export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxFileBytes: 1024 * 1024,
  maxNodesPerDocument: 100_000,
};

/**
 * YAML 1.2 core types plus merge keys (`<<: *base`), which Kubernetes' YAML reader accepts.
 * Timestamps stay strings, as they do once Kubernetes turns YAML into JSON.
 */
const KUBERNETES_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({
  // js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
  implicit: [(yaml as unknown as { types: { merge: yaml.Type } }).types.merge],
});

/** @public */
export interface ParsedYamlDocument {
  /** 0-based position of the document in a multi-document file. */
  index: number;
  value: unknown;
}

/** @public */
export type YamlParseResult =
  | { ok: true; documents: ParsedYamlDocument[] }
  | { ok: false; message: string; line?: number };

/**
 * Parses a (multi-document) YAML file safely: no custom types, duplicate keys rejected, size and
 * alias expansion bounded. js-yaml does the parsing because it is an order of magnitude faster
 * than the `yaml` package on the many small files of a GitOps repository; `yaml` is used only
 * to find the line of a field when a problem is reported (see locateField).
 *
 * @public
 */
export function parseYamlDocuments(
  content: string | Buffer,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): YamlParseResult {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > limits.maxFileBytes) {
    return {
      ok: false,
      message: `file is ${size} bytes, over the ${limits.maxFileBytes}-byte limit for one YAML file; split it into several files`,
    };
  }
  const text = typeof content === 'string' ? content : content.toString('utf8');
  let values: unknown[];
  try {
    values = yaml.loadAll(text, undefined, { schema: KUBERNETES_YAML_SCHEMA });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      return {
        ok: false,
        message: `invalid YAML: ${error.reason}`,
        line: error.mark ? error.mark.line + 1 : undefined,
      };
    }
    throw error;
  }
  const documents: ParsedYamlDocument[] = [];
  for (const [index, value] of values.entries()) {
    if (value === null || value === undefined) {
      continue; // an empty document, e.g. a trailing '---'
    }
    if (!withinNodeBudget(value, limits.maxNodesPerDocument)) {
      return {
        ok: false,
        message: `document ${index + 1} expands to more than ${limits.maxNodesPerDocument} values (YAML aliases?); refusing it`,
      };
    }
    documents.push({ index, value });
  }
  return { ok: true, documents };
}

function withinNodeBudget(root: unknown, budget: number): boolean {
  let remaining = budget;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    remaining -= 1;
    if (remaining < 0) {
      return false;
    }
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) stack.push(item);
    }
  }
  return true;
}

/**
 * The 1-based line of a field (as a path of keys and indexes) in document `documentIndex` of
 * `text`, or of the closest existing parent field. Only called when reporting a problem.
 *
 * @public
 */
export function locateField(
  text: string,
  documentIndex: number,
  path: ReadonlyArray<string | number>,
): number | undefined {
  let documents;
  try {
    documents = parseAllDocuments(text);
  } catch {
    return undefined;
  }
  const document = Array.isArray(documents) ? documents[documentIndex] : undefined;
  if (!document) {
    return undefined;
  }
  let node: unknown = document.contents;
  let offset = (document.contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const key of path) {
    let next: { range?: [number, number, number] } | undefined;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        item => String((item.key as { value?: unknown })?.value ?? item.key) === String(key),
      );
      next = pair?.value as typeof next;
      keyOffset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key] as typeof next;
      keyOffset = next?.range?.[0];
    }
    if (keyOffset === undefined) {
      break;
    }
    offset = keyOffset;
    node = next;
  }
  if (offset === undefined) {
    return undefined;
  }
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) line += 1;
  }
  return line;
}
