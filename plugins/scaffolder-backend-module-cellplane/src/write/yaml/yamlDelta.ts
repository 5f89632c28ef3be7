import { Document, isAlias, isCollection, isScalar, isSeq, Scalar, visit } from 'yaml';
import type { Node } from 'yaml';
import { canonicalJson, kubernetesReadsPlainAsString } from '@cellplane/backstage-plugin-node';

/** The quotes a file prefers (see yamlStyleOf), for the strings an edit must quote. */
export type Quotes = 'single' | 'double';

/** A path of keys and indexes from a document's root. */
export type ValuePath = ReadonlyArray<string | number>;

/**
 * One step of a change to a document: the smallest edits that turn what a writer read into
 * what it wants, so that everything else in the document (comments, key order, quoting) stays.
 */
export type DeltaStep =
  | { op: 'set'; path: ValuePath; value: unknown }
  /** A new value for a scalar that stays a scalar of the same type: its node (style, comments) is kept. */
  | { op: 'scalar'; path: ValuePath; value: string | number | boolean }
  | { op: 'delete'; path: ValuePath }
  | { op: 'insert'; path: ValuePath; index: number; value: unknown };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
const defined = (object: JsonObject) => Object.keys(object).filter(key => object[key] !== undefined);

/**
 * The steps that apply a writer's change (`from`, what it read, to `to`, what it wants) to a
 * document that currently holds `current`. Three values rather than two: the document may say
 * more than the writer read (a field the model does not know), and only what the writer changed
 * is touched. A field the writer did not change keeps whatever the document says.
 */
export function planDelta(current: unknown, from: unknown, to: unknown, path: ValuePath = [], steps: DeltaStep[] = []): DeltaStep[] {
  if (same(from, to)) return steps;
  if (isObject(current) && isObject(from) && isObject(to)) {
    for (const key of defined(from)) {
      if (to[key] === undefined && current[key] !== undefined) steps.push({ op: 'delete', path: [...path, key] });
    }
    for (const key of defined(to)) {
      if (current[key] === undefined) steps.push({ op: 'set', path: [...path, key], value: to[key] });
      else planDelta(current[key], from[key], to[key], [...path, key], steps);
    }
    return steps;
  }
  if (Array.isArray(current) && Array.isArray(from) && Array.isArray(to) && same(current, from)) {
    planSequenceDelta(from, to, path, steps);
    return steps;
  }
  const scalar = typeof to === 'string' || typeof to === 'number' || typeof to === 'boolean';
  if (scalar && typeof current === typeof to) steps.push({ op: 'scalar', path, value: to });
  else steps.push({ op: 'set', path, value: to });
  return steps;
}

/**
 * A sequence's change as item edits: items left out are deleted and items added are inserted
 * where they go, so that the other items keep their comments; otherwise item by item.
 */
function planSequenceDelta(from: unknown[], to: unknown[], path: ValuePath, steps: DeltaStep[]): void {
  const kept = subsequenceIndexes(to, from);
  if (kept) {
    // `to` is `from` with some items left out: delete those, last first so indexes hold.
    for (let index = from.length - 1; index >= 0; index -= 1) {
      if (!kept.has(index)) steps.push({ op: 'delete', path: [...path, index] });
    }
    return;
  }
  const existing = subsequenceIndexes(from, to);
  if (existing) {
    // `to` is `from` with items added: insert each at its place in the final sequence.
    to.forEach((value, index) => {
      if (!existing.has(index)) steps.push({ op: 'insert', path, index, value });
    });
    return;
  }
  const common = Math.min(from.length, to.length);
  for (let index = 0; index < common; index += 1) planDelta(from[index], from[index], to[index], [...path, index], steps);
  for (let index = common; index < to.length; index += 1) steps.push({ op: 'insert', path, index, value: to[index] });
  for (let index = from.length - 1; index >= to.length; index -= 1) steps.push({ op: 'delete', path: [...path, index] });
}

/**
 * When `short` is `long` with some items left out (in order), the indexes of `long` that
 * `short` keeps; undefined otherwise (or when nothing is left out).
 */
function subsequenceIndexes(short: unknown[], long: unknown[]): Set<number> | undefined {
  if (short.length >= long.length) return undefined;
  const kept = new Set<number>();
  let next = 0;
  for (let index = 0; index < long.length && next < short.length; index += 1) {
    if (same(long[index], short[next])) {
      kept.add(index);
      next += 1;
    }
  }
  return next === short.length ? kept : undefined;
}

