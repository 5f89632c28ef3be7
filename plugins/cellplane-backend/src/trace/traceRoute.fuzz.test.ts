import fc from 'fast-check';
import { CellplaneTestBackend, callers, startCellplaneBackend } from '../__testUtils__/startCellplaneBackend';
import { getJson } from '../__testUtils__/getJson';

/**
 * Random shas and `component` values against `/trace/:sha`, as routes.fuzz.test.ts does for the
 * other routes: never a 5xx, every error JSON without a stack, a 400 naming the parameter at
 * fault. `CELLPLANE_FUZZ_RUNS=5000` for a release check.
 */
const RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS ?? 60);
const TIMEOUT_MS = 10_000 + RUNS * 150;
const encode = (value: string) => encodeURIComponent(value).replace(/\./g, '%2E');

const sha = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{7,40}$/),
  fc.stringMatching(/^[0-9A-Fa-f]{1,45}$/),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map(encode),
  fc.constantFrom('%', '%zz', '%2E%2E', '%2F'),
);
const component = fc.option(
  fc.oneof(
    fc.constantFrom('acme/cart-api', 'acme/', '/cart-api', 'acme/cart-api/x', 'Acme/cart-api', 'acme/Cart_Api', 'a'.repeat(300)),
    fc.string({ maxLength: 80 }),
  ),
);
const stranger = fc.option(fc.constantFrom('revision', 'foo', '__proto__', 'component[x]'));

describe('trace route fuzz', () => {
  let backend: CellplaneTestBackend;
  beforeAll(async () => {
    backend = await startCellplaneBackend();
  });
  afterAll(() => backend.stop());

  it(
    'answers every sha and component without a 5xx, naming the parameter at fault',
    async () => {
      await fc.assert(
        fc.asyncProperty(sha, component, stranger, async (s, c, extra) => {
          const search = new URLSearchParams();
          if (c !== null) search.append('component', c);
          if (extra !== null) search.append(extra, '1');
          const url = `/api/cellplane/trace/${s}${search.size ? `?${search}` : ''}`;
          const answer = await getJson(backend.server, url, callers.user);
          const message = answer.body?.error?.message;
          const faults: string[] = [];
          if (answer.status >= 500) faults.push(`answered ${answer.status}`);
          if (answer.status >= 400 && typeof message !== 'string') faults.push('error body has no message');
          if (answer.body?.error?.stack !== undefined) faults.push('error body carries a stack trace');
          if (answer.status === 400 && !/^(sha |component |unknown query parameter|a path parameter is not valid percent-encoding)/.test(message)) {
            faults.push(`400 message names no parameter: ${message}`);
          }
          if (extra !== null && answer.status !== 400) faults.push(`the unknown query parameter ${extra} answered ${answer.status}`);
          if (faults.length) throw new Error(`${url}: ${faults.join('; ')}`);
        }),
        { seed: 42, numRuns: RUNS },
      );
      expect(RUNS).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );
});
