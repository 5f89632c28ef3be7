import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import eventsModuleCellplaneWebhooks from '.';

const SECRET = 'hook-secret-1';
const body = JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40) });
const sign = (payload: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`;

/** A backend with the real events plugin, this module, and a subscriber to the push topics. */
async function start(webhooks?: Record<string, { secret: string }>) {
  const received: EventParams[] = [];
  const subscriber = createBackendModule({
    pluginId: 'events',
    moduleId: 'test-subscriber',
    register(reg) {
      reg.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'test-subscriber',
            topics: ['cellplane.gitops.push', 'github.push', 'gitlab.push'],
            onEvent: async event => void received.push(event),
          });
        },
      });
    },
  });
  const logger = mockServices.logger.mock();
  logger.child.mockReturnValue(logger);
  const backend = await startTestBackend({
    features: [
      eventsPlugin,
      eventsModuleCellplaneWebhooks,
      subscriber,
      logger.factory,
      mockServices.rootConfig.factory({
        data: { events: { useEventBus: 'never' }, ...(webhooks ? { cellplane: { webhooks } } : {}) },
      }),
    ],
  });
  const post = (topic: string) =>
    request(backend.server).post(`/api/events/http/${topic}`).set('Content-Type', 'application/json');
  return { backend, received, logger, post };
}

describe('eventsModuleCellplaneWebhooks with secrets configured', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start({ github: { secret: SECRET }, gitlab: { secret: SECRET }, cellplane: { secret: SECRET } });
  });
  afterAll(() => env.backend.stop());
  beforeEach(() => {
    env.received.length = 0;
  });

  it.each([
    ['github.push', 'X-Hub-Signature-256'],
    ['cellplane.gitops.push', 'X-Cellplane-Signature-256'],
  ])('publishes a %s signed with the secret in %s', async (topic, header) => {
    const response = await env.post(topic).set(header, sign(body)).send(body);
    expect(response.status).toBe(202);
    expect(env.received).toEqual([expect.objectContaining({ topic, eventPayload: JSON.parse(body) })]);
  });

  it('publishes a gitlab.push carrying the secret in X-Gitlab-Token', async () => {
    const response = await env.post('gitlab.push').set('X-Gitlab-Token', SECRET).send(body);
    expect(response.status).toBe(202);
    expect(env.received).toEqual([expect.objectContaining({ topic: 'gitlab.push' })]);
  });

  it.each([
    ['github.push', 'X-Hub-Signature-256'],
    ['cellplane.gitops.push', 'X-Cellplane-Signature-256'],
    ['gitlab.push', 'X-Gitlab-Token'],
  ])('answers an unsigned %s with 401 naming %s, and publishes nothing', async (topic, header) => {
    const response = await env.post(topic).send(body);
    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe(
      `${topic} needs the ${header} header: this webhook is verified with cellplane.webhooks.${
        topic === 'cellplane.gitops.push' ? 'cellplane' : topic.split('.')[0]
      }.secret`,
    );
    expect(env.received).toEqual([]);
  });

  it.each([
    ['a signature made with another secret', sign(body, 'not-the-secret')],
    ['a signature of another body', sign('{}')],
    ['a bare hex digest', sign(body).slice('sha256='.length)],
    ['a truncated signature', sign(body).slice(0, 20)],
    ['garbage', 'sha256=zz'],
  ])('answers a github.push with %s with 403, and publishes nothing', async (_, signature) => {
    const response = await env.post('github.push').set('X-Hub-Signature-256', signature).send(body);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/^X-Hub-Signature-256 does not match/);
    expect(env.received).toEqual([]);
  });

  it('answers a wrong GitLab token with 403', async () => {
    const response = await env.post('gitlab.push').set('X-Gitlab-Token', `${SECRET}x`).send(body);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/^X-Gitlab-Token does not match/);
    expect(env.received).toEqual([]);
  });

  it('checks the signature over the raw bytes, not over re-serialized JSON', async () => {
    const spaced = '{ "ref" :  "refs/heads/main" }';
    const good = await env.post('github.push').set('X-Hub-Signature-256', sign(spaced)).send(spaced);
    expect(good.status).toBe(202);
    const reserialized = await env
      .post('github.push')
      .set('X-Hub-Signature-256', sign(JSON.stringify(JSON.parse(spaced))))
      .send(spaced);
    expect(reserialized.status).toBe(403);
  });

  it('never answers 5xx and publishes only correctly signed pushes, whatever is sent', async () => {
    // Fixed seed; CELLPLANE_FUZZ_RUNS raises the count for a release check.
    const runs = Number(process.env.CELLPLANE_FUZZ_RUNS ?? 40);
    const property = fc.assert(
      fc.asyncProperty(
        fc.constantFrom('github.push', 'gitlab.push', 'cellplane.gitops.push'),
        fc.oneof(fc.json(), fc.string({ maxLength: 200 })),
        fc.option(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'json', 'application/json; charset=x')),
        fc.constantFrom('none', 'good', 'bad'),
        async (topic, payload, type, proof) => {
          env.received.length = 0;
          const req = request(env.backend.server).post(`/api/events/http/${topic}`);
          if (type) req.set('Content-Type', type);
          if (proof !== 'none') {
            const secret = proof === 'good' ? SECRET : 'wrong';
            if (topic === 'gitlab.push') req.set('X-Gitlab-Token', secret);
            else req.set(topic === 'github.push' ? 'X-Hub-Signature-256' : 'X-Cellplane-Signature-256', sign(payload, secret));
          }
          const response = await req.send(Buffer.from(payload));
          const published = env.received.length > 0;
          if (response.status >= 500) throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
          if (published !== (response.status === 202)) throw new Error(`answered ${response.status}, published: ${published}`);
          if (published && proof !== 'good') throw new Error(`published a push with a ${proof} proof`);
        },
      ),
      { seed: 42, numRuns: runs },
    );
    await expect(property).resolves.toBeUndefined();
  }, 60_000);

  it('does not warn about unauthenticated webhooks', () => {
    expect(env.logger.warn).not.toHaveBeenCalledWith(expect.stringMatching(/webhook/i));
  });
});

describe('eventsModuleCellplaneWebhooks without secrets, in development mode', () => {
  let env: Awaited<ReturnType<typeof start>>;
  const nodeEnv = process.env.NODE_ENV;
  beforeAll(async () => {
    // Backstage's error handler puts stack traces in error bodies when NODE_ENV is development.
    process.env.NODE_ENV = 'development';
    env = await start();
  });
  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await env.backend.stop();
  });
  beforeEach(() => {
    env.received.length = 0;
  });

  it('accepts unsigned pushes, as before, and says once at start how to require a secret', async () => {
    const response = await env.post('cellplane.gitops.push').send(body);
    expect(response.status).toBe(202);
    expect(env.received).toEqual([expect.objectContaining({ topic: 'cellplane.gitops.push' })]);
    const warnings = env.logger.warn.mock.calls.map(([message]) => message).filter(m => /webhook/i.test(m));
    expect(warnings).toEqual([
      'Push webhooks without a secret accept unauthenticated requests from anyone who can reach the backend: ' +
        'cellplane.gitops.push (set cellplane.webhooks.cellplane.secret), github.push (set cellplane.webhooks.github.secret), ' +
        'gitlab.push (set cellplane.webhooks.gitlab.secret). See plugins/events-backend-module-cellplane/README.md.',
    ]);
  });

  it.each([
    ['invalid JSON', 'application/json', '{"ref": '],
    ['an empty body', 'application/json', ''],
    ['JSON with an unknown charset', 'application/json; charset=klingon', '{}'],
  ])('answers %s with 400, a message and no stack trace, and publishes nothing', async (_, type, payload) => {
    const response = await request(env.backend.server)
      .post('/api/events/http/github.push')
      .set('Content-Type', type)
      .send(payload);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
    expect(response.body.error.message).toMatch(/not valid JSON|charset "klingon" is not supported/);
    expect(JSON.stringify(response.body)).not.toMatch(/stack|\/work\/|node_modules/);
    expect(env.received).toEqual([]);
  });

  it.each([
    ['no Content-Type', 400, undefined, /^a cellplane.gitops.push webhook needs a Content-Type header/],
    ['a malformed Content-Type', 400, 'json', /^Content-Type "json" is not a media type/],
    ['another media type', 415, 'text/plain', /^a cellplane.gitops.push webhook takes application\/json, not text\/plain$/],
  ])('answers %s with %i, a message and no stack trace', async (_, status, type, message) => {
    const req = request(env.backend.server).post('/api/events/http/cellplane.gitops.push');
    if (type) req.set('Content-Type', type);
    const response = await req.send(Buffer.from(body));
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
    expect(JSON.stringify(response.body)).not.toMatch(/stack|\/work\/|node_modules/);
    expect(env.received).toEqual([]);
  });

  it('reads JSON whose Content-Type has a parameter without a value', async () => {
    const response = await env.post('cellplane.gitops.push').set('Content-Type', 'application/json; charset').send(body);
    expect(response.status).toBe(202);
    expect(env.received).toEqual([expect.objectContaining({ eventPayload: JSON.parse(body) })]);
  });
});
