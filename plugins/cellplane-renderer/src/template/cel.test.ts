import { createHash } from 'node:crypto';
import { compileExpression, DERIVED, fromCel, rewriteOptionalEntries, toCel } from './cel';

const context = toCel({
  workload: {
    container: { image: 'app:1' },
    endpoints: {
      http: { port: 8080, type: 'HTTP', visibility: ['project', 'external'], basePath: '/api' },
      grpc: { port: 9090, type: 'gRPC', visibility: ['project'] },
    },
  },
  envs: [
    { name: 'A', value: '1' },
    { name: 'B', value: '2' },
  ],
  gateway: { ingress: { external: { http: { host: 'apps.example.com' }, https: { host: 'apps.example.com' } } } },
  replicas: 3,
  ratio: 0.5,
}) as Record<string, unknown>;

const run = (expression: string, ctx: Record<string, unknown> = context) => fromCel(compileExpression(expression)(ctx));

describe('CEL environment', () => {
  it('treats whole numbers as CEL ints and keeps doubles', () => {
    expect(run('replicas + 1')).toBe(4);
    expect(run('workload.endpoints.http.port == 8080')).toBe(true);
    expect(run('ratio * 2.0')).toBe(1);
    expect(run('size(workload.endpoints)')).toBe(2);
  });

  it('supports two-variable comprehensions over maps and lists', () => {
    expect(run('workload.endpoints.exists(name, ep, ep.type == "gRPC")')).toBe(true);
    expect(run('workload.endpoints.all(name, ep, ep.port > 8000)')).toBe(true);
    expect(run('workload.endpoints.all(name, ep, ep.port > 9000)')).toBe(false);
    expect(run('workload.endpoints.existsOne(name, ep, "external" in ep.visibility)')).toBe(true);
    expect(
      run(
        'workload.endpoints.transformList(name, ep, ("external" in ep.visibility && ep.type in ["HTTP", "REST"]) ? [name] : []).flatten()',
      ),
    ).toEqual(['http']);
    expect(run('workload.endpoints.transformList(name, ep, ep.port > 9000, name)')).toEqual(['grpc']);
    expect(run('workload.endpoints.transformMap(name, ep, ep.port)')).toEqual({ http: 8080, grpc: 9090 });
    expect(run('workload.endpoints.transformMap(name, ep, ep.type == "HTTP", ep.port + 1)')).toEqual({ http: 8081 });
    expect(run('envs.transformMapEntry(index, env, {env.name: env.value})')).toEqual({ A: '1', B: '2' });
    expect(run('envs.transformList(i, env, i)')).toEqual([0, 1]);
    expect(run('envs.exists(i, env, i == 1 && env.name == "B")')).toBe(true);
    expect(() => run('envs.transformMapEntry(i, env, {"same": env.value})')).toThrow(/produced the key 'same' twice/);
    // One-variable macros are cel-js's own.
    expect(run('envs.map(e, e.name)')).toEqual(['A', 'B']);
    expect(run('workload.endpoints.exists(name, name == "grpc")')).toBe(true);
  });

  it('supports optional types: ?. access, orValue, optional map and list entries', () => {
    expect(run('workload.endpoints.http.?basePath.orValue("/")')).toBe('/api');
    expect(run('workload.endpoints.grpc.?basePath.orValue("/")')).toBe('/');
    expect(run('workload.container.?command.hasValue()')).toBe(false);
    expect(
      run('[gateway.ingress.external.?http, gateway.ingress.external.?https].filter(g, g.hasValue()).map(g, g.value().host).distinct()'),
    ).toEqual(['apps.example.com']);
    expect(run('{"image": workload.container.image, ?"command": workload.container.?command}')).toEqual({ image: 'app:1' });
    expect(run('{?"path": workload.endpoints.http.?basePath}')).toEqual({ path: '/api' });
    expect(run('["a", ?workload.container.?command, ?workload.endpoints.http.?basePath]')).toEqual(['a', '/api']);
    expect(run('optional.of(1).orValue(2)')).toBe(1);
  });

  it('rewrites optional entries without touching strings or ternaries', () => {
    expect(rewriteOptionalEntries('{?"a": x.?b, "c": "?d"}')).toBe('{"a": ( x.?b).orValue(oc_omit()), "c": "?d"}');
    expect(rewriteOptionalEntries('[?x, y ? 1 : 2]')).toBe('[(x).orValue(oc_omit()), y ? 1 : 2]');
    expect(rewriteOptionalEntries('a ? {"k": 1} : {}')).toBe('a ? {"k": 1} : {}');
  });

  it('has the list, string, math, sets and base64 extensions templates use', () => {
    expect(run('[1, 2, 2, 3, 1].distinct()')).toEqual([1, 2, 3]);
    expect(run('[{"a": 1}, {"a": 1}].distinct()')).toEqual([{ a: 1 }]);
    expect(run('[[1], [2, [3]]].flatten()')).toEqual([1, 2, [3]]);
    expect(run('[[1], [2, [3]]].flatten(2)')).toEqual([1, 2, 3]);
    expect(run('[3, 1, 2].sort()')).toEqual([1, 2, 3]);
    expect(run('["b", "a"].sort()')).toEqual(['a', 'b']);
    expect(run('[1, 2, 3].reverse()')).toEqual([3, 2, 1]);
    expect(run('[1, 2, 3, 4].slice(1, 3)')).toEqual([2, 3]);
    expect(run('lists.range(3)')).toEqual([0, 1, 2]);
    expect(run('"a.b.c".replace(".", "-")')).toBe('a-b-c');
    expect(run('"a.b.c".replace(".", "-", 1)')).toBe('a-b.c');
    expect(run('"a,b,c".split(",", 2)')).toEqual(['a', 'b,c']);
    expect(run('"Hello".lowerAscii() + "x".upperAscii()')).toBe('helloX');
    expect(run('" x ".trim()')).toBe('x');
    expect(run('"%s has %d replicas".format(["api", replicas])')).toBe('api has 3 replicas');
    expect(run('["a", "b"].join("-")')).toBe('a-b');
    expect(run('math.greatest(1, 5, 3)')).toBe(5);
    expect(run('math.least([4, 2, 8])')).toBe(2);
    expect(run('math.ceil(1.2)')).toBe(2);
    expect(run('sets.contains([1, 2, 3], [1, 3])')).toBe(true);
    expect(run('sets.intersects([1, 2], [5])')).toBe(false);
    expect(run('sets.equivalent([1, 2], [2, 1, 1])')).toBe(true);
    expect(run('base64.encode("hi")')).toBe('aGk=');
    expect(run('base64.decode("aGk=") == b"hi"')).toBe(true);
  });
});

