import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogModuleCellplane } from './module';

const EXAMPLE = resolve(__dirname, '../../../examples/gitops');

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
});
