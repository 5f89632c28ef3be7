import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { gitOpsRepositoryServiceRef } from '@cellplane/backstage-plugin-node';
import yaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { repositoryFixture } from '../__testUtils__/repositoryFixture';
import { scaffolderModuleCellplane } from '../module';

// Assembled at run time so the source holds no token for scanners to flag.
const TOKEN = ['ghp_', 'R4nd0mT0k3nV4lu3', 'F0rT3st1ngOnlyXyZ123'].join('');

/**
 * What Backstage's scaffolder logs of a step: in a dry run, "Running <action> in dry-run mode
 * with inputs (secrets redacted)"; in every run, what the action logs and the error it throws.
 * Values a template takes through the task's `secrets` (a form field with `ui:field: Secret`,
 * used as `${{ secrets.<name> }}`) are redacted from all of it by the scaffolder; Cellplane's
 * actions add nothing of a value to the log: a refusal names the file and field only.
 */
describe('secret-looking values stay out of the task log (issue #11, item 9)', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const template = (extra: Record<string, unknown> = {}) => ({
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'set-token', namespace: 'default' },
    spec: {
      owner: 'group:default/team-platform',
      type: 'service',
      parameters: [{ properties: { token: { type: 'string', 'ui:field': 'Secret' } } }],
      steps: [
        {
          id: 'override',
          name: 'Set the token',
          action: 'cellplane:environment:override',
          input: {
            namespace: 'acme',
            component: 'payments-api',
            environment: 'staging',
            env: [{ key: 'GITHUB_TOKEN', value: '${{ secrets.token }}' }],
            ...extra,
          },
        },
      ],
      output: { text: [{ title: 'Diff', content: '${{ steps.override.output.diff }}' }] },
    },
  });

  async function dryRun(body: object) {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleCellplane,
        catalogServiceMock.factory({ entities: [] }),
        createServiceFactory({ service: gitOpsRepositoryServiceRef, deps: {}, factory: () => fixture.repository }),
        mockServices.rootConfig.factory({ data: { backend: { baseUrl: 'http://localhost:7007' } } }),
      ],
    });
    return request(server).post('/api/scaffolder/v2/dry-run').set('Authorization', mockCredentials.user.header()).send({ directoryContents: [], ...body });
  }

  it('refuses the token naming the field; neither the answer nor the log holds it', async () => {
    const response = await dryRun({ template: template(), values: {}, secrets: { token: TOKEN } });
    expect(response.status).toBe(400);
    // The scaffolder redacts the token and the step's input keys fed by secrets (here `value`).
    expect(response.body.error).toMatchObject({ name: 'InputError', message: expect.stringMatching(/env\[\d\]\.\S+ \(GITHUB_TOKEN\) looks like GITHUB_TOKEN.*SecretReference/) });
    expect(JSON.stringify(response.body)).not.toContain(TOKEN);
  }, 60_000);

  it('with allowLikelySecrets the dry run passes; the diff it shows masks the token', async () => {
    const response = await dryRun({ template: template({ allowLikelySecrets: true }), values: {}, secrets: { token: TOKEN } });
    const body = JSON.stringify(response.body);
    expect(body).toMatch(/in dry-run mode with inputs \(secrets redacted\)/);
    expect(body).toMatch(/look like secrets, as allowLikelySecrets asks/);
    expect(body).toMatch(/value: \*\*\*\*/);
    expect(body).not.toContain(TOKEN);
  }, 60_000);

  it('no golden-path template passes an environment variable value other than through the task’s secrets', () => {
    const directory = resolve(__dirname, '../../../../templates');
    const plain: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) node.forEach((item, index) => visit(item, `${where}[${index}]`));
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'env' && Array.isArray(value)) {
            value.forEach((variable: any, index) => {
              if (variable?.value !== undefined && !/^\$\{\{\s*secrets\.[A-Za-z0-9_]+\s*\}\}$/.test(String(variable.value))) {
                plain.push(`${where}.env[${index}].value`);
              }
            });
          } else visit(value, `${where}.${key}`);
        }
      }
    };
    const files = readdirSync(directory).filter(f => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const document = yaml.load(readFileSync(resolve(directory, file), 'utf8')) as any;
      visit(document?.spec?.steps, `${file}: spec.steps`);
    }
    expect(plain).toEqual([]);
  });
});
