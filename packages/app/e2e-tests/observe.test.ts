import { test, expect } from '@playwright/test';
import { screenshot, signIn } from './portal';

/**
 * Issue #15 in the browser, against the running portal's sandbox data plane: a component's logs
 * streamed live, the organisation's delivery metrics, and the Metrics tab's state when no
 * Prometheus is configured.
 */

test('the Logs tab streams a line the sandbox pod wrote after the page opened', async ({ page }) => {
  await signIn(page);
  const opened = Date.now();
  await page.goto('/catalog/acme/component/web-shop/logs');
  await expect(page.getByText('Logs of web-shop')).toBeVisible();
  await expect(page.getByText('● Following: new lines show as they are written')).toBeVisible();
  const lines = page.getByTestId('log-line');
  await expect(lines.first()).toBeVisible();
  // Each line carries the time the kubelet read it; the sandbox's pods write an access-log line
  // every few seconds. One written after the page opened proves the stream is live.
  await expect
    .poll(async () => {
      const times = await lines.evaluateAll(items => items.map(item => item.getAttribute('data-time') ?? ''));
      return times.some(time => Date.parse(time) > opened);
    })
    .toBe(true);
  await screenshot(page, 'logs');
});

test('the delivery page shows the example organisation’s delivery metrics per environment', async ({ page }) => {
  await signIn(page);
  await page.goto('/cellplane/delivery');
  const table = page.getByRole('table', { name: 'Delivery metrics of acme' });
  await expect(table).toBeVisible();
  for (const environment of ['development', 'staging', 'production']) {
    await expect(table.getByRole('row', { name: new RegExp(environment) }).first()).toBeVisible();
  }
  await screenshot(page, 'delivery-metrics', { fullPage: true });
});

test('the Metrics tab says the sandbox has no Prometheus, and what to configure', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/acme/component/web-shop');
  // The entity page's tabs are links.
  await page.getByRole('link', { name: 'Metrics', exact: true }).click();
  await expect(page.getByText(/no Prometheus is configured/i).first()).toBeVisible();
  await screenshot(page, 'metrics');
});
