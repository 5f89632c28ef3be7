import { compileExpression, fromCel, interpolationText, OMIT, toCel } from './cel';

/**
 * OpenChoreo's template walk (`internal/template/engine.go`): `${...}` as the whole value keeps
 * the expression's type, inside a longer string it is interpolated; map keys are templated too;
 * `oc_omit()` drops the field or item holding it. Templates are compiled once per template
 * object (by identity) into closures, so rendering 10,000 components with one ComponentType
 * scans its strings once.
 */

/** A render failure naming where in the template and which expression. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly expression?: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** The variables of one render (CEL values: whole numbers are bigint). */
export type TemplateContext = Record<string, unknown>;

type Renderer = (context: TemplateContext) => unknown;

interface Span {
  start: number;
  end: number; // index after the closing brace
  expression: string;
}

/**
 * Finds `${...}` spans, counting braces outside quotes (so map literals work) — `findCELSpans`.
 * An unclosed `${` leaves the rest literal; a `${` nested outside quotes is an error.
 */
export function findExpressionSpans(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${', from);
    if (start < 0) return spans;
    let depth = 1;
    let i = start + 2;
    let quote: string | undefined;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '$' && text[i + 1] === '{') {
        throw new Error(`nested CEL expressions must be quoted: ${text.slice(start, Math.min(text.length, i + 20))}`);
      } else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth > 0) return spans;
    spans.push({ start, end: i, expression: text.slice(start + 2, i - 1) });
    from = i;
  }
}

function evaluate(expression: string, context: TemplateContext, path: string): unknown {
  let compiled;
  try {
    compiled = compileExpression(expression);
  } catch (error) {
    throw new TemplateError(`${path}: invalid expression \${${expression}}: ${firstLine(error)}`, path, expression);
  }
  try {
    return compiled(context);
  } catch (error) {
    throw new TemplateError(`${path}: \${${expression}} failed: ${firstLine(error)}`, path, expression);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/** Compiles a template string: constant, whole-value expression or interpolation. */
function compileString(text: string, path: string): Renderer {
  let spans: Span[];
  try {
    spans = findExpressionSpans(text);
  } catch (error) {
    throw new TemplateError(`${path}: ${firstLine(error)}`, path);
  }
  if (spans.length === 0) return () => text;
  const trimmed = text.trim();
  if (spans.length === 1 && spans[0].end - spans[0].start === trimmed.length && text.slice(spans[0].start, spans[0].end) === trimmed) {
    const expression = spans[0].expression;
    // Fail early on syntax errors: compile now, report when rendered (with the path).
    return context => fromCel(evaluate(expression, context, path));
  }
  const literals: string[] = [];
  let last = 0;
  for (const span of spans) {
    literals.push(text.slice(last, span.start));
    last = span.end;
  }
  const tail = text.slice(last);
  return context => {
    let out = '';
    for (let i = 0; i < spans.length; i++) {
      out += literals[i] + interpolationText(evaluate(spans[i].expression, context, path));
    }
    return out + tail;
  };
}

function compileNode(node: unknown, path: string): Renderer {
  if (typeof node === 'string') return compileString(node, path);
  if (Array.isArray(node)) {
    const items = node.map((item, index) => compileNode(item, `${path}[${index}]`));
    return context => {
      const out: unknown[] = [];
      for (const item of items) {
        const value = item(context);
        if (value !== OMIT) out.push(value);
      }
      return out;
    };
  }
  if (node && typeof node === 'object') {
    const entries = Object.keys(node).map(key => {
      const childPath = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      const keyRenderer = key.includes('${') ? compileString(key, `${path} key ${JSON.stringify(key)}`) : undefined;
      return { key, keyRenderer, value: compileNode((node as Record<string, unknown>)[key], childPath) };
    });
    return context => {
      const out: Record<string, unknown> = {};
      for (const entry of entries) {
        let key = entry.key;
        if (entry.keyRenderer) {
          const rendered = entry.keyRenderer(context);
          if (typeof rendered !== 'string') {
            throw new TemplateError(
              `${path}: dynamic map key '${entry.key}' must evaluate to a string, got ${typeof rendered}`,
              path,
              entry.key,
            );
          }
          key = rendered;
        }
        const value = entry.value(context);
        if (value !== OMIT) out[key] = value;
      }
      return out;
    };
  }
  // Numbers, booleans and null pass through (copied by value).
  return () => node;
}

const cache = new WeakMap<object, Map<string, Renderer>>();

/**
 * Renders a template value against a context. `path` names the template in messages
 * (e.g. `spec.resources[1].template`); compiled renderers are cached per (object, path).
 */
export function renderTemplate(template: unknown, context: TemplateContext, path: string): unknown {
  if (template === null || typeof template !== 'object') {
    return compileNode(template, path)(context);
  }
  let byPath = cache.get(template);
  if (!byPath) {
    byPath = new Map();
    cache.set(template, byPath);
  }
  let renderer = byPath.get(path);
  if (!renderer) {
    renderer = compileNode(template, path);
    byPath.set(path, renderer);
  }
  return renderer(context);
}

const stringCache = new Map<string, Renderer>();

/** Renders one templated string (rules, conditions, patch paths), cached per (text, path). */
export function renderString(text: string, context: TemplateContext, path: string): unknown {
  const key = `${path}\u0000${text}`;
  let renderer = stringCache.get(key);
  if (!renderer) {
    renderer = compileString(text, path);
    stringCache.set(key, renderer);
  }
  return renderer(context);
}

/** Evaluates a `${...}` condition that must be a boolean (`includeWhen`, `where`, rules). */
export function renderCondition(text: string, context: TemplateContext, path: string, what: string): boolean {
  const value = renderString(text, context, path);
  if (typeof value !== 'boolean') {
    throw new TemplateError(`${path}: ${what} must evaluate to boolean, got ${describe(value)}`, path, stripBraces(text));
  }
  return value;
}

/** Max items per `forEach` and per render, as OpenChoreo limits them. */
export const MAX_FOREACH_ITEMS = 100;

/** Evaluates `forEach`: a list gives its items, a map `{key, value}` items sorted by key. */
export function renderForEach(text: string, context: TemplateContext, path: string): unknown[] {
  const value = renderString(text, context, path);
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (value && typeof value === 'object' && value !== OMIT) {
    const map = value as Record<string, unknown>;
    items = Object.keys(map)
      .sort()
      .map(key => ({ key, value: map[key] }));
  } else {
    throw new TemplateError(`${path}: forEach must evaluate to array or map, got ${describe(value)}`, path, stripBraces(text));
  }
  if (items.length > MAX_FOREACH_ITEMS) {
    throw new TemplateError(
      `${path}: forEach produced ${items.length} items; at most ${MAX_FOREACH_ITEMS} are allowed`,
      path,
      stripBraces(text),
    );
  }
  return items;
}

/** A context with the loop variable bound (a shallow copy, as OpenChoreo clones it). */
export function withVariable(context: TemplateContext, name: string, value: unknown): TemplateContext {
  return { ...context, [name]: toCel(value) };
}

function describe(value: unknown): string {
  if (value === OMIT) return 'oc_omit()';
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'map' : typeof value;
}

function stripBraces(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('${') && trimmed.endsWith('}') ? trimmed.slice(2, -1) : trimmed;
}
