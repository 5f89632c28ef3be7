import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY as EXAMPLE } from '@cellplane/backstage-plugin-node/testUtils';
import { catalogModuleCellplane } from './module';

describe('catalogModuleCellplane', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-catalog-module-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes the example repository into a real catalog, with relations', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleCellplane,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: join(dir, 'gitops.git'), seedFrom: EXAMPLE, cacheDir: join(dir, 'cache') } },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain', 'Group', 'User'] }],
              providers: { cellplane: { schedule: { frequency: { seconds: 1 }, timeout: { minutes: 1 } } } },
            },
          },
        }),
      ],
    });

    const get = (path: string) => request(server).get(path);
    let component;
    for (let i = 0; i < 100 && !component?.relations?.length; i += 1) {
      const response = await get('/api/catalog/entities/by-name/component/acme/web-shop');
      component = response.status === 200 ? response.body : undefined;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(component.spec).toMatchObject({ type: 'web-application', system: 'storefront', owner: 'group:default/team-storefront' });
    expect(component.relations).toEqual(
      expect.arrayContaining([
        { type: 'partOf', targetRef: 'system:acme/storefront' },
        { type: 'consumesApi', targetRef: 'api:acme/payments-api-rest' },
        { type: 'ownedBy', targetRef: 'group:default/team-storefront' },
      ]),
    );

    // Cellplane's own kinds are accepted by the catalog (the processor validates them).
    let environment;
    for (let i = 0; i < 50 && !environment; i += 1) {
      const response = await get('/api/catalog/entities/by-name/environment/acme/production');
      environment = response.status === 200 ? response.body : undefined;
      if (!environment) await new Promise(r => setTimeout(r, 200));
    }
    expect(environment).toMatchObject({ apiVersion: 'cellplane.dev/v1alpha1', spec: { isProduction: true } });
  }, 60_000);

  it('shows a pushed component at once when the push webhook arrives, long before the next poll', async () => {
    const url = join(dir, 'gitops.git');
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        eventsPlugin,
        // The real events service: the test backend's default gives each plugin a bus of its
        // own, so an event from the webhook plugin would never reach the catalog.
        eventsServiceFactory,
        catalogModuleCellplane,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url, seedFrom: EXAMPLE, cacheDir: join(dir, 'cache') } },
            // One process: no need for the cross-replica bus, whose long poll slows shutdown.
            events: { http: { topics: ['cellplane.gitops.push'] }, useEventBus: 'never' },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain'] }],
              // Polling so rarely that only the webhook can explain the component showing up.
              providers: { cellplane: { schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } } } },
            },
          },
        }),
      ],
    });
    const waitFor = async (path: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = await request(server).get(path);
        if (response.status === 200) return response.body;
        if (Date.now() > deadline) return undefined;
        await new Promise(r => setTimeout(r, 100));
      }
    };
    expect(await waitFor('/api/catalog/entities/by-name/component/acme/web-shop', 30_000)).toBeDefined();

    const writer = new GitOpsRepository({ url, branch: 'main', cacheDir: join(dir, 'writer') });
    const folder = 'namespaces/acme/projects/storefront/components/gift-cards';
    await writer.commit({
      message: 'Add gift-cards',
      author: { name: 'Test', email: 'test@example.com' },
      changes: () => [
        {
          path: `${folder}/component.yaml`,
          content: [
            'apiVersion: openchoreo.dev/v1alpha1',
            'kind: Component',
            'metadata: { name: gift-cards, namespace: acme }',
            'spec:',
            '  owner: { projectName: storefront }',
            '  componentType: { kind: ClusterComponentType, name: deployment/service }',
            '',
          ].join('\n'),
        },
        {
          path: `${folder}/workload.yaml`,
          content: [
            'apiVersion: openchoreo.dev/v1alpha1',
            'kind: Workload',
            'metadata: { name: gift-cards, namespace: acme }',
            'spec:',
            '  owner: { projectName: storefront, componentName: gift-cards }',
            '  container: { image: ghcr.io/acme/gift-cards:1.0.0 }',
            '',
          ].join('\n'),
        },
      ],
    });

    const pushed = Date.now();
    const webhook = await request(server)
      .post('/api/events/http/cellplane.gitops.push')
      .send({ ref: 'refs/heads/main' });
    expect(webhook.status).toBe(202);
    expect(await waitFor('/api/catalog/entities/by-name/component/acme/gift-cards', 5_000)).toMatchObject({
      spec: { system: 'storefront' },
    });
    expect(Date.now() - pushed).toBeLessThan(5_000);

    const unknownTopic = await request(server).post('/api/events/http/not-a-topic').send({});
    expect(unknownTopic.status).toBe(404);
  }, 60_000);

  it('publishes a Template per ComponentType, with a form from its schema and the write action as its step', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleTemplateKind,
        catalogModuleCellplane,
        mockServices.rootConfig.factory({
          data: {
            cellplane: { gitops: { url: join(dir, 'gitops.git'), seedFrom: EXAMPLE, cacheDir: join(dir, 'cache') } },
            catalog: { rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain'] }] },
          },
        }),
      ],
    });
    let template: any;
    for (let i = 0; i < 150 && !template; i += 1) {
      const response = await request(server)
        .get('/api/catalog/entities/by-name/template/default/new-service')
        .set('Authorization', mockCredentials.user.header());
      template = response.status === 200 ? response.body : undefined;
      if (!template) await new Promise(r => setTimeout(r, 200));
    }
    expect(template.metadata.title).toBe('New Service');
    expect(template.spec.steps[0]).toMatchObject({ action: 'cellplane:component:create', input: { componentType: 'deployment/service' } });
  }, 60_000);
});
