import { test, expect } from '@playwright/test';
import { BACKEND } from './portal';

test('the portal starts and shows the catalog', async ({ page }) => {
  await page.goto('/');

  const enterButton = page.getByRole('button', { name: 'Enter' });
  await expect(enterButton).toBeVisible();
  await enterButton.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();

  // The catalog lists the example organisation's components, published from the GitOps
  // repository, next to Cellplane's own packages, registered from catalog-info.yaml.
  await expect(page.getByText('Cellplane Catalog')).toBeVisible();
  await expect(page.getByRole('link', { name: 'cellplane-backend' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Web Shop' })).toBeVisible();
  // `SCREENSHOT_DIR=docs/screenshots yarn test:e2e` refreshes the pictures in README.md.
  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/catalog.png` });
  }

  // A component's page: its system, owner, and the APIs it provides and consumes.
  await page.getByRole('link', { name: 'Web Shop' }).click();
  await expect(page.getByRole('heading', { name: 'Web Shop' }).first()).toBeVisible();
  await expect(page.getByText('Storefront').first()).toBeVisible();
  await expect(page.getByText('About').first()).toBeVisible();
  // Not 'networkidle': the delivery pipeline card keeps its status stream open, so the network
  // never goes idle. The card showing its environments means the page has loaded.
  await expect(page.getByTestId('delivery-pipeline')).toBeVisible();
  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/component.png`, fullPage: true });
  }
});

test('the backend serves the seeded GitOps repository', async ({ request }) => {
  const { token } = await (await request.get(`${BACKEND}/api/auth/guest/refresh`)).json().then(
    body => body.backstageIdentity,
  );
  const response = await request.get(`${BACKEND}/api/cellplane/repository`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status()).toBe(200);
  const summary = await response.json();
  expect(summary.revision).toMatch(/^[0-9a-f]{40}$/);
  expect(summary.counts.Component).toBeGreaterThanOrEqual(10);
  expect(summary.problems).toEqual({ errors: 0, warnings: 0 });
});
