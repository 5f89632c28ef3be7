import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { BACKEND, REPOSITORY, authHeaders } from './portal';

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPOSITORY, encoding: 'utf8' }).trim();

test("a write's Commit link opens the portal's page of that commit, with its files and diff", async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const headers = await authHeaders(request);
  const name = `e2e-commit-${Date.now().toString(36)}`;
  await expect
    .poll(async () => (await request.get(`${BACKEND}/api/catalog/entities/by-name/template/default/new-service`, { headers })).status(), {
      timeout: 60_000,
    })
    .toBe(200);

  const created = await request.post(`${BACKEND}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/new-service',
      values: { project: 'system:acme/storefront', name, owner: 'group:default/team-storefront', image: `ghcr.io/acme/${name}:1.0.0`, port: 8080 },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  // The task page, as a developer sees it after pressing Create.
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('link', { name: 'Create' }).first()).toBeVisible();
  await page.goto(`/create/tasks/${id}`);
  const commitLink = page.getByRole('link', { name: 'Commit' });
  await expect(commitLink).toBeVisible({ timeout: 60_000 });

  const commit = git('rev-parse', 'main');
  expect(git('show', '--name-only', '--format=', commit)).toContain(`components/${name}/component.yaml`);
  const href = await commitLink.getAttribute('href');
  expect(href).toBe(`${baseURL}/cellplane/commits/${commit}`);

  await page.goto(href!);
  await expect(page.getByText(`Commit ${commit.slice(0, 7)} of the GitOps repository`)).toBeVisible();
  await expect(page.getByText(commit, { exact: true })).toBeVisible();
  await expect(page.getByText(`namespaces/acme/projects/storefront/components/${name}/component.yaml`).first()).toBeVisible();
  await expect(page.getByText(`image: ghcr.io/acme/${name}:1.0.0`).first()).toBeVisible();
  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/commit.png`, fullPage: false });
  }
});
