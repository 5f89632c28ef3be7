import { InputError } from '@backstage/errors';
import { Document, parseDocument, Parser } from 'yaml';
import type { ToStringOptions } from 'yaml';
import { canonicalJson } from '@cellplane/backstage-plugin-node';
import { parseYamlDocuments } from '@cellplane/backstage-plugin-node';
import { applyDeltaToDocument, applyDeltaToValue, copyTree, DeltaStep, planDelta, quoteStringsWhereKubernetesReadsOtherwise } from './yamlDelta';
import { DEFAULT_YAML_STYLE, yamlStyleOf } from './yamlStyle';

/** Which resource a document holds: its kind, name and (when it says) namespace. @public */
export interface YamlDocumentIdentity {
  kind: string;
  name: string;
  namespace?: string;
}

/** A run of the file's bytes: one document (from its `---`, if any, to the next), or what lies between documents. */
interface Part {
  text: string;
  isDocument: boolean;
}

const PARSE_OPTIONS = { version: '1.2', merge: true, uniqueKeys: true, prettyErrors: false } as const;

/**
 * A YAML file of one or more documents (`---`), edited a document at a time with the `yaml`
 * library's Document API, as OpenChoreo users keep them: a Component with its Workload in one
 * file, say, with comments.
 *
 * The file is cut into its documents along its concrete syntax tree. An edit re-parses the one
 * document it changes, applies the smallest changes (see planDelta) with the Document API, and
 * writes back only that document's content node; every other document, the `---` lines and
 * the comments around the edited content keep their bytes. Inside the edited document, comments,
 * key order and quoting stay; new keys come after the existing ones.
 *
 * After each edit the whole file is read again with the loader's own parser
 * (parseYamlDocuments), and the edit is refused unless every document reads as intended: an
 * edit never changes what another document says, nor writes what the loader would read
 * differently.
 *
 * @public
 */
export class YamlDocumentsFile {
  private readonly original: string;

  private constructor(
    /** The repository path, for messages. */
    readonly path: string,
    private readonly parts: Part[],
    /** What each document reads as (null for an empty one), in file order. */
    private readonly values: unknown[],
  ) {
    this.original = this.text;
  }

  /**
   * Reads a file (undefined or empty for a file that does not exist yet). Throws InputError
   * naming the file when it does not read as YAML, or uses directives (`%YAML`, `%TAG`), which
   * a single document cannot be edited without.
   */
  static parse(path: string, content: string | Buffer | undefined): YamlDocumentsFile {
    const text = content === undefined ? '' : content.toString();
    const loaded = parseYamlDocuments(text);
    if (!loaded.ok) {
      throw new InputError(
        `${path}${loaded.line ? ` (line ${loaded.line})` : ''}: ${loaded.message}; Cellplane changes a file only when it reads as YAML`,
      );
    }
    const parts = splitDocuments(path, text);
    const values: unknown[] = parts.filter(part => part.isDocument).map(() => null);
    for (const { index, value } of loaded.documents) {
      if (index >= values.length) {
        throw new InputError(`${path}: its documents could not be told apart for editing; split it into one file per resource`);
      }
      values[index] = value;
    }
    return new YamlDocumentsFile(path, parts, values);
  }

  /** The file as it is now. */
  get text(): string {
    return this.parts.map(part => part.text).join('');
  }

  /** Whether an edit changed the file. */
  get changed(): boolean {
    return this.text !== this.original;
  }

  /** Whether no document holds anything (a file to delete rather than write). */
  get empty(): boolean {
    return this.values.every(value => value === null || value === undefined);
  }

  /** The number of documents, empty ones included (their positions are the loader's documentIndex). */
  get documentCount(): number {
    return this.values.length;
  }

  /** What the document at `index` reads as. */
  valueAt(index: number): unknown {
    return this.values[index];
  }

  /**
   * The position of the document that holds a resource: `hint` (the loader's documentIndex)
   * when that document is the one, else the first that is; undefined when none is.
   */
  indexOf(identity: YamlDocumentIdentity, hint?: number): number | undefined {
    const holds = (value: unknown) => {
      const resource = value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
      const namespace = resource?.metadata?.namespace;
      return (
        resource?.kind === identity.kind &&
        resource.metadata?.name === identity.name &&
        (identity.namespace === undefined || namespace === undefined || namespace === identity.namespace)
      );
    };
    if (hint !== undefined && holds(this.values[hint])) return hint;
    const index = this.values.findIndex(holds);
    return index >= 0 ? index : undefined;
  }

  /**
   * Changes the document at `index` the way `from` (what the writer read) changed into `to`
   * (what it wants); what the writer did not change stays as the document says it.
   */
  update(index: number, from: unknown, to: unknown): void {
    const current = this.values[index];
    if (current === null || current === undefined) throw new InputError(`${this.path}: document ${index + 1} is empty`);
    const steps = planDelta(current, from, to);
    if (steps.length === 0) return;
    const part = this.documentPart(index);
    const before = part.text;
    part.text = editedDocumentText(this.path, before, steps);
    const previous = this.values[index];
    this.values[index] = applyDeltaToValue(current, steps);
    this.verify(() => {
      part.text = before;
      this.values[index] = previous;
    });
  }

