import type { RenderedObject } from './template/types';

/**
 * Byte-stable YAML for rendered manifests: Kubernetes' customary keys first (apiVersion, kind,
 * metadata, name, namespace, ...), the rest alphabetical at every level; objects of a file in a
 * fixed order. The same objects always give the same bytes, whatever order the templates
 * produced their keys in.
 *
 * A small emitter of its own rather than js-yaml's `dump`: rendered objects are plain JSON
 * data, and for 100,000+ objects a render spent most of its time in `dump`. It quotes
 * conservatively, for YAML 1.1 readers too (Go's yaml.v2 reads `on`, `yes` and `12:30` as
 * non-strings): any string that could read as another type, or starts with a digit, is quoted;
 * multi-line strings become literal blocks when that is exact, JSON-quoted otherwise. Tests
 * check that js-yaml parses every file back to the same objects.
 */

const FIRST = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec'];
const RANK = new Map(FIRST.map((key, index) => [key, index]));
/** Code-unit order: the same on every machine and locale (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const compareKeys = (a: string, b: string) =>
  (RANK.get(a) ?? FIRST.length) - (RANK.get(b) ?? FIRST.length) || compareText(a, b);

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_ ./:=@+,;()$%&*-]*$/;
const AMBIGUOUS = /^(y|yes|n|no|true|false|on|off|null)$/i;
// Control characters cannot appear in a literal block; such text is JSON-quoted instead.
// eslint-disable-next-line no-control-regex
const LITERAL_LINE = /^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff]*$/;

function quoteString(value: string, contentIndent: string | undefined): string {
  if (value === '') return "''";
  if (PLAIN.test(value) && !AMBIGUOUS.test(value) && !value.includes(': ') && !value.includes(' #') && !/[ :]$/.test(value)) {
    return value;
  }
  if (value.includes('\n')) {
    if (contentIndent === undefined) return JSON.stringify(value); // a key
    const body = value.endsWith('\n') ? value.slice(0, -1) : value;
    const lines = body.split('\n');
    if (!body.endsWith('\n') && /^\S/.test(body) && lines.every(line => LITERAL_LINE.test(line) && !/\s$/.test(line))) {
      return `${value.endsWith('\n') ? '|' : '|-'}\n${lines.map(line => (line ? contentIndent + line : '')).join('\n')}`;
    }
    return JSON.stringify(value);
  }
  // eslint-disable-next-line no-control-regex
  if (/^[^\u0000-\u001f\u007f-\u009f\ufeff]*$/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

/**
 * Short single-line strings (label values, names, keys) repeat across thousands of objects and
 * quote the same way wherever they appear; remembering them saves most of the regex work.
 */
const quoted = new Map<string, string>();
function quoteCached(value: string, contentIndent: string | undefined): string {
  if (value.length > 80 || value.includes('\n')) return quoteString(value, contentIndent);
  let result = quoted.get(value);
  if (result === undefined) {
    if (quoted.size > 50_000) quoted.clear();
    result = quoteString(value, undefined);
    quoted.set(value, result);
  }
  return result;
}

function scalar(value: unknown, contentIndent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quoteCached(value, contentIndent);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return '[]';
  return '{}';
}

const isBlock = (value: unknown): value is Record<string, unknown> | unknown[] =>
  value !== null &&
  typeof value === 'object' &&
  (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);

/**
 * The emitter appends to one string as it walks (no nested strings to re-copy). `first` is what
 * the first line of a block starts with instead of its indent: a sequence item's `- `.
 */
let out = '';

/** What follows `key:` — a scalar on the same line, or a nested block on the next lines. */
function writeNode(value: unknown, indent: string): void {
  if (!isBlock(value)) {
    out += ` ${scalar(value, `${indent}  `)}\n`;
    return;
  }
  out += '\n';
  const inner = `${indent}  `;
  if (Array.isArray(value)) writeSequence(value, inner, inner);
  else writeMapping(value, inner, inner);
}

function writeMapping(object: Record<string, unknown>, indent: string, first: string): void {
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort(compareKeys);
  let prefix = first;
  for (const key of keys) {
    const value = object[key];
    if (value === undefined) continue;
    out += `${prefix}${quoteCached(key, undefined)}:`;
    prefix = indent;
    writeNode(value, indent);
  }
  if (prefix !== indent) out += prefix; // nothing written: a sequence item keeps its `- `
}

function writeSequence(list: unknown[], indent: string, first: string): void {
  const inner = `${indent}  `;
  let prefix = first;
  for (const item of list) {
    const dash = `${prefix}- `;
    prefix = indent;
    if (!isBlock(item)) out += `${dash}${scalar(item, inner)}\n`;
    else if (Array.isArray(item)) writeSequence(item, inner, dash);
    else writeMapping(item, inner, dash);
  }
}

/** One object as a YAML document body (no `---`). */
export function toYaml(object: Record<string, unknown>): string {
  out = '';
  writeMapping(object, '', '');
  const text = out;
  out = '';
  return text;
}

/** Namespaces first (they must exist before what lives in them), then by kind, apiVersion, name. */
export function compareObjects(a: RenderedObject, b: RenderedObject): number {
  const first = (o: RenderedObject) => (o.kind === 'Namespace' ? 0 : 1);
  const key = (o: RenderedObject) => `${o.kind}\u0000${o.apiVersion}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
  return first(a) - first(b) || compareText(key(a), key(b));
}

/** A multi-document YAML file: a comment header, then the objects in `compareObjects` order. */
export function manifestFile(header: string[], objects: RenderedObject[]): string {
  const documents = [...objects].sort(compareObjects).map(object => toYaml(object));
  return `${header.map(line => `# ${line}\n`).join('')}${documents.map(doc => `---\n${doc}`).join('')}`;
}
