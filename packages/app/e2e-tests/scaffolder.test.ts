import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { BACKEND, REPOSITORY, authHeaders, runTemplate } from './portal';

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPOSITORY, encoding: 'utf8' }).trim();

test('a service created from a template through the scaffolder API lands as one commit, in the catalog, and runs in the sandbox', async ({
  request,
  page,
}) => {
  test.setTimeout(120_000);
  const headers = await authHeaders(request);
  const name = `e2e-svc-${Date.now().toString(36)}`;

  // The template is in the catalog (generated from the service ComponentType by the catalog module).
  await expect
    .poll(async () => (await request.get(`${BACKEND}/api/catalog/entities/by-name/template/default/new-service`, { headers })).status(), {
      timeout: 60_000,
    })
    .toBe(200);

  const before = git('rev-parse', 'main');
  await runTemplate(request, 'template:default/new-service', {
    project: 'system:acme/storefront',
    name,
    description: 'Created by the end-to-end test',
    owner: 'group:default/team-storefront',
    image: `ghcr.io/acme/${name}:1.0.0`,
    port: 8080,
    visibility: 'project',
    publishMode: 'commit',
  });

  // Exactly one new commit, holding the component, its workload, its first release and binding,
  // and its rendered manifests.
  const after = git('rev-parse', 'main');
  expect(git('rev-list', '--count', `${before}..${after}`)).toBe('1');
  const files = git('diff', '--name-only', before, after).split('\n');
  const folder = `namespaces/acme/projects/storefront/components/${name}`;
  expect(files).toEqual(
    expect.arrayContaining([
      `${folder}/component.yaml`,
      `${folder}/workload.yaml`,
      expect.stringMatching(new RegExp(`^${folder}/releases/${name}-[0-9a-f]{10}\\.yaml$`)),
      expect.stringMatching(new RegExp(`^${folder}/release-bindings/${name}-development\\.yaml$`)),
      expect.stringMatching(new RegExp(`^rendered/.*/development/storefront/components/${name}\\.yaml$`)),
    ]),
  );

  // The catalog has it (the write sends the push event), and the sandbox runs it.
  await expect
    .poll(async () => (await request.get(`${BACKEND}/api/catalog/entities/by-name/component/acme/${name}`, { headers })).status())
    .toBe(200);
  await expect
    .poll(
      async () => {
        const response = await request.get(`${BACKEND}/api/cellplane/status/components/acme/${name}`, { headers });
        if (!response.ok()) return `HTTP ${response.status()}`;
        const body = await response.json();
        const development = body.items.find((s: { environment: string }) => s.environment === 'development');
        return development ? `${development.health} ${development.desired?.commit === after}` : 'no development';
      },
    )
    .toBe('Healthy true');

  // And the developer sees it on the component's page.
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('link', { name: 'Create' }).first()).toBeVisible();
  await page.goto(`/catalog/acme/component/${name}`);
  const development = page.getByTestId('delivery-pipeline').getByTestId('pipeline-env-development');
  await expect(development.getByText('Healthy', { exact: true })).toBeVisible();
  if (process.env.SCREENSHOT_DIR) {
    await page.goto('/create');
    await expect(page.getByText('New Service', { exact: true })).toBeVisible();
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/create.png` });
  }
});