describe('OpenChoreo functions', () => {
  const sha8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

  it('oc_omit() removes map entries and list items', () => {
    expect(run('{"a": oc_omit(), "b": 1}')).toEqual({ b: 1 });
    expect(run('["a", replicas > 5 ? "b" : oc_omit()]')).toEqual(['a']);
    expect(run('has(workload.container.command) ? workload.container.command : oc_omit()')).toBe(run('oc_omit()'));
  });

  it('oc_merge() merges shallowly, later maps win', () => {
    expect(run('oc_merge({"a": 1, "n": {"x": 1}}, {"b": 2, "n": {"y": 2}}, {"a": 3})')).toEqual({ a: 3, b: 2, n: { y: 2 } });
    expect(() => compileExpression('oc_merge({"a": 1})')({})).toThrow();
  });

  it('oc_generate_name() sanitises parts and appends the SHA-256 of the original parts', () => {
    expect(run('oc_generate_name("Hello World!")')).toBe(`hello-world-${sha8('Hello World!')}`);
    expect(run('oc_generate_name("my-app", "HTTP_api")')).toBe(`my-app-http-api-${sha8('my-app-HTTP_api')}`);
    expect(run('oc_generate_name(["a", "b"])')).toBe(`a-b-${sha8('a-b')}`);
    expect(run('oc_generate_name(["a", 1, "b"])')).toBe(`a-b-${sha8('a-b')}`);
    // "my-app" and "My App!" sanitise alike but hash differently.
    expect(run('oc_generate_name("my-app") != oc_generate_name("My App!")')).toBe(true);
    // Long parts share the 253 characters evenly (8 for the hash, 1 per separator).
    const long = run(`oc_generate_name("${'a'.repeat(300)}", "${'b'.repeat(300)}")`) as string;
    expect(long).toHaveLength(253);
    expect(long).toMatch(/^a{122}-b{121}-[0-9a-f]{8}$/);
  });

  it('oc_dns_label() is the same algorithm limited to 63 characters', () => {
    // Each part gets an equal share of 63 - 8 - 2 = 53 (27 + 26); short parts do not lend theirs.
    const label = run(`oc_dns_label("${'x'.repeat(80)}", "api")`) as string;
    expect(label).toMatch(/^x{27}-api-[0-9a-f]{8}$/);
    expect((run(`oc_dns_label("${'x'.repeat(80)}", "${'y'.repeat(80)}")`) as string).length).toBe(63);
  });

  it('oc_hash() is FNV-1a 32-bit as 8 hex digits', () => {
    expect(run('oc_hash("")')).toBe('811c9dc5');
    expect(run('oc_hash("a")')).toBe('e40c292c');
    expect(run('oc_hash("foobar")')).toBe('bf9cf968');
  });

  it('helper macros read what the context builder computed for their receiver', () => {
    const configurations = { configs: {} } as Record<string | symbol, unknown>;
    configurations[DERIVED] = toCel({ volumes: [{ name: 'v' }], containerEnvFrom: [] });
    expect(run('configurations.toVolumes()', { configurations })).toEqual([{ name: 'v' }]);
    expect(run('configurations.toContainerEnvFrom()', { configurations })).toEqual([]);
    // On a receiver without it, a helper fails naming where it is (never an empty answer).
    expect(() => run('workload.toVolumes()')).toThrow(/toVolumes\(\) is only available on configurations and dependencies/);
    // toEndpointResources(): the routes by endpoint; (name): an optional, empty for an endpoint without routes.
    const workload = { [DERIVED]: toCel({ endpointResources: { http: [{ kind: 'HTTP', method: 'GET', path: '/' }] } }) };
    expect(run('workload.toEndpointResources()', { workload })).toEqual({ http: [{ kind: 'HTTP', method: 'GET', path: '/' }] });
    expect(run('workload.toEndpointResources("http").orValue([])', { workload })).toEqual([{ kind: 'HTTP', method: 'GET', path: '/' }]);
    expect(run('workload.toEndpointResources("grpc").orValue(["x"])', { workload })).toEqual(['x']);
  });
});

