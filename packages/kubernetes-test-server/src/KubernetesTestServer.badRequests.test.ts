import { KubernetesTestServer } from './KubernetesTestServer';

const json = 'application/json';
const merge = 'application/merge-patch+json';
const jsonPatch = 'application/json-patch+json';
const apply = 'application/apply-patch+yaml';
const text = 'text/plain';

describe('KubernetesTestServer: bad requests get a Status naming the problem', () => {
  let server: KubernetesTestServer;

  beforeAll(async () => {
    server = await KubernetesTestServer.start({ namespaces: ['shop'] });
    server.objects.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'shop' },
    });
  });

  afterAll(() => server.close());

  async function call(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        'content-type': contentType,
      },
      body,
    });
    const status = await response.json();
    expect(status).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: response.status,
    });
    return status as { code: number; reason: string; message: string };
  }

  // [method, path, content type, body, code, reason, message]
  it.each([
    [
      'POST',
      '/api/v1/namespaces/shop/configmaps',
      json,
      '{not json',
      400,
      'BadRequest',
      'could not be decoded as JSON',
    ],
    [
      'POST',
      '/api/v1/namespaces/shop/configmaps',
      json,
      '[1]',
      400,
      'BadRequest',
      'must be a JSON object',
    ],
    [
      'POST',
      '/api/v1/namespaces/shop/configmaps',
      json,
      '{"apiVersion":"apps/v1","metadata":{"name":"x"}}',
      400,
      'BadRequest',
      'the API version in the data (apps/v1) does not match the expected API version (v1)',
    ],
    [
      'POST',
      '/api/v1/namespaces/shop/configmaps',
      json,
      '{"kind":"Secret","metadata":{"name":"x"}}',
      400,
      'BadRequest',
      'the kind in the data (Secret)',
    ],
    [
      'POST',
      '/api/v1/namespaces/shop/configmaps',
      json,
      '{"metadata":{"name":"x","resourceVersion":"5"}}',
      400,
      'BadRequest',
      'resourceVersion should not be set on objects to be created',
    ],
    [
      'POST',
      '/api/v1/namespaces/shop/configmaps/cfg',
      json,
      '{}',
      405,
      'MethodNotAllowed',
      'does not allow this method',
    ],
    [
      'PUT',
      '/api/v1/namespaces/shop/configmaps/cfg',
      json,
      '{"metadata":{"name":"other"}}',
      400,
      'BadRequest',
      'the name of the object (other) does not match the name on the URL (cfg)',
    ],
    [
      'PUT',
      '/api/v1/namespaces/shop/configmaps/missing',
      json,
      '{"metadata":{"name":"missing"}}',
      404,
      'NotFound',
      'configmaps "missing" not found',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg',
      text,
      '{}',
      415,
      'UnsupportedMediaType',
      'application/merge-patch+json',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg?force=true',
      merge,
      '{"data":{"a":"b"}}',
      400,
      'BadRequest',
      'force: Forbidden',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg',
      merge,
      '[1]',
      400,
      'BadRequest',
      'a merge patch must be a JSON object',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg',
      jsonPatch,
      '{"op":"add"}',
      400,
      'BadRequest',
      'a JSON patch must be an array',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg',
      jsonPatch,
      '[{"op":"remove","path":"/nothing"}]',
      422,
      'Invalid',
      'the server rejected our request',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg?fieldManager=x&force=yes',
      apply,
      'apiVersion: v1\nkind: ConfigMap\n',
      400,
      'BadRequest',
      'force: Invalid value: "yes"',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg?fieldManager=x',
      apply,
      'kind: [unclosed',
      400,
      'BadRequest',
      'could not be decoded as YAML',
    ],
    [
      'PATCH',
      '/api/v1/namespaces/shop/configmaps/cfg?fieldManager=x',
      apply,
      'metadata: {name: cfg}\n',
      400,
      'BadRequest',
      'apiVersion and kind are required',
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=abc',
      json,
      undefined,
      400,
      'BadRequest',
      'resourceVersion: Invalid value: "abc"',
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/configmaps?watch=true&timeoutSeconds=soon',
      json,
      undefined,
      400,
      'BadRequest',
      'timeoutSeconds: Invalid value: "soon"',
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/configmaps?limit=-1',
      json,
      undefined,
      400,
      'BadRequest',
      'limit: Invalid value: "-1"',
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/configmaps?limit=1&continue=garbage',
      json,
      undefined,
      400,
      'BadRequest',
      'continue key is not valid',
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/configmaps?fieldSelector=data.a%3Db',
      json,
      undefined,
      400,
      'BadRequest',
      'field label not supported: data.a',
    ],
    [
      'GET',
      '/api/v1/configmaps/cfg',
      json,
      undefined,
      404,
      'NotFound',
      'the server could not find the requested resource',
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/namespaces',
      json,
      undefined,
      404,
      'NotFound',
      'the server could not find the requested resource',
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/configmaps/cfg/log',
      json,
      undefined,
      404,
      'NotFound',
      'the server could not find the requested resource',
    ],
    [
      'GET',
      '/apis/example.com/v1/things',
      json,
      undefined,
      404,
      'NotFound',
      'the server could not find the requested resource',
    ],
    [
      'GET',
      '/nowhere',
      json,
      undefined,
      404,
      'NotFound',
      'the server could not find the requested resource',
    ],
  ])(
    '%s %s (%s) %s → %i %s',
    async (method, path, contentType, body, code, reason, message) => {
      const status = await call(method, path, body, contentType);
      expect(status).toMatchObject({ code, reason });
      expect(status.message).toContain(message);
    },
  );

  it('rejects bodies over 3 MiB with 413', async () => {
    const status = await call(
      'POST',
      '/api/v1/namespaces/shop/configmaps',
      JSON.stringify({
        metadata: { name: 'big' },
        data: { a: 'x'.repeat(3.5 * 1024 * 1024) },
      }),
    );
    expect(status).toMatchObject({
      code: 413,
      reason: 'RequestEntityTooLarge',
    });
  });

  it('rejects an over-long fieldManager', async () => {
    const status = await call(
      'POST',
      `/api/v1/namespaces/shop/configmaps?fieldManager=${'m'.repeat(129)}`,
      '{"metadata":{"name":"m"}}',
    );
    expect(status.message).toContain('fieldManager: Too long');
  });

  it('leaves the object untouched after every rejected write', async () => {
    const stored = server.objects.get<any>('v1', 'ConfigMap', 'shop', 'cfg');
    expect(stored.metadata.resourceVersion).toBeDefined();
    expect(stored.data).toBeUndefined();
    expect(
      server.objects
        .list('v1', 'ConfigMap', 'shop')
        .map((c: any) => c.metadata.name),
    ).toEqual(['cfg']);
  });
});
