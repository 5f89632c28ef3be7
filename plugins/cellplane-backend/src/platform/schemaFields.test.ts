import { schemaFields } from './schemaFields';

describe('schemaFields', () => {
  it('lists each field with its type, default, description and allowed values, nested objects as dotted paths', () => {
    expect(
      schemaFields({
        type: 'object',
        required: ['port'],
        properties: {
          port: { type: 'integer', minimum: 1, description: 'Container port' },
          policy: { type: 'string', default: 'Forbid', enum: ['Allow', 'Forbid'] },
          healthCheck: { type: 'object', title: 'HTTP health check', required: ['path'], properties: { path: { type: 'string', default: '/healthz' } } },
          tags: { type: 'array', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' }, default: {} },
        },
      }),
    ).toEqual([
      { path: 'port', type: 'integer', required: true, description: 'Container port' },
      { path: 'policy', type: 'string', required: false, default: '"Forbid"', enum: ['"Allow"', '"Forbid"'] },
      { path: 'healthCheck', type: 'object', required: false, description: 'HTTP health check' },
      { path: 'healthCheck.path', type: 'string', required: true, default: '"/healthz"' },
      { path: 'tags', type: 'array of string', required: false },
      { path: 'labels', type: 'map of string', required: false, default: '{}' },
    ]);
  });

  it('follows $refs into $defs, and stops at a recursive one', () => {
    const fields = schemaFields({
      type: 'object',
      $defs: {
        Resources: { type: 'object', properties: { cpu: { type: 'string', default: '100m' } } },
        Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } },
      },
      properties: { resources: { $ref: '#/$defs/Resources', description: 'Requests' }, tree: { $ref: '#/$defs/Node' } },
    });
    expect(fields.map(f => `${f.path}: ${f.type}${f.default ? ` = ${f.default}` : ''}`)).toEqual([
      'resources: object',
      'resources.cpu: string = "100m"',
      'tree: object',
      // Node's own child refers to Node again: listed, not followed.
      'tree.child: any',
    ]);
    expect(fields[0].description).toBe('Requests');
  });

  it('answers nothing for a missing or malformed schema, and bounds what a huge one lists', () => {
    expect(schemaFields(undefined)).toEqual([]);
    expect(schemaFields('type: object')).toEqual([]);
    expect(schemaFields({ properties: { a: 'not a schema', b: null } })).toEqual([]);
    const properties = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, { type: 'string', default: 'x'.repeat(1000) }]));
    const fields = schemaFields({ type: 'object', properties });
    expect(fields).toHaveLength(200);
    expect(fields[0].default!.length).toBeLessThanOrEqual(200);
  });
});