describe('field paths', () => {
  it('evaluate like the interpreter (which parenthesised paths still go through)', () => {
    for (const path of ['workload.container.image', 'workload.endpoints.http.port', 'envs', 'workload . endpoints . grpc']) {
      expect(run(path)).toEqual(run(`(${path})`));
    }
    expect(() => run('workload.container.nope')).toThrow(/No such key: nope/);
    expect(() => run('(workload.container.nope)')).toThrow(/nope/);
    expect(() => run('workload.container.image.length')).toThrow(/No such key: length/);
    expect(() => run('nothing.here')).toThrow(/Unknown variable: nothing/);
    // has(x) ? x : oc_omit() and helper calls take the same shortcut, with the same results.
    for (const expression of [
      'has(workload.endpoints.http.basePath) ? workload.endpoints.http.basePath : oc_omit()',
      'has(workload.endpoints.grpc.basePath) ? workload.endpoints.grpc.basePath : oc_omit()',
    ]) {
      expect(run(expression)).toEqual(run(`(${expression})`));
    }
    expect(() => run('has(workload.nope.basePath) ? workload.nope.basePath : oc_omit()')).toThrow(/No such key: nope/);
    const configurations = { [DERIVED]: { volumes: [{ name: 'v' }] } };
    expect(run('configurations.toVolumes()', { configurations })).toEqual(run('(configurations.toVolumes())', { configurations }));
    expect(() => run('configurations.toVolumes()', {})).toThrow(/Unknown variable: configurations/);
    expect(run('true')).toBe(true);
    expect(run('math.greatest(1, 2)')).toBe(2);
  });
});

describe('CEL errors', () => {
  it('reports syntax errors at compile time and unknown fields at evaluation', () => {
    expect(() => compileExpression('1 +')).toThrow();
    expect(() => run('workload.container.nope')).toThrow(/nope/);
    expect(() => run('undeclared.x')).toThrow(/undeclared/);
  });
});
