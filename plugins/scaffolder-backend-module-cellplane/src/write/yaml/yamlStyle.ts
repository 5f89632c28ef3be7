import { CST, Parser } from 'yaml';
import type { ToStringOptions } from 'yaml';

/**
 * How YAML Cellplane writes into a file someone else wrote should look: like the rest of it.
 * No line folding (a long image reference or command stays on one line, as kubectl writes it),
 * and the indentation, sequence indentation, flow padding and quotes the document already uses.
 */
export const DEFAULT_YAML_STYLE: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: true,
};

/** The style of the documents in `text`, read from its concrete syntax tree; the default where it says nothing. */
export function yamlStyleOf(text: string): ToStringOptions {
  const found: { indent?: number; indentSeq?: boolean; flowCollectionPadding?: boolean } = {};
  const quoted = { single: 0, double: 0 };
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    visitItems(token, (item, path) => {
      const parent = CST.visit.parentCollection(token, path);
      const value = item.value;
      if (value?.type === 'block-map' && parent.type === 'block-map' && found.indent === undefined) {
        const step = value.indent - parent.indent;
        if (step >= 1 && step <= 8) found.indent = step;
      }
      if (value?.type === 'block-seq' && parent.type === 'block-map' && found.indentSeq === undefined) {
        // `key:\n- a` puts the dash at the key's column; `key:\n  - a` indents it
        found.indentSeq = value.indent > parent.indent;
      }
      if (value?.type === 'flow-collection' && value.items.length > 0 && found.flowCollectionPadding === undefined) {
        found.flowCollectionPadding = value.items[0].start.some(source => source.type === 'space');
      }
      for (const node of [item.key, item.value]) {
        if (node?.type === 'single-quoted-scalar') quoted.single += 1;
        if (node?.type === 'double-quoted-scalar') quoted.double += 1;
      }
    });
  }
  return {
    ...DEFAULT_YAML_STYLE,
    ...found,
    ...(quoted.single > quoted.double ? { singleQuote: true } : {}),
  };
}

/** CST.visit, best effort: the style is a preference, and a tree it cannot walk has the default one. */
function visitItems(document: CST.Document, visitor: (item: CST.CollectionItem, path: CST.VisitPath) => void): void {
  try {
    CST.visit(document, (item, path) => {
      // the document itself comes first, with no parent collection
      if (path.length > 0) visitor(item, path);
    });
  } catch {
    // keep what was found so far
  }
}
