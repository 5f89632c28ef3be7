import { test, expect, Page } from '@playwright/test';

/**
 * The status views against the real portal: the Deployments card of a component and the Cell
 * view of its project, both fed by the sandbox data plane of the zero-setup default.
 */

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // The sidebar's <nav> itself has no box of its own; its links do.
  await expect(page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();
}

test('a component page shows where it runs, live, labelled as sandbox', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/acme/component/web-shop');
  await expect(page.getByRole('heading', { name: 'Web Shop' }).first()).toBeVisible();

  const table = page.getByRole('table', { name: 'Deployments by environment' });
  await expect(table).toBeVisible();
  // One row per environment, in pipeline order, each with a health.
  const rows = table.getByRole('row', { name: /^(development|staging|production): / });
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toHaveAttribute('aria-label', /^development: (Healthy|Progressing|Degraded|OutOfSync|NotDeployed|Unknown)$/);
  // The sandbox data plane is never mistaken for a real cluster.
  await expect(page.getByText('Sandbox').first()).toBeVisible();
  await expect(page.getByText('● Live')).toBeVisible();

  if (process.env.SCREENSHOT_DIR) {
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/status.png`, fullPage: true });
  }
});

test('a project page shows the project as a cell', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/acme/system/storefront/cell');

  const cell = page.getByRole('group', { name: 'Cell storefront' });
  await expect(cell).toBeVisible();
  await expect(cell.getByRole('link', { name: /^Component web-shop: / })).toBeVisible();
  await expect(cell.getByRole('group', { name: 'External endpoints' })).toBeVisible();
  await expect(cell.getByRole('link', { name: /^Endpoint web-shop\/web, / })).toBeVisible();
  // web-shop's dependency on another project's endpoint leaves the cell.
  await expect(cell.getByRole('img', { name: 'web-shop depends on payments-api/rest of project payments' })).toBeAttached();
  await expect(page.getByRole('button', { name: 'development' })).toBeVisible();
  await expect(page.getByText('Sandbox').first()).toBeVisible();
  // Health colours come with status; wait for it before the picture.
  await expect(cell.getByRole('link', { name: /^Component web-shop: (?!no status)/ })).toBeVisible();

  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/cell.png`, fullPage: true });
  }
});
