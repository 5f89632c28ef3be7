import * as yaml from 'js-yaml';
import { toCel } from './cel';
import { findExpressionSpans, renderCondition, renderForEach, renderTemplate, TemplateError, withVariable } from './engine';

const context = toCel({
  metadata: { name: 'api-dev-1234abcd', labels: { app: 'api' } },
  parameters: { replicas: 2, enabled: true, ratio: 0.25, tags: ['a', 'b'], files: { 'a.txt': 'A', 'b.txt': 'B' } },
  workload: { container: { image: 'app:1' } },
}) as Record<string, unknown>;

const render = (template: string) => renderTemplate(yaml.load(template), context, 'template');

describe('template rendering', () => {
  it('keeps the type of a whole-value expression, quoted or not, and trims block scalars', () => {
    expect(
      render(`
replicas: \${parameters.replicas}
quoted: "\${parameters.replicas}"
enabled: \${parameters.enabled}
ratio: \${parameters.ratio}
labels: \${metadata.labels}
tags: \${parameters.tags}
block: |
  \${parameters.tags.map(t, t + "!")}
literal: 42
`),
    ).toEqual({
      replicas: 2,
      quoted: 2,
      enabled: true,
      ratio: 0.25,
      labels: { app: 'api' },
      tags: ['a', 'b'],
      block: ['a!', 'b!'],
      literal: 42,
    });
  });

  it('interpolates expressions inside longer strings', () => {
    expect(
      render(`
name: \${metadata.name}-worker
two: \${parameters.replicas}x\${parameters.enabled}
json: "tags=\${parameters.tags}"
map: 'm=\${{"a": 1}}'
ratio: "r=\${parameters.ratio}"
`),
    ).toEqual({
      name: 'api-dev-1234abcd-worker',
      two: '2xtrue',
      json: 'tags=["a","b"]',
      map: 'm={"a":1}',
      ratio: 'r=0.25',
    });
  });

  it('renders map keys and drops oc_omit() fields and items', () => {
    expect(
      render(`
\${metadata.name}: key
"prefix-\${parameters.replicas}": 1
command: |
  \${has(workload.container.command) ? workload.container.command : oc_omit()}
items:
  - a
  - '\${parameters.enabled ? oc_omit() : "b"}'
  - \${parameters.tags[0]}
`),
    ).toEqual({ 'api-dev-1234abcd': 'key', 'prefix-2': 1, items: ['a', 'a'] });
  });

  it('counts braces outside quotes, so map literals and quoted braces work', () => {
    expect(render(`value: '\${{"a": "}", "b": {"c": 1}}}'`)).toEqual({ value: { a: '}', b: { c: 1 } } });
    expect(render(`literal: \${"\${"}`)).toEqual({ literal: '${' });
    expect(findExpressionSpans('a ${x} b ${y')).toEqual([{ start: 2, end: 6, expression: 'x' }]);
    expect(() => findExpressionSpans('${ a ${b} }')).toThrow(/nested CEL expressions must be quoted/);
  });

  it('names the path and expression of a failing expression', () => {
    const template = yaml.load(`spec:\n  items:\n    - name: \${parameters.missing.field}\n`);
    let error: TemplateError | undefined;
    try {
      renderTemplate(template, context, 'spec.resources[1].template');
    } catch (e) {
      error = e as TemplateError;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(error!.path).toBe('spec.resources[1].template.spec.items[0].name');
    expect(error!.expression).toBe('parameters.missing.field');
    expect(error!.message).toMatch(/^spec\.resources\[1\]\.template\.spec\.items\[0\]\.name: \$\{parameters\.missing\.field\} failed: /);
  });

  it('requires dynamic map keys to be strings', () => {
    expect(() => render('"${parameters.replicas}": x')).toThrow(/dynamic map key '\$\{parameters.replicas\}' must evaluate to a string/);
  });

  it('evaluates includeWhen-style conditions strictly as booleans', () => {
    expect(renderCondition('${parameters.enabled}', context, 'includeWhen', 'includeWhen')).toBe(true);
    expect(() => renderCondition('${parameters.replicas}', context, 'includeWhen', 'includeWhen')).toThrow(
      /includeWhen must evaluate to boolean, got number/,
    );
  });

  it('iterates lists and maps (as sorted key/value items) in forEach', () => {
    expect(renderForEach('${parameters.tags}', context, 'forEach')).toEqual(['a', 'b']);
    expect(renderForEach('${parameters.files}', context, 'forEach')).toEqual([
      { key: 'a.txt', value: 'A' },
      { key: 'b.txt', value: 'B' },
    ]);
    expect(() => renderForEach('${parameters.replicas}', context, 'forEach')).toThrow(/forEach must evaluate to array or map/);
    expect(() => renderForEach('${lists.range(101)}', context, 'forEach')).toThrow(/at most 100/);
    const item = withVariable(context, 'file', { key: 'a.txt', value: 'A' });
    expect(renderTemplate(yaml.load('${file.key}: ${file.value}'), item, 't')).toEqual({ 'a.txt': 'A' });
  });

  it('returns fresh objects: rendering twice never shares structure', () => {
    const template = yaml.load('labels: ${metadata.labels}') as object;
    const a = renderTemplate(template, context, 't') as any;
    const b = renderTemplate(template, context, 't') as any;
    a.labels.extra = 'x';
    expect(b.labels).toEqual({ app: 'api' });
  });
});
