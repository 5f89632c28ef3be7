import fc from 'fast-check';
import { explainInvalidImageReference, parseImageReference } from './imageReference';

const FUZZ_RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS) || 500;
const SHA256 = 'a'.repeat(64);

describe('image references', () => {
  it.each([
    ['nginx', { path: 'nginx' }],
    ['nginx:1.27-alpine', { path: 'nginx', tag: '1.27-alpine' }],
    ['ghcr.io/acme/orders:1.0.0', { domain: 'ghcr.io', path: 'acme/orders', tag: '1.0.0' }],
    ['localhost:5000/team/app_v2__x.y-z:v1', { domain: 'localhost:5000', path: 'team/app_v2__x.y-z', tag: 'v1' }],
    ['[::1]:5000/app', { domain: '[::1]:5000', path: 'app' }],
    [`registry.example/app@sha256:${SHA256}`, { domain: 'registry.example', path: 'app', digest: `sha256:${SHA256}` }],
    [`app:1@sha512:${'0'.repeat(128)}`, { path: 'app', tag: '1', digest: `sha512:${'0'.repeat(128)}` }],
    ['Registry.Example:443/app', { domain: 'Registry.Example:443', path: 'app' }],
  ])('accepts %s', (value, reference) => {
    expect(parseImageReference(value)).toEqual({ reference });
  });

  it.each([
    ['with a space', 'nginx latest', /without spaces or control characters/],
    ['with a newline', 'nginx\n:latest', /without spaces or control characters/],
    ['with a tab', 'nginx\t', /without spaces or control characters/],
    ['a shell command', '$(rm -rf /)', /without spaces/],
    ['5,000 characters', 'a'.repeat(5000), /at most 520 characters, got 5000/],
    ['a 256-character name', `${'a'.repeat(256)}:1`, /repository name of 256 characters; at most 255/],
    ['an empty tag', 'x:', /invalid tag ""/],
    ['a tag starting with a dot', 'x:.1', /invalid tag ".1"/],
    ['a 129-character tag', `x:${'t'.repeat(129)}`, /invalid tag/],
    ['a short digest', 'x@sha256:zz', /invalid sha256 digest: it must be 64 lowercase hex digits/],
    ['an uppercase digest', `x@sha256:${'A'.repeat(64)}`, /64 lowercase hex digits/],
    ['an unknown digest algorithm', `x@md5:${'a'.repeat(32)}`, /unsupported algorithm "md5"/],
    ['a digest without algorithm', 'x@abc', /write it as '<algorithm>:<hex>'/],
    ['an uppercase repository path', 'ghcr.io/Acme/Orders:1', /invalid repository path component "Acme"/],
    ['an uppercase name', 'Nginx', /invalid repository path component "Nginx"/],
    ['an empty path component', 'ghcr.io//app', /invalid repository path component ""/],
    ['a trailing separator', 'app-:1', /invalid repository path component "app-"/],
    ['no repository', ':1', /must name a repository/],
    ['an invalid host', 'bad_host.io/app', /invalid registry host "bad_host.io"/],
    ['not a string', 42, /must be a string/],
    ['empty', '', /must not be empty/],
  ])('refuses %s', (_what, value, message) => {
    expect(explainInvalidImageReference(value)).toMatch(message);
  });

  it('answers every string quickly, with a reference or a reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 700 }), value => {
        const started = performance.now();
        const { reference, problem } = parseImageReference(value);
        expect(performance.now() - started).toBeLessThan(50);
        expect(Boolean(reference) !== Boolean(problem)).toBe(true);
        // eslint-disable-next-line no-control-regex
        expect(reference !== undefined && /[\s\u0000-\u001f]/.test(value)).toBe(false);
      }),
      { seed: 42, numRuns: FUZZ_RUNS },
    );
  });

  it('accepts what it builds from the grammar', () => {
    const lower = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const component = fc.tuple(lower, fc.option(fc.tuple(fc.constantFrom('.', '_', '__', '-', '---'), lower))).map(
      ([a, rest]) => (rest ? `${a}${rest[0]}${rest[1]}` : a),
    );
    const reference = fc
      .tuple(
        fc.option(fc.constantFrom('ghcr.io', 'localhost:5000', 'registry.example:8443')),
        fc.array(component, { minLength: 1, maxLength: 4 }),
        fc.option(fc.stringMatching(/^\w[\w.-]{0,20}$/)),
      )
      .map(([domain, path, tag]) => `${domain ? `${domain}/` : ''}${path.join('/')}${tag ? `:${tag}` : ''}`);
    fc.assert(
      fc.property(reference, value => {
        expect(explainInvalidImageReference(value)).toBeUndefined();
      }),
      { seed: 42, numRuns: FUZZ_RUNS },
    );
  });
});