/**
 * A deep copy that shares nothing. The loader reads a YAML alias as the very object of its
 * anchor (and structuredClone keeps that sharing), while an edit through an alias changes one
 * place only (see applyDeltaToDocument).
 */
export function copyTree<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyTree) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, copyTree(member)])) as T;
  }
  return value;
}

/** The plain value `steps` lead to from `current`: what the edited document must read as. */
export function applyDeltaToValue(current: unknown, steps: ReadonlyArray<DeltaStep>): unknown {
  const root = { value: copyTree(current) };
  for (const step of steps) {
    const path: ValuePath = ['value', ...step.path];
    const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], root);
    const last = path[path.length - 1];
    switch (step.op) {
      case 'set':
      case 'scalar':
        parent[last] = copyTree(step.value);
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
        break;
      case 'insert':
        (parent[last] as unknown[]).splice(step.index, 0, copyTree(step.value));
        break;
      default:
    }
  }
  return root.value;
}

/**
 * Applies `steps` to a parsed document with yaml's Document API. Untouched nodes keep their
 * comments and style; a scalar that changes keeps its node (its quoting and trailing comment);
 * a key added to a mapping goes after the existing ones. An alias on the way to an edit is
 * replaced by a copy of what it points to, so that the edit changes this place only and not
 * every place that shares the anchor.
 */
export function applyDeltaToDocument(document: Document, steps: ReadonlyArray<DeltaStep>, quotes: Quotes = 'double'): void {
  for (const step of steps) {
    const parentPath = step.op === 'insert' ? step.path : step.path.slice(0, -1);
    ownCollectionsAlong(document, parentPath);
    switch (step.op) {
      case 'scalar': {
        const node = document.getIn(step.path, true);
        if (isScalar(node)) {
          node.value = step.value;
          quoteWhereKubernetesReadsOtherwise(node, quotes);
        } else document.setIn(step.path, newNode(document, step.value, quotes));
        break;
      }
      case 'set':
        document.setIn(step.path, newNode(document, step.value, quotes));
        break;
      case 'delete':
        document.deleteIn(step.path);
        break;
      case 'insert': {
        const sequence = step.path.length === 0 ? document.contents : document.getIn(step.path, true);
        if (!isSeq(sequence)) throw new Error(`expected a sequence at ${step.path.join('.')}`);
        sequence.items.splice(step.index, 0, newNode(document, step.value, quotes));
        break;
      }
      default:
    }
  }
}

/** A node for a value the edit writes, its strings quoted where Kubernetes would read them otherwise. */
function newNode(document: Document, value: unknown, quotes: Quotes): Node {
  const node = document.createNode(value);
  quoteStringsWhereKubernetesReadsOtherwise(node, quotes);
  return node;
}

/**
 * Quotes each string scalar of a new node (keys too) whose plain form Kubernetes reads as
 * something else. The `yaml` library quotes by YAML 1.2, where `y`, `on` and `1_000` are
 * strings; kubectl, Argo CD, Flux and Cellplane's own loader read YAML 1.1, where they are not.
 * Only what the edit writes is visited: a plain `yes` already in the file means `true` there.
 */
export function quoteStringsWhereKubernetesReadsOtherwise(node: unknown, quotes: Quotes): void {
  visit(node as Node, { Scalar: (_key, scalar) => quoteWhereKubernetesReadsOtherwise(scalar, quotes) });
}

function quoteWhereKubernetesReadsOtherwise(scalar: Scalar, quotes: Quotes): void {
  const plain = scalar.type === undefined || scalar.type === Scalar.PLAIN;
  if (plain && typeof scalar.value === 'string' && !kubernetesReadsPlainAsString(scalar.value)) {
    scalar.type = quotes === 'single' ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
  }
}

/** Replaces each alias along `path` (from the root) with a copy of the node it names. */
function ownCollectionsAlong(document: Document, path: ValuePath): void {
  let node: unknown = document.contents;
  for (const key of path) {
    if (!isCollection(node)) return;
    let child = node.get(key, true) as Node | undefined;
    if (isAlias(child)) {
      const target = child.resolve(document);
      if (!target) return;
      const copy = target.clone() as Node & { anchor?: string };
      delete copy.anchor;
      node.set(key, copy);
      child = copy;
    }
    node = child;
  }
}
