import { CST, Lexer, LineCounter, Parser } from 'yaml';
import { Steps } from '../async/cooperative';

/** A field to find: a path of keys and indexes in one document of a file. @internal */
export interface FieldLocation {
  /** 0-based position of the document in a multi-document file. */
  documentIndex: number;
  path: ReadonlyArray<string | number>;
}

/** How many lexical tokens are read between two points where the work may be paused. */
const TOKENS_PER_STEP = 2048;

/**
 * The 1-based lines of several fields of one file, each the line of the field or of its
 * closest existing parent (undefined when the document does not exist). The file is read once
 * whatever the number of fields, with `yaml`'s lexer and concrete syntax tree parser (no
 * document composition, whose cost grows faster than the file) and only up to the last
 * document asked for; positions come from one line index. The work yields every few thousand
 * tokens (see cooperative.ts).
 *
 * @internal
 */
export function* locateFieldsInSteps(
  text: string,
  fields: readonly FieldLocation[],
): Steps<Array<number | undefined>> {
  const lines: Array<number | undefined> = fields.map(() => undefined);
  if (fields.length === 0) return lines;
  const fieldsByDocument = Map.groupBy(fields.keys(), i => fields[i].documentIndex);
  const lastDocument = fields.reduce((last, field) => Math.max(last, field.documentIndex), 0);
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // Parser.parse would do this; the lexemes are fed one by one here
  const lexer = new Lexer();
  let documentIndex = -1;
  let tokens = 0;
  const onToken = (token: CST.Token) => {
    if (token.type !== 'document') return;
    documentIndex += 1;
    for (const i of fieldsByDocument.get(documentIndex) ?? []) {
      const offset = offsetOfField(token, fields[i].path);
      lines[i] = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    }
  };
  try {
    for (const lexeme of lexer.lex(text)) {
      for (const token of parser.next(lexeme)) onToken(token);
      if (documentIndex >= lastDocument) return lines;
      tokens += 1;
      if (tokens % TOKENS_PER_STEP === 0) yield;
    }
    for (const token of parser.end()) onToken(token);
  } catch {
    // Locating is best effort: a problem without a line is still reported.
  }
  return lines;
}

/** The offset of the key (in a mapping) or item (in a sequence) that `path` leads to. */
function offsetOfField(document: CST.Document, path: ReadonlyArray<string | number>): number | undefined {
  let node: CST.Token | undefined = document.value;
  let offset: number | undefined = node ? node.offset : document.offset;
  for (const segment of path) {
    if (!node) break;
    let item: CST.CollectionItem | undefined;
    let itemOffset: number | undefined;
    if (isMapping(node)) {
      item = node.items.find(entry => entry.key && keyOf(entry.key) === String(segment));
      itemOffset = item?.key?.offset;
    } else if (isSequence(node) && typeof segment === 'number') {
      item = node.items[segment];
      itemOffset = item?.value?.offset ?? item?.start.find(t => t.type === 'seq-item-ind')?.offset;
    }
    if (!item || itemOffset === undefined) break;
    offset = itemOffset;
    node = item.value;
  }
  return offset;
}

function isMapping(node: CST.Token): node is CST.BlockMap | CST.FlowCollection {
  return node.type === 'block-map' || (node.type === 'flow-collection' && node.start.source === '{');
}

function isSequence(node: CST.Token): node is CST.BlockSequence | CST.FlowCollection {
  return node.type === 'block-seq' || (node.type === 'flow-collection' && node.start.source === '[');
}

function keyOf(key: CST.Token): string | undefined {
  switch (key.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'block-scalar':
      return CST.resolveAsScalar(key)?.value;
    default:
      return undefined;
  }
}
