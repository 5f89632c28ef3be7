import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { CommitTrace } from '@cellplane/backstage-plugin-common';
import { eventually, exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';
import { sandboxDataPlanesServiceFactory } from '@cellplane/sandbox';
import { join } from 'node:path';
import request from 'supertest';
import { cellplanePlugin } from '../plugin';

/** The portal's default: the sandbox plays Argo CD and the controllers; a commit's trace follows it to ready pods. */
describe('the trace of a commit on the sandbox data plane', () => {
  const fixture = exampleRepository();
  afterAll(() => fixture.cleanup());

  it('follows the seed commit to ready pods in development', async () => {
    const backend = await startTestBackend({
      features: [
        cellplanePlugin,
        sandboxDataPlanesServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') } },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });
    try {
      const head = (await fixture.repository.fetch())!;
      const trace = await eventually(async () => {
        const response = await request(backend.server).get(`/api/cellplane/trace/${head}?component=acme/cart-api`);
        expect(response.status).toBe(200);
        const body = response.body as CommitTrace;
        const development = body.items.find(i => i.environment === 'development');
        expect(development?.steps.map(s => `${s.name}: ${s.state}`)).toEqual([
          'committed: done',
          'rendered: done',
          'synced: done',
          'rolled-out: done',
          'ready: done',
        ]);
        return body;
      }, 60_000);
      const steps = trace.items.find(i => i.environment === 'development')!.steps;
      const synced = steps[2];
      expect(synced).toMatchObject({ revision: head, detail: `Argo CD cellplane-acme-development synced ${head.slice(0, 7)}` });
      // Each step says when, from the times the sandbox writes as Argo CD and the controllers do.
      const times = steps.map(step => step.at);
      expect(times.every(at => typeof at === 'string' && !Number.isNaN(Date.parse(at)))).toBe(true);
      expect(Date.parse(times[4]!)).toBeGreaterThanOrEqual(Date.parse(times[2]!) - 1000);
    } finally {
      await backend.stop();
    }
  }, 90_000);
});