  /** Adds a document at the end of the file, written in the style of the file's documents. */
  append(value: unknown): void {
    const documents = this.parts.filter(part => part.isDocument);
    const text = this.text;
    const style = documents.length > 0 ? yamlStyleOf(text) : DEFAULT_YAML_STYLE;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    let separator = '';
    if (documents.length > 0) {
      if (text.length > 0 && !text.endsWith('\n')) separator += eol;
      // OpenChoreo's samples set `---` between blank lines; follow the file.
      const spaced = documents.slice(1).some(part => /^---[ \t]*\r?\n[ \t]*\r?\n/.test(part.text));
      separator += `${spaced ? eol : ''}---${eol}${spaced ? eol : ''}`;
    }
    const document = new Document(value);
    quoteStringsWhereKubernetesReadsOtherwise(document.contents, style.singleQuote ? 'single' : 'double');
    const body = writeYaml(document, style).replace(/\n/g, eol);
    this.parts.push({ text: separator + body, isDocument: true });
    this.values.push(copyTree(value));
    this.verify(() => {
      this.parts.pop();
      this.values.pop();
    });
  }

  /** Removes the document at `index`, and only it: the other documents and the comments between them stay. */
  remove(index: number): void {
    const position = this.partPosition(index);
    const [removed] = this.parts.splice(position, 1);
    const [value] = this.values.splice(index, 1);
    this.verify(() => {
      this.parts.splice(position, 0, removed);
      this.values.splice(index, 0, value);
    });
  }

  private partPosition(index: number): number {
    let seen = -1;
    const position = this.parts.findIndex(part => part.isDocument && ++seen === index);
    if (position < 0) throw new InputError(`${this.path} has no document ${index + 1}`);
    return position;
  }

  private documentPart(index: number): Part {
    return this.parts[this.partPosition(index)];
  }

  /** Reads the file back as the loader will; undoes the edit and refuses it when any document reads otherwise. */
  private verify(undo: () => void): void {
    const loaded = parseYamlDocuments(this.text);
    const readBack = loaded.ok ? new Map(loaded.documents.map(d => [d.index, d.value])) : undefined;
    const faithful =
      readBack !== undefined &&
      [...readBack.keys()].every(index => index < this.values.length) &&
      this.values.every((expected, index) => canonicalJson(readBack.get(index) ?? null) === canonicalJson(expected ?? null));
    if (!faithful) {
      undo();
      throw new InputError(
        `${this.path}: Cellplane could not change this file in place without changing what it says elsewhere (YAML anchors, merge keys or an unusual layout?); change it by hand, or move the resource to a file of its own`,
      );
    }
  }
}

/**
 * The file's runs of bytes, each document apart, from the parser's tokens (which cover every
 * byte). Throws InputError for a file with directives, which belong to the documents after them.
 */
function splitDocuments(path: string, text: string): Part[] {
  const parts: Part[] = [];
  const tokens = [...new Parser().parse(text)];
  tokens.forEach((token, i) => {
    if (token.type === 'directive') {
      throw new InputError(`${path} uses YAML directives (%YAML, %TAG), which Cellplane does not edit; remove them or move the resource to a file of its own`);
    }
    const start = i === 0 ? 0 : token.offset;
    const end = i + 1 < tokens.length ? tokens[i + 1].offset : text.length;
    const piece = text.slice(start, end);
    const last = parts[parts.length - 1];
    if (token.type === 'document') parts.push({ text: piece, isDocument: true });
    else if (last && !last.isDocument) last.text += piece;
    else parts.push({ text: piece, isDocument: false });
  });
  if (parts.map(part => part.text).join('') !== text) {
    throw new InputError(`${path}: its documents could not be told apart for editing; split it into one file per resource`);
  }
  return parts;
}

/**
 * One document's text with `steps` applied. Only the document's content node is written
 * again (in the document's own style); the `---` line, the comments and blank lines before the
 * content and what follows it keep their bytes, and so do the line endings.
 */
function editedDocumentText(path: string, text: string, steps: ReadonlyArray<DeltaStep>): string {
  const document = parseDocument(text, PARSE_OPTIONS);
  const range = document.contents?.range;
  if (document.errors.length > 0 || !document.contents || !range) {
    throw new InputError(`${path}: a document does not read as YAML: ${document.errors[0]?.message ?? 'it is empty'}`);
  }
  const [start, , end] = range;
  const style = yamlStyleOf(text);
  try {
    applyDeltaToDocument(document, steps, style.singleQuote ? 'single' : 'double');
  } catch (error) {
    throw new InputError(`${path}: Cellplane could not change this document in place (${(error as Error).message}); change it by hand, or move the resource to a file of its own`);
  }
  // What lies before and after the content node is kept as it is, so nothing there is written again.
  const contents = document.contents;
  contents.commentBefore = null;
  contents.spaceBefore = false;
  document.commentBefore = null;
  document.comment = null;
  if (document.directives) document.directives.docStart = null;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const trailing = /\s*$/.exec(text.slice(start, end))![0];
  const written = writeYaml(document, style).replace(/\s+$/, '').replace(/\r?\n/g, eol) + trailing;
  return text.slice(0, start) + written + text.slice(end);
}

function writeYaml(document: Document, style: ToStringOptions): string {
  return document.toString(style);
}
