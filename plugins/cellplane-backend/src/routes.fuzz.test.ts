import fc from 'fast-check';
import { CellplaneTestBackend, callers, startCellplaneBackend } from './__testUtils__/startCellplaneBackend';
import { Answer, getJson } from './__testUtils__/getJson';

/**
 * Random path segments and query parameters against every route family: never a 5xx, every
 * error a JSON body whose message names the parameter at fault. Fixed seed and a bounded count
 * for the everyday suite; `CELLPLANE_FUZZ_RUNS=5000` for a release check.
 */
const RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS ?? 60);
const SEED = 42;
/** Each run is one request, a few milliseconds; an unknown commit adds a git fetch. */
const TIMEOUT_MS = 10_000 + RUNS * 100;

/** A segment as a hostile client sends it: encoded, with dots encoded too so nothing normalises `..` away. */
const encode = (value: string) => encodeURIComponent(value).replace(/\./g, '%2E');

const segment = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).map(encode),
  fc.stringMatching(/^[a-z0-9-]{1,70}$/),
  fc.constantFrom('acme', 'cart-api', 'storefront', 'staging', 'Acme', '-x', 'x-', '%2E%2E', '%2F', 'a'.repeat(64)),
  // raw, not valid percent-encoding
  fc.constantFrom('%', '%E0%A4%A', '%zz', '%00'),
);

const sha = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{7,40}$/),
  fc.stringMatching(/^[0-9A-Fa-f]{1,45}$/),
  segment,
);

/** Query parameters: the route's own names, strangers and qs's nested forms, once or repeated. */
const query = (names: string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...names, 'foo', 'revision', '__proto__', 'kind[x]', 'health[]'), fc.string({ minLength: 1, maxLength: 20 })),
        fc.oneof(fc.constantFrom('', 'error', 'Project', 'Healthy,Degraded', 'acme'), fc.string({ maxLength: 300 })),
      ),
      { maxLength: 4 },
    )
    .map(pairs => {
      const search = new URLSearchParams();
      for (const [key, value] of pairs) search.append(key, value);
      const text = search.toString();
      return { text: text ? `?${text}` : '', names: pairs.map(([key]) => key) };
    });

/** The names an error message may start with or quote to name the parameter at fault. */
function namesAParameter(message: string, parameters: string[], queryNames: string[]): boolean {
  if (/^unknown query parameters? /.test(message) || message.startsWith('a path parameter is not valid percent-encoding')) {
    return true;
  }
  return [...parameters, ...queryNames].some(name => message.startsWith(`${name} `));
}

/** A route with its path parameters filled in. */
interface Route {
  path: string;
  /** The path parameters' names. */
  parameters: string[];
  /** The query parameters the route takes. */
  names: string[];
}

/** What is wrong with an answer, if anything: the property fails with these sentences. */
function faultsOf(answer: Answer, route: Route, queryNames: string[]): string[] {
  const faults: string[] = [];
  if (answer.status >= 500) faults.push(`answered ${answer.status}`);
  if (answer.status >= 400) {
    if (!answer.type.startsWith('application/json')) faults.push(`error body is ${answer.type}, not JSON`);
    const message = answer.body?.error?.message;
    if (typeof message !== 'string') faults.push('error body has no message');
    // a required parameter the request left out is named too
    else if (answer.status === 400 && !namesAParameter(message, route.parameters, [...route.names, ...queryNames])) {
      faults.push(`400 message names no parameter: ${message}`);
    }
    if (answer.body?.error?.stack !== undefined) faults.push('error body carries a stack trace');
  }
  // A query parameter the route does not take is never ignored.
  if (queryNames.some(name => !route.names.includes(name)) && answer.status !== 400) {
    faults.push(`an unknown query parameter answered ${answer.status}`);
  }
  return faults;
}

describe('route fuzz', () => {
  let backend: CellplaneTestBackend;
  beforeAll(async () => {
    backend = await startCellplaneBackend();
  });
  afterAll(() => backend.stop());

  const run = (routes: fc.Arbitrary<Route>) =>
    fc.assert(
      fc.asyncProperty(
        routes.chain(route => query(route.names).map(q => ({ route, q }))),
        async ({ route, q }) => {
          const url = `/api/cellplane${route.path}${q.text}`;
          const faults = faultsOf(await getJson(backend.server, url, callers.user), route, q.names);
          if (faults.length) throw new Error(`${url}: ${faults.join('; ')}`);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );

  it(
    'repository routes',
    () =>
      expect(
        run(
          fc.oneof(
            fc.constant<Route>({ path: '/repository', parameters: [], names: [] }),
            fc.constant<Route>({ path: '/repository/problems', parameters: [], names: ['severity', 'kind'] }),
            sha.map((s): Route => ({ path: `/repository/commits/${s}`, parameters: ['sha'], names: [] })),
          ),
        ),
      ).resolves.toBeUndefined(),
    TIMEOUT_MS,
  );

  it(
    'releases route',
    () =>
      expect(
        run(
          fc.tuple(segment, segment).map(
            ([namespace, component]): Route => ({
              path: `/releases/${namespace}/${component}`,
              parameters: ['namespace', 'component'],
              names: [],
            }),
          ),
        ),
      ).resolves.toBeUndefined(),
    TIMEOUT_MS,
  );

  it(
    'status routes',
    () =>
      expect(
        run(
          fc.oneof(
            fc
              .tuple(fc.constantFrom(['projects', 'project'], ['components', 'component'], ['environments', 'environment']), segment, segment)
              .map(
                ([[view, parameter], namespace, name]): Route => ({
                  path: `/status/${view}/${namespace}/${name}`,
                  parameters: ['namespace', parameter],
                  names: [],
                }),
              ),
            fc.constant<Route>({ path: '/status/data-planes', parameters: [], names: [] }),
            fc.constant<Route>({
              path: '/status/events',
              parameters: [],
              names: ['namespace', 'project', 'component', 'environment', 'health'],
            }),
          ),
        ),
      ).resolves.toBeUndefined(),
    TIMEOUT_MS,
  );
  it(
    'pipeline, releases compare, activity, platform, delivery metrics, metrics and tracing routes',
    () =>
      expect(
        run(
          fc.oneof(
            fc.tuple(segment, segment).map(([namespace, component]): Route => ({
              path: `/pipeline/${namespace}/${component}`,
              parameters: ['namespace', 'component'],
              names: ['pullRequests'],
            })),
            fc.tuple(segment, segment).map(([namespace, component]): Route => ({
              path: `/releases/${namespace}/${component}/compare`,
              parameters: ['namespace', 'component'],
              names: ['from', 'to', 'environment'],
            })),
            fc.constant<Route>({
              path: '/activity',
              parameters: [],
              names: ['entity', 'kind', 'author', 'environment', 'since', 'until', 'limit', 'cursor'],
            }),
            fc.constant<Route>({ path: '/platform', parameters: [], names: [] }),
            fc.constant<Route>({ path: '/delivery-metrics', parameters: [], names: ['entity', 'namespace', 'environment', 'from', 'to'] }),
            fc.tuple(fc.constantFrom('metrics', 'tracing'), segment, segment, segment).map(([view, namespace, component, environment]): Route => ({
              path: `/${view}/${namespace}/${component}/${environment}`,
              parameters: ['namespace', 'component', 'environment'],
              names: view === 'metrics' ? ['range', 'step', 'end'] : [],
            })),
          ),
        ),
      ).resolves.toBeUndefined(),
    TIMEOUT_MS,
  );
});
