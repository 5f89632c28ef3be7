import { applyPatch, parsePatchPath } from './patch';

const deployment = () => ({
  metadata: { name: 'api', annotations: {} as Record<string, string> },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'main', image: 'app:1', ports: [{ containerPort: 8080 }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    },
  },
});

describe('trait patches', () => {
  it('adds, creating missing parents, and appends with /-', () => {
    const d = deployment();
    applyPatch(d, [
      { op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'data' } },
      { op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'cache' } },
      { op: 'add', path: '/metadata/labels/tier', value: 'backend' },
    ]);
    expect((d.spec.template.spec as any).volumes).toEqual([{ name: 'data' }, { name: 'cache' }]);
    expect((d.metadata as any).labels).toEqual({ tier: 'backend' });
  });

  it('targets array elements with filters, attached or as their own segment', () => {
    const d = deployment();
    applyPatch(d, [
      { op: 'add', path: "/spec/template/spec/containers/[?(@.name=='main')]/volumeMounts/-", value: { name: 'data' } },
      { op: 'replace', path: "/spec/template/spec/containers[?(@.name=='sidecar')]/image", value: 'proxy:2' },
    ]);
    const [main, sidecar] = d.spec.template.spec.containers as any[];
    expect(main.volumeMounts).toEqual([{ name: 'data' }]);
    expect(sidecar.image).toBe('proxy:2');
    // Dotted filter fields follow maps only, not list indexes (as in OpenChoreo): no match.
    expect(() =>
      applyPatch(d, [{ op: 'add', path: "/spec/template/spec/containers/[?(@.ports.0.containerPort=='8080')]/env", value: [] }]),
    ).toThrow(/matched 0 elements/);
  });

  it('compares filter values as text and fans out to every match', () => {
    const d = { items: [{ port: 80, tag: 'x' }, { port: 81, tag: 'x' }] };
    applyPatch(d, [
      { op: 'add', path: "/items/[?(@.port=='80')]/ok", value: true },
      { op: 'add', path: "/items[?(@.tag=='x')]/seen", value: 1 },
    ]);
    expect(d.items).toEqual([
      { port: 80, tag: 'x', ok: true, seen: 1 },
      { port: 81, tag: 'x', seen: 1 },
    ]);
  });

  it('errors when a filter matches nothing, or on an unsupported filter', () => {
    expect(() => applyPatch(deployment(), [{ op: 'add', path: "/spec/template/spec/containers/[?(@.name=='x')]/a", value: 1 }])).toThrow(
      /contains a filter but matched 0 elements/,
    );
    expect(() =>
      applyPatch(deployment(), [{ op: 'add', path: "/spec/template/spec/containers[?(@.name.contains('a'))]/a", value: 1 }]),
    ).toThrow(/unsupported filter expression/);
  });

  it('replaces only existing values, removes idempotently, decodes ~1 and ~0', () => {
    const d = deployment();
    expect(() => applyPatch(d, [{ op: 'replace', path: '/spec/paused', value: true }])).toThrow(/does not exist/);
    applyPatch(d, [
      { op: 'remove', path: '/spec/replicas' },
      { op: 'remove', path: '/spec/replicas' },
      { op: 'add', path: '/metadata/annotations/example.com~1team', value: 'a~0b' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ]);
    expect(d.spec).not.toHaveProperty('replicas');
    expect(d.metadata.annotations).toEqual({ 'example.com/team': 'a~0b' });
    expect(d.spec.template.spec.containers.map(c => c.name)).toEqual(['main']);
  });

  it('merges shallowly with mergeShallow and rejects unknown operations', () => {
    const d = deployment();
    applyPatch(d, [{ op: 'mergeShallow', path: '/metadata/annotations', value: { a: '1' } }]);
    applyPatch(d, [{ op: 'mergeShallow', path: '/metadata/annotations', value: { b: '2' } }]);
    expect(d.metadata.annotations).toEqual({ a: '1', b: '2' });
    expect(() => applyPatch(d, [{ op: 'move', path: '/a' }])).toThrow(/unsupported patch operation "move"/);
  });

  it('copies patch values, so one value patched into two objects is not shared', () => {
    const a = deployment();
    const b = deployment();
    const value = { name: 'data' };
    applyPatch(a, [{ op: 'add', path: '/spec/volumes', value }]);
    applyPatch(b, [{ op: 'add', path: '/spec/volumes', value }]);
    (a.spec as any).volumes.name = 'changed';
    expect((b.spec as any).volumes).toEqual({ name: 'data' });
  });

  it('parses index, append and filter segments', () => {
    expect(parsePatchPath("/a/0/b[1][-]/[?(@.x.y=='v/w')]")).toEqual([
      { kind: 'key', key: 'a' },
      { kind: 'index', index: 0 },
      { kind: 'key', key: 'b' },
      { kind: 'index', index: 1 },
      { kind: 'append' },
      { kind: 'filter', field: ['x', 'y'], value: 'v/w' },
    ]);
  });
});
