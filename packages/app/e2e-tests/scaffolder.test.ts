import { test, expect, APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

// The portal's own on-disk GitOps repository (the zero-setup default).
const REPOSITORY = resolve(__dirname, '../../../.cellplane/gitops.git');
const BACKEND = 'http://localhost:7007';

async function authHeaders(request: APIRequestContext) {
  const body = await (await request.get(`${BACKEND}/api/auth/guest/refresh`)).json();
  return { Authorization: `Bearer ${body.backstageIdentity.token}` };
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPOSITORY, encoding: 'utf8' }).trim();

test('a service created from a template through the scaffolder API lands as one commit, in the catalog, and runs in the sandbox', async ({
  request,
  page,
}) => {
  test.setTimeout(120_000);
  const headers = await authHeaders(request);
  const name = `e2e-svc-${Date.now().toString(36)}`;

  // The template is in the catalog (registered from templates/ in app-config.yaml).
  await expect
    .poll(async () => (await request.get(`${BACKEND}/api/catalog/entities/by-name/template/default/cellplane-new-service`, { headers })).status(), {
      timeout: 60_000,
    })
    .toBe(200);

  const before = git('rev-parse', 'main');
  const created = await request.post(`${BACKEND}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/cellplane-new-service',
      values: {
        project: 'system:acme/storefront',
        name,
        description: 'Created by the end-to-end test',
        owner: 'group:default/team-storefront',
        image: `ghcr.io/acme/${name}:1.0.0`,
        port: 8080,
        visibility: 'project',
        publishMode: 'commit',
      },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  let task: { status: string } | undefined;
  await expect
    .poll(
      async () => {
        task = await (await request.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}`, { headers })).json();
        return task!.status;
      },
      { timeout: 60_000 },
    )
    .toMatch(/completed|failed/);
  if (task!.status !== 'completed') {
    const events = await (await request.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}/events`, { headers })).json();
    throw new Error(`task ${task!.status}: ${JSON.stringify(events.slice(-5))}`);
  }

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
    .poll(async () => (await request.get(`${BACKEND}/api/catalog/entities/by-name/component/acme/${name}`, { headers })).status(), {
      timeout: 15_000,
    })
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
      { timeout: 30_000 },
    )
    .toBe('Healthy true');

  // And the developer sees it on the component's page.
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('link', { name: 'Create' }).first()).toBeVisible({ timeout: 30_000 });
  await page.goto(`/catalog/acme/component/${name}`);
  await expect(page.getByText('Deployments').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Healthy').first()).toBeVisible({ timeout: 30_000 });
  if (process.env.SCREENSHOT_DIR) {
    await page.goto('/create');
    await expect(page.getByText('New service (from an image)')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/create.png` });
  }
});
