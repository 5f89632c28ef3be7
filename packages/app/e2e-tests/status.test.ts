import { test, expect, Page } from '@playwright/test';
import { BACKEND, authHeaders } from './portal';

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

  // The delivery pipeline card (which replaced the Deployments card): one column per environment,
  // in pipeline order, each with a health.
  const pipeline = page.getByTestId('delivery-pipeline');
  await expect(pipeline).toBeVisible();
  const columns = pipeline.getByRole('region', { name: /^Environment / });
  await expect(columns).toHaveCount(3);
  await expect(columns.nth(0)).toHaveAttribute('data-testid', 'pipeline-env-development');
  await expect(columns.nth(1)).toHaveAttribute('data-testid', 'pipeline-env-staging');
  await expect(columns.nth(2)).toHaveAttribute('data-testid', 'pipeline-env-production');
  await expect(columns.nth(0).getByText(/^(Healthy|Progressing|Degraded|Out of sync|Not deployed|Unknown)$/).first()).toBeVisible();
  // The sandbox data plane is never mistaken for a real cluster.
  await expect(page.getByText('Sandbox').first()).toBeVisible();
  await expect(page.getByText('● Live')).toBeVisible();

  if (process.env.SCREENSHOT_DIR) {
    await pipeline.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/status.png`, fullPage: true });
  }
});

test("Backstage's own Kubernetes tab shows the component's workloads on the sandbox data plane", async ({ page, request }) => {
  // The catalog module labels components with backstage.io/kubernetes-label-selector; Cellplane's
  // kubernetes module gives the Kubernetes plugin the data planes (here, the sandbox) as clusters.
  const headers = await authHeaders(request);
  const entity = await (await request.get(`${BACKEND}/api/catalog/entities/by-name/component/acme/web-shop`, { headers })).json();
  await expect
    .poll(
      async () => {
        const response = await request.post(`${BACKEND}/api/kubernetes/services/web-shop`, { headers, data: { entity } });
        const [cluster] = (await response.json()).items ?? [];
        const pods = cluster?.resources?.find((r: { type: string }) => r.type === 'pods')?.resources ?? [];
        return { cluster: cluster?.cluster?.name, errors: cluster?.errors, pods: pods.length > 0 };
      },
    )
    .toEqual({ cluster: 'sandbox', errors: [], pods: true });

  await signIn(page);
  await page.goto('/catalog/acme/component/web-shop/kubernetes');
  const cluster = page.getByText('sandbox (Cellplane sandbox)').first();
  await expect(cluster).toBeVisible();
  await expect(page.getByText(/^\d+ pods?$/).first()).toBeVisible();
  await expect(page.getByText('No pods with errors')).toBeVisible();
  await cluster.click(); // unfold the cluster: the component's Deployment, by name
  await expect(page.getByText(/^web-shop/).first()).toBeVisible();
  // The cluster's pod and the same pod under the Deployment (found through its ReplicaSet).
  await expect(page.getByText('1 pod', { exact: true })).toHaveCount(2);
  if (process.env.SCREENSHOT_DIR) {
    await page.waitForTimeout(500); // let the accordion finish unfolding
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/kubernetes.png`, fullPage: true });
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
