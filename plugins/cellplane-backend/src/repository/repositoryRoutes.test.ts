import request from 'supertest';
import { Caller, callers, startCellplaneBackend } from '../__testUtils__/startCellplaneBackend';
import { repositoryLocation } from './createRepositoryRouter';

type Backend = Awaited<ReturnType<typeof startCellplaneBackend>>;

const get = (backend: Backend, path: string, caller: Caller = 'user') => {
  const req = request(backend.server).get(path);
  const header = callers[caller];
  return header ? req.set('Authorization', header) : req;
};

describe('repository routes', () => {
  let backend: Backend;
  let revision: string;
  beforeAll(async () => {
    backend = await startCellplaneBackend();
    revision = (await get(backend, '/api/cellplane/repository')).body.revision;
  });
  afterAll(() => backend.stop());

  it("names an on-disk repository without disclosing the server's path", async () => {
    const response = await get(backend, '/api/cellplane/repository');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ url: null, name: 'gitops.git', local: true, branch: 'main' });
    expect(JSON.stringify(response.body)).not.toContain(backend.fixture.dir);
  });

  it.each([
    ['/api/cellplane/repository/problems?foo=bar', 'unknown query parameter "foo": this route takes severity, kind'],
    ['/api/cellplane/repository/problems?severity=error&foo=1&bar=2', 'unknown query parameters "foo", "bar": this route takes severity, kind'],
    ['/api/cellplane/repository?revision=abc', 'unknown query parameter "revision": this route takes none'],
    ['/api/cellplane/repository/problems?kind[a]=b', 'unknown query parameter "kind[a]": this route takes severity, kind'],
    ['/api/cellplane/repository/problems?kind=Project&kind=Component', 'kind must be given once'],
    ['/api/cellplane/repository?__proto__=x', 'unknown query parameter "__proto__": this route takes none'],
    [`/api/cellplane/repository/problems?kind=${'A'.repeat(257)}`, 'kind must be at most 256 characters, got 257'],
    ['/api/cellplane/repository/problems?severity=fatal', 'severity must be one of error, warning, got "fatal"'],
  ])('answers %s with 400: %s', async (path, message) => {
    const response = await get(backend, path);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ name: 'InputError', message });
  });

  describe('GET /repository/commits/:sha', () => {
    it('answers the commit: message, author, date, parents and changed files with their diff', async () => {
      const response = await get(backend, `/api/cellplane/repository/commits/${revision}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        commit: revision,
        parents: [],
        author: { name: expect.any(String), email: expect.any(String) },
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        message: expect.any(String),
        truncated: expect.any(Boolean),
      });
      expect(response.body.files[0]).toMatchObject({ path: expect.any(String), status: 'added', patch: expect.stringMatching(/^diff --git /) });
    });

    it('finds a commit by its first 7 digits', async () => {
      const response = await get(backend, `/api/cellplane/repository/commits/${revision.slice(0, 7)}`);
      expect(response.body.commit).toBe(revision);
    });

    it('answers an unknown commit with 404 naming it', async () => {
      const response = await get(backend, `/api/cellplane/repository/commits/${'0'.repeat(40)}`);
      expect(response.status).toBe(404);
      expect(response.body.error).toEqual({
        name: 'NotFoundError',
        message: `no commit ${'0'.repeat(40)} on main of the GitOps repository`,
      });
    });

    it.each(['abc', 'main', 'HEAD', `${'a'.repeat(41)}`, '..%2F..%2Fetc', '-p', 'zzzzzzz'])(
      'answers %s with 400 naming sha',
      async sha => {
        const response = await get(backend, `/api/cellplane/repository/commits/${sha}`);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(/^sha must be a commit id of 7 to 40 hexadecimal digits, got /);
      },
    );

    it('takes no query parameters', async () => {
      const response = await get(backend, `/api/cellplane/repository/commits/${revision}?revision=${revision}`);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe('unknown query parameter "revision": this route takes none');
    });
  });
});

describe('repositoryLocation', () => {
  it.each([
    ['https://github.com/acme/gitops.git', 'https://github.com/acme/gitops.git', 'gitops.git'],
    ['https://git.example.com:8443/platform/gitops?ref=x#frag', 'https://git.example.com:8443/platform/gitops', 'gitops'],
    ['https://user:pass@git.example.com/gitops.git', 'https://git.example.com/gitops.git', 'gitops.git'],
    ['ssh://git:pass@git.example.com/platform/gitops.git', 'ssh://git@git.example.com/platform/gitops.git', 'gitops.git'],
    ['git@github.com:acme/gitops.git', 'git@github.com:acme/gitops.git', 'gitops.git'],
  ])('shows the remote %s as %s', (url, shown, name) => {
    expect(repositoryLocation(url, false)).toEqual({ url: shown, name, local: false });
  });

  it('shows only the name of a repository on disk', () => {
    expect(repositoryLocation('/srv/backstage/.cellplane/gitops.git/', true)).toEqual({ url: null, name: 'gitops.git', local: true });
  });
});

describe.each([
  ['development', false],
  ['production', true],
])('error bodies in %s mode', (mode, production) => {
  let backend: Backend;
  const nodeEnv = process.env.NODE_ENV;
  beforeAll(async () => {
    // Backstage's error handler reads NODE_ENV when a plugin's router is built.
    process.env.NODE_ENV = mode;
    backend = await startCellplaneBackend();
  });
  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await backend.stop();
  });

  const noStack = (body: unknown) => expect(JSON.stringify(body)).not.toMatch(/"stack"|\/work\/|node_modules|\.ts:\d+/);

  it.each([
    ['a bad query parameter', '/api/cellplane/repository/problems?foo=bar', 400],
    ['a bad path parameter', '/api/cellplane/releases/acme/Not_A_Name', 400],
    ['a bad percent-encoding', '/api/cellplane/releases/acme/%E0%A4%A', 400],
    ['an unknown commit', `/api/cellplane/repository/commits/${'0'.repeat(40)}`, 404],
    ['a status read without the permission', '/api/cellplane/status/data-planes', 403],
  ])('carry no stack trace for %s', async (_, path, status) => {
    const response = await get(backend, path, status === 403 ? 'user without cellplane.status.read' : 'user');
    expect(response.status).toBe(status);
    expect(response.body.error.message).toEqual(expect.any(String));
    noStack(response.body);
  });

  it(`${production ? 'carry no stack trace' : "keep Backstage's stack trace"} for a request without credentials, refused before Cellplane's routes`, async () => {
    const response = await get(backend, '/api/cellplane/repository', 'none');
    expect(response.status).toBe(401);
    expect(typeof response.body.error.stack).toBe(production ? 'undefined' : 'string');
  });
});
