import { test, expect } from '@playwright/test';
import { BACKEND, authHeaders, runTemplate } from './portal';

test('the rollback template lists the chosen component’s releases with image and where each runs', async ({ request, page }) => {
  test.setTimeout(120_000);
  const headers = await authHeaders(request);
  const name = `e2e-rel-${Date.now().toString(36)}`;
  const image = `ghcr.io/acme/${name}:1.0.0`;

  // A new service: its first release, pinned in development (the first environment).
  await runTemplate(request, 'template:default/new-service', {
    project: 'system:acme/storefront',
    name,
    description: 'Created by the release picker end-to-end test',
    owner: 'group:default/team-storefront',
    image,
    port: 8080,
    visibility: 'project',
    publishMode: 'commit',
  });

  // The route the picker reads.
  const releases = await (await request.get(`${BACKEND}/api/cellplane/releases/acme/${name}`, { headers })).json();
  expect(releases.items).toHaveLength(1);
  expect(releases.items[0]).toMatchObject({ images: [image], environments: ['development'], current: true });
  const release: string = releases.items[0].name;

  // The form, with the component already chosen (the scaffolder reads formData from the query).
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('link', { name: 'Create' }).first()).toBeVisible();
  const formData = encodeURIComponent(JSON.stringify({ component: `component:acme/${name}` }));
  await page.goto(`/create/templates/default/cellplane-rollback?formData=${formData}`);
  // A Select of @mui/material v5: a combobox.
  const picker = page.getByRole('combobox', { name: /Release/ });
  await expect(picker).toBeVisible();
  await picker.click();
  const option = page.getByRole('option', { name: new RegExp(`${release} · ${image.replace(/[.]/g, '\\.')} · running in development`) });
  await expect(option).toBeVisible();
  if (process.env.SCREENSHOT_DIR) {
    await page.waitForTimeout(500); // let the menu finish fading in
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/rollback.png` });
  }
  await option.click();
  await expect(picker).toHaveText(`${release} · ${image} · running in development`);
});
