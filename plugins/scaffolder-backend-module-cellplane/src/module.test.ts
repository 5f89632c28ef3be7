import { createServiceFactory } from '@backstage/backend-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitOpsRepositoryServiceRef } from '@cellplane/backstage-plugin-node';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { repositoryFixture } from './__testUtils__/repositoryFixture';
import scaffolderModuleCellplane from './index';

/**
 * The real scaffolder backend runs templates/new-service.yaml through its task API with this
 * module's actions, against a real bare repository: what a developer does in "Create".
 */
describe('scaffolder backend with the Cellplane module', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  // Without `visibility` (an API caller skips the form and its default), the endpoint gets the
  // default, project only, rather than failing on "undefined is not one of ...".
  it.each([
    ['namespace', /http:\n\s+type: HTTP\n\s+port: 8080\n\s+visibility:\n\s+- namespace/],
    [undefined, /http:\n\s+type: HTTP\n\s+port: 8080(?!\n\s+visibility)/],
  ])('creates a component from the new-service template (visibility %s): POST /api/scaffolder/v2/tasks → one commit', async (visibility, endpoint) => {
    const template = yaml.load(readFileSync(resolve(__dirname, '../../../templates/new-service.yaml'), 'utf8')) as any;
    template.metadata.namespace = 'default';
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleCellplane,
        catalogServiceMock.factory({ entities: [template] }),
        createServiceFactory({ service: gitOpsRepositoryServiceRef, deps: {}, factory: () => fixture.repository }),
        mockServices.rootConfig.factory({ data: { backend: { baseUrl: 'http://localhost:7007' } } }),
      ],
    });
    const before = fixture.commitCount();

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/cellplane-new-service',
        values: {
          project: 'system:acme/payments',
          name: 'refunds-api',
          image: 'ghcr.io/acme/refunds-api:1.0.0',
          port: 8080,
          visibility,
          publishMode: 'commit',
        },
      });
    expect(created.status).toBe(201);

    let task: any;
    for (let i = 0; i < 100; i += 1) {
      task = (await request(server).get(`/api/scaffolder/v2/tasks/${created.body.id}`).set('Authorization', mockCredentials.user.header())).body;
      if (task.status === 'completed' || task.status === 'failed') break;
      await new Promise(r => setTimeout(r, 100));
    }
    if (task.status !== 'completed') {
      const events = (await request(server).get(`/api/scaffolder/v2/tasks/${created.body.id}/events`).set('Authorization', mockCredentials.user.header())).body;
      throw new Error(`task ${task.status}: ${JSON.stringify(events.map((e: any) => e.body?.message).filter(Boolean))}`);
    }
    expect(fixture.commitCount()).toBe(before + 1);
    const files = fixture.filesOf(fixture.head());
    expect(files).toContain('namespaces/acme/projects/payments/components/refunds-api/workload.yaml');
    expect(files).toContain('rendered/default/acme/development/payments/components/refunds-api.yaml');
    expect(fixture.show('namespaces/acme/projects/payments/components/refunds-api/workload.yaml')).toMatch(endpoint);
  }, 60_000);
});
