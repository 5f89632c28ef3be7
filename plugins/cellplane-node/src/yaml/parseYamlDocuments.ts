import yaml from 'js-yaml';
import { Steps, runToCompletion } from '../async/cooperative';
import { KUBERNETES_YAML_SCHEMA } from './kubernetesYamlSchema';

/** How much of a YAML file the loader reads: bounds that keep a hostile file cheap. @public */
export interface YamlLimits {
  /** Largest file read, in bytes (default 1 MiB). */
  maxFileBytes: number;
  /**
   * Most values one document may expand to (default 5,000; the largest resource of the example
   * organisation, a ComponentType, has under 400). YAML aliases can make a small file describe
   * an enormous tree (the "billion laughs"); such a document is refused, not walked. The limit
   * also bounds the work one document costs, since files are parsed and validated a document at
   * a time with pauses between documents: parsing stops once the limit is passed, and parsing or
   * validating 5,000 broken values takes a few tens of milliseconds, so a hostile file cannot
   * hold the backend's event loop for long.
   */
  maxNodesPerDocument: number;
}

/** The limits the loader applies unless told otherwise. @internal */
export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxFileBytes: 1024 * 1024,
  maxNodesPerDocument: 5_000,
};

/** One non-empty document of a YAML file, as plain data. @public */
export interface ParsedYamlDocument {
  /** 0-based position of the document in a multi-document file. */
  index: number;
  value: unknown;
}

/** The documents of a YAML file, or why it could not be read (with the line, when known). @public */
export type YamlParseResult =
  | { ok: true; documents: ParsedYamlDocument[] }
  | { ok: false; message: string; line?: number };

/**
 * Parses a (multi-document) YAML file safely: no custom types, duplicate keys rejected, size,
 * nesting and alias expansion bounded. Scalars read as Kubernetes reads them, YAML 1.1 style
 * (`0755` is octal, `yes` is true; see kubernetesYamlSchema.ts). js-yaml does the parsing
 * because it is an order of magnitude faster than the `yaml` package on the many small files of
 * a GitOps repository; `yaml` is used only to find the line of a field when a problem is
 * reported (locateFields).
 *
 * @public
 */
export function parseYamlDocuments(
  content: string | Buffer,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): YamlParseResult {
  return runToCompletion(parseYamlDocumentsInSteps(content, limits));
}

/** Thrown from js-yaml's listener to stop parsing a document that is over its value budget. */
class DocumentTooLarge extends Error {}

/**
 * parseYamlDocuments in steps of one document: it yields after each document is parsed and
 * after each is checked, so that the backend can pause between documents (see EventLoopSlicer).
 *
 * @internal
 */
export function* parseYamlDocumentsInSteps(
  content: string | Buffer,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): Steps<YamlParseResult> {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > limits.maxFileBytes) {
    return {
      ok: false,
      message: `file is ${size} bytes, over the ${limits.maxFileBytes}-byte limit for one YAML file; split it into several files`,
    };
  }
  const text = typeof content === 'string' ? content : content.toString('utf8');
  const tooLarge = (index: number) =>
    `document ${index + 1} expands to more than ${limits.maxNodesPerDocument} values (YAML aliases?); refusing it`;
  const documents: ParsedYamlDocument[] = [];
  let documentCount = 0;
  for (const segment of documentSegments(text)) {
    // Every key and every value is a node to js-yaml, so a document over 2 * budget nodes is
    // over budget in values too: stop there rather than build it.
    let depth = 0;
    let nodes = 0;
    let roots = 0;
    const listener = (event: 'open' | 'close') => {
      if (event === 'close') {
        depth -= 1;
        return;
      }
      if (depth === 0) {
        roots += 1;
        nodes = 0;
      }
      depth += 1;
      nodes += 1;
      if (nodes > 2 * limits.maxNodesPerDocument + 1) throw new DocumentTooLarge();
    };
    let values: unknown[];
    try {
      values = yaml.loadAll(segment.text, undefined, { schema: KUBERNETES_YAML_SCHEMA, listener });
    } catch (error) {
      if (error instanceof DocumentTooLarge) {
        return { ok: false, message: tooLarge(documentCount + Math.max(roots - 1, 0)) };
      }
      if (error instanceof yaml.YAMLException) {
        return {
          ok: false,
          message: `invalid YAML: ${error.reason}`,
          line: error.mark ? segment.firstLine + error.mark.line : undefined,
        };
      }
      throw error;
    }
    yield;
    for (const value of values) {
      const index = documentCount;
      documentCount += 1;
      if (value === null || value === undefined) {
        continue; // an empty document, e.g. a trailing '---'
      }
      if (!withinNodeBudget(value, limits.maxNodesPerDocument)) {
        return { ok: false, message: tooLarge(index) };
      }
      documents.push({ index, value });
    }
    yield;
  }
  return { ok: true, documents };
}

/**
 * Cuts a file into pieces that each start at a document start marker (`---` at the start of a
 * line), so that a file of many documents is parsed one document at a time. YAML ends any
 * scalar or collection at such a line, so the pieces hold the same documents as the whole file
 * (the fuzz suite checks this against parsing the whole file). Directives (`%YAML`) belong to
 * the next document and are rare in Kubernetes YAML: a file with one is parsed whole.
 */
function* documentSegments(text: string): Generator<{ text: string; firstLine: number }> {
  if (/^%/m.test(text)) {
    yield { text, firstLine: 1 };
    return;
  }
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let firstLine = 1;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    if (match.index === 0) continue;
    const piece = text.slice(start, match.index);
    // Blank lines and comments before the first marker are no document in the whole file, but
    // alone js-yaml reads them as an empty one when they end in CRLF.
    if (start > 0 || !isBlankOrComments(piece)) yield { text: piece, firstLine };
    firstLine += countLines(piece);
    start = match.index;
  }
  yield { text: text.slice(start), firstLine };
}

function isBlankOrComments(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .every(line => /^[ \t]*(?:#.*)?$/.test(line));
}

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines += 1;
  return lines;
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
