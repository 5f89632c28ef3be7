import { mergePatch, strategicMergePatch } from './patches';

describe('mergePatch', () => {
  it('merges objects, deletes on null and replaces lists', () => {
    expect(
      mergePatch(
        { a: 1, b: { c: 2, d: 3 }, l: [1, 2] },
        { b: { c: null, e: 4 }, l: [3] },
      ),
    ).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      l: [3],
    });
  });
});

describe('strategicMergePatch', () => {
  const pod = {
    spec: {
      containers: [
        { name: 'app', image: 'app:1' },
        { name: 'proxy', image: 'envoy:1' },
      ],
      finalizers: ['a', 'b'],
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
    },
  };

  it('merges containers by name, deletes with $patch and keeps the order kubectl asks for', () => {
    const patched: any = strategicMergePatch(pod, {
      spec: {
        '$setElementOrder/containers': [{ name: 'proxy' }, { name: 'app' }],
        containers: [{ name: 'app', image: 'app:2' }],
      },
    });
    expect(patched.spec.containers).toEqual([
      { name: 'proxy', image: 'envoy:1' },
      { name: 'app', image: 'app:2' },
    ]);
    const deleted: any = strategicMergePatch(pod, {
      spec: { containers: [{ name: 'proxy', $patch: 'delete' }] },
    });
    expect(deleted.spec.containers.map((c: any) => c.name)).toEqual(['app']);
  });

  it('understands $deleteFromPrimitiveList, $retainKeys and $patch: replace', () => {
    const patched: any = strategicMergePatch(pod, {
      spec: {
        '$deleteFromPrimitiveList/finalizers': ['a'],
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
      },
    });
    expect(patched.spec.finalizers).toEqual(['b']);
    expect(patched.spec.strategy).toEqual({ type: 'Recreate' });
    const replaced: any = strategicMergePatch(pod, {
      spec: { strategy: { $patch: 'replace', type: 'Recreate' } },
    });
    expect(replaced.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('rejects directives it does not know with 422', () => {
    expect(() => strategicMergePatch(pod, { spec: { $unknown: 1 } })).toThrow(
      expect.objectContaining({ code: 422, reason: 'Invalid' }),
    );
  });
});
