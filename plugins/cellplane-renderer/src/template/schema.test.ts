import { compileSchemaSection } from './schema';

const section = {
  openAPIV3Schema: {
    type: 'object',
    $defs: {
      Quantity: {
        type: 'object',
        default: {},
        properties: { cpu: { type: 'string', default: '100m' }, memory: { type: 'string', default: '256Mi' } },
      },
      Requirements: {
        type: 'object',
        default: {},
        properties: { requests: { $ref: '#/$defs/Quantity' }, limits: { $ref: '#/$defs/Quantity' } },
      },
    },
    'x-openchoreo-backstage-portal': { 'ui:order': ['replicas'] },
    properties: {
      replicas: { type: 'integer', default: 1, minimum: 0 },
      resources: { $ref: '#/$defs/Requirements' },
      annotations: { type: 'object', default: {}, additionalProperties: { type: 'string' } },
      free: { type: 'object' },
      probe: {
        type: 'object',
        properties: { port: { type: 'integer' }, path: { type: 'string', default: '/healthz' } },
        required: ['port'],
      },
    },
  },
};

describe('schema sections', () => {
  it('applies defaults through $refs, including object defaults of absent objects', () => {
    const { values, errors } = compileSchemaSection(section).apply({});
    expect(errors).toEqual([]);
    expect(values).toEqual({
      replicas: 1,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '100m', memory: '256Mi' } },
      annotations: {},
    });
  });

  it('fills field defaults into objects that are present and keeps given values', () => {
    const { values } = compileSchemaSection(section).apply({ resources: { limits: { memory: '1Gi' } }, probe: { port: 8080 } });
    expect(values.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '100m', memory: '1Gi' } });
    expect(values.probe).toEqual({ port: 8080, path: '/healthz' });
  });

  it('prunes unknown fields but keeps free-form maps', () => {
    const { values } = compileSchemaSection(section).apply({
      replicas: 2,
      typo: true,
      annotations: { 'example.com/a': 'b' },
      free: { anything: { goes: 1 } },
      probe: { port: 1, extra: 'x' },
    });
    expect(values).toEqual({
      replicas: 2,
      annotations: { 'example.com/a': 'b' },
      free: { anything: { goes: 1 } },
      probe: { port: 1, path: '/healthz' },
      resources: expect.any(Object),
    });
  });

  it('reports every violation with the field it concerns', () => {
    const { errors } = compileSchemaSection(section).apply({ replicas: -1, probe: {}, annotations: { a: 1 } });
    expect(errors.sort()).toEqual(['annotations.a: must be string', 'probe.port: is required', 'replicas: must be >= 0']);
  });

  it('never modifies the input, and compiles once per schema', () => {
    const input = { resources: { limits: {} } };
    compileSchemaSection(section).apply(input);
    expect(input).toEqual({ resources: { limits: {} } });
    expect(compileSchemaSection(section)).toBe(compileSchemaSection(section));
  });

  it('replaces values by {} without a schema, and rejects a dangling $ref', () => {
    expect(compileSchemaSection(undefined).apply({ a: 1 }).values).toEqual({});
    expect(() => compileSchemaSection({ openAPIV3Schema: { properties: { a: { $ref: '#/$defs/Nope' } } } })).toThrow(
      /\$ref '#\/\$defs\/Nope' does not resolve/,
    );
  });
});
