import { runToCompletion } from '../async/cooperative';
import { locateFieldsInSteps } from './locateFields';
import { DEFAULT_YAML_LIMITS, parseYamlDocuments, parseYamlDocumentsInSteps } from './parseYamlDocuments';

describe('parseYamlDocuments', () => {
  it('reads every document of a multi-document file, skipping empty ones', () => {
    const result = parseYamlDocuments('a: 1\n---\n---\nb: [2]\n---\n');
    expect(result).toEqual({
      ok: true,
      documents: [
        { index: 0, value: { a: 1 } },
        { index: 2, value: { b: [2] } },
      ],
    });
  });

  it('reports malformed YAML with its line', () => {
    const result = parseYamlDocuments('kind: Project\nmetadata:\n  name: [unclosed\n');
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid YAML: /) });
    expect(result.ok === false && result.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses duplicate keys', () => {
    const result = parseYamlDocuments('name: a\nname: b\n');
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/duplicated mapping key/) });
  });

  it('refuses files over the size limit', () => {
    const result = parseYamlDocuments(`a: "${'x'.repeat(2000)}"`, {
      maxFileBytes: 1000,
      maxNodesPerDocument: 10,
    });
    expect(result).toEqual({
      ok: false,
      message: 'file is 2005 bytes, over the 1000-byte limit for one YAML file; split it into several files',
    });
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level += 1) {
      const prev = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const result = parseYamlDocuments(lines.join('\n'));
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/expands to more than 5000 values/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops parsing a document once it is over the value budget, and names the document', () => {
    const huge = `kind: A\n---\nannotations:\n${Array.from({ length: 50_000 }, (_, i) => `  a${i}: ${i}\n`).join('')}`;
    expect(parseYamlDocuments(huge)).toEqual({
      ok: false,
      message: `document 2 expands to more than ${DEFAULT_YAML_LIMITS.maxNodesPerDocument} values (YAML aliases?); refusing it`,
    });
  });

  it('refuses deep nesting as invalid YAML instead of overflowing the stack', () => {
    const result = parseYamlDocuments(`a: ${'['.repeat(100_000)}`);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid YAML: nesting exceeded/) });
  });

  it('parses a file a document at a time, with lines counted from the top of the file', () => {
    const steps = parseYamlDocumentsInSteps('a: 1\n---\nb: 2\n---\nc: 3\n');
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses += 1;
    expect(pauses).toBeGreaterThanOrEqual(3);
    expect(step.value).toEqual({
      ok: true,
      documents: [
        { index: 0, value: { a: 1 } },
        { index: 1, value: { b: 2 } },
        { index: 2, value: { c: 3 } },
      ],
    });
    expect(parseYamlDocuments('a: 1\n---\nb: 2\n---\nc: [3\n')).toMatchObject({ ok: false, line: 6 });
  });

  it('does not run custom tags', () => {
    const result = parseYamlDocuments('a: !!js/function "function () { return 1 }"');
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/unknown tag/) });
  });
});

describe('locateFieldsInSteps', () => {
  const locateField = (text: string, documentIndex: number, path: Array<string | number>) =>
    runToCompletion(locateFieldsInSteps(text, [{ documentIndex, path }]))[0];
  const text = 'kind: A\n---\nkind: Workload\nspec:\n  endpoints:\n    http:\n      port: 70000\n  list:\n    - a\n    - b\n';

  it('finds the line of a field in a later document', () => {
    expect(locateField(text, 1, ['spec', 'endpoints', 'http', 'port'])).toBe(7);
    expect(locateField(text, 1, ['spec', 'list', 1])).toBe(10);
  });

  it('finds fields in block and flow style, quoted keys and sequences', () => {
    const flow = 'a: {x: 1, "y.z": [2,\n  3]}\nlist:\n  -\n    b: 1\n';
    expect(
      runToCompletion(
        locateFieldsInSteps(flow, [
          { documentIndex: 0, path: ['a', 'y.z', 1] },
          { documentIndex: 0, path: ['list', 0, 'b'] },
          { documentIndex: 0, path: ['list', 0] },
          { documentIndex: 3, path: ['a'] },
        ]),
      ),
    ).toEqual([2, 5, 5, undefined]);
  });

  it('falls back to the closest existing parent', () => {
    expect(locateField(text, 1, ['spec', 'endpoints', 'grpc', 'port'])).toBe(5);
    expect(locateField(text, 1, [])).toBe(3);
  });
});

describe('parseYamlDocuments types', () => {
  const valueOf = (scalar: string) => {
    const result = parseYamlDocuments(`v: ${scalar}\n`);
    if (!result.ok) throw new Error(result.message);
    return (result.documents[0].value as { v: unknown }).v;
  };

  // What sigs.k8s.io/yaml (go-yaml v2's resolve.go, YAML 1.1) turns each plain scalar into, as
  // kubectl, Argo CD and Flux send it to the API server.
  it.each([
    ['0755', 493],
    ['-0755', -493],
    ['0o755', 493],
    ['0x1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['0_7_5_5', 493],
    ['+12', 12],
    ['08', 8],
    ['0', 0],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['-.inf', -Infinity],
    ['1000000000000000000000000000000000000', 1e36],
  ])('reads the number %s as Kubernetes does', (scalar, expected) => {
    expect(valueOf(scalar)).toBe(expected);
  });

  it.each([
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'].map(word => [word, true] as const),
    ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'].map(word => [word, false] as const),
  ])('reads %s as the boolean %s (YAML 1.1)', (scalar, expected) => {
    expect(valueOf(scalar)).toBe(expected);
  });

  it.each([
    ['"0755"', '0755'],
    ["'yes'", 'yes'],
    ['!!str 0755', '0755'],
    ['yEs', 'yEs'],
    ['1:20', '1:20'],
    ['12:30:00', '12:30:00'],
    ['1.2.3', '1.2.3'],
    ['0x', '0x'],
    ['v1', 'v1'],
    ['2024-01-02', '2024-01-02'],
    ['-0x8000000000000001', '-0x8000000000000001'],
  ])('keeps %s a string', (scalar, expected) => {
    expect(valueOf(scalar)).toBe(expected);
  });

  it('resolves explicit tags by the same rules, and refuses what they cannot be', () => {
    expect(valueOf('!!int "0755"')).toBe(493);
    expect(valueOf('!!bool "on"')).toBe(true);
    expect(valueOf('!!float 1')).toBe(1);
    expect(parseYamlDocuments('v: !!int 1.5\n')).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid YAML: cannot resolve/) });
  });

  it('reads keys as Kubernetes does: a YAML 1.1 boolean or number key becomes its JSON text', () => {
    expect(parseYamlDocuments('on: a\n0755: b\n"no": c\n')).toEqual({
      ok: true,
      documents: [{ index: 0, value: { true: 'a', 493: 'b', no: 'c' } }],
    });
  });

  it('reads YAML as Kubernetes does: merge keys resolve, timestamps stay strings', () => {
    const result = parseYamlDocuments('base: &base {a: 1}\nderived:\n  <<: *base\n  b: 2\nwhen: 2024-01-02\n');
    expect(result).toEqual({
      ok: true,
      documents: [{ index: 0, value: { base: { a: 1 }, derived: { a: 1, b: 2 }, when: '2024-01-02' } }],
    });
  });
});
