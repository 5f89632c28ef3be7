import { loadAll } from 'js-yaml';
import { manifestFile, toYaml } from './manifestYaml';

const roundTrip = (value: Record<string, unknown>) => loadAll(`---\n${toYaml(value)}`)[0];

describe('manifest YAML', () => {
  it.each([
    'plain', '', 'true', 'Yes', 'off', 'null', 'y', '~', '42', '0x1f', '1.4.2', '12:30', '2026-11-25', '.inf', '-', '- item',
    'a: b', 'a #b', 'trailing:', 'trailing ', ' leading', "it's", '"quoted"', '#comment', '&anchor', '*alias', '!tag', '%x', '@at',
    '`tick', '{a}', '[a]', '|', '>', 'https://example.com/a?b=c#d', 'ghcr.io/acme/api:1.4.2', 'tab\tinside', 'ctrl\u0001char',
    'line1\nline2\n', 'line1\nline2', '  indented\nsecond\n', 'a\n\n', '\nleading newline', 'trailing space \nx\n', 'ünïcode ✓',
    'key=value,other=x', '*/15 * * * *',
  ])('writes %j so that it reads back as the same string', value => {
    expect(roundTrip({ value, [value || 'empty']: 1 })).toEqual({ value, [value || 'empty']: 1 });
  });

  it('keeps numbers, booleans, nulls, nested lists and empty collections', () => {
    const value = { a: [1, 2.5, -3, true, false, null], b: [[1, [2]], [{ c: {} }], []], d: {}, e: [{ f: 'g', h: [{ i: 'j' }] }] };
    expect(roundTrip(value)).toEqual(value);
  });

  it('orders Kubernetes keys first, the rest alphabetically, Namespaces first among objects', () => {
    const file = manifestFile(['header'], [
      { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name: 's' }, spec: { z: 1, a: 2 } },
      { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'ns' } },
    ]);
    expect(file).toBe(
      '# header\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: ns\nspec:\n  a: 2\n  z: 1\n',
    );
  });

  it('writes multi-line text as a literal block', () => {
    expect(toYaml({ data: { 'config.yaml': 'a: 1\n  b: 2\n' } })).toBe('data:\n  config.yaml: |\n    a: 1\n      b: 2\n');
  });
});
