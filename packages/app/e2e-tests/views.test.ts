import { test, expect } from '@playwright/test';
import { runTemplate, screenshot, signIn } from './portal';

/** Issue #14's other views against the running portal: releases, activity and the platform page. */

test('a changed component’s Releases tab compares its two releases, and its Activity tab lists both changes', async ({ page, request }) => {
  test.setTimeout(180_000);
  const name = `e2e-views-${Date.now().toString(36)}`;
  const component = `component:acme/${name}`;
  // Two releases: the new service's first, and the one adding an endpoint makes.
  await runTemplate(request, 'template:default/new-service', {
    project: 'system:acme/storefront',
    name,
    description: 'Created by the releases and activity end-to-end test',
    owner: 'group:default/team-storefront',
    from: 'image',
    image: `ghcr.io/acme/${name}:1.0.0`,
    port: 8080,
    visibility: 'project',
    publishMode: 'commit',
  });
  await runTemplate(request, 'template:default/cellplane-add-endpoint', { component, name: 'admin', type: 'HTTP', port: 9090, publishMode: 'commit' });

  await signIn(page);
  await page.goto(`/catalog/acme/component/${name}/releases`);
  const table = page.getByRole('table', { name: `Releases of ${name}` });
  await expect(table).toBeVisible();
  const choices = table.getByRole('checkbox', { name: /^Compare / });
  await expect(choices).toHaveCount(2);
  const compare = page.getByRole('button', { name: 'Compare', exact: true });
  await expect(compare).toBeDisabled();
  await expect(page.getByText('Choose two releases to compare.')).toBeVisible();
  await choices.nth(0).check();
  await choices.nth(1).check();
  await compare.click();
  const comparison = page.getByRole('region', { name: /^Compare / });
  await expect(comparison).toBeVisible();
  await expect(comparison.getByRole('heading', { name: 'Spec' })).toBeVisible();
  await expect(comparison.getByRole('heading', { name: 'Rendered manifests in development' })).toBeVisible();
  // The second release adds the endpoint: its port shows in the spec's diff.
  await expect(comparison.getByText(/9090/).first()).toBeVisible();
  await comparison.getByRole('button', { name: 'Unified' }).click();
  await expect(comparison.getByText(/9090/).first()).toBeVisible();
  await screenshot(page, 'releases-compare', { fullPage: true });

  await page.goto(`/catalog/acme/component/${name}/activity`);
  const activity = page.getByRole('table', { name: `Activity of ${name}` });
  await expect(activity).toBeVisible();
  // Newest first: the endpoint, then the creation (a header row and the two changes).
  await expect(activity.getByRole('row')).toHaveCount(3);
  await expect(activity.getByRole('row').nth(1)).toContainText(/admin|endpoint/i);
  await screenshot(page, 'activity', { fullPage: true });

  // The project's activity has the component's changes among its own.
  await page.goto('/catalog/acme/system/storefront/activity');
  const projectActivity = page.getByRole('table', { name: 'Activity of storefront' });
  await expect(projectActivity).toBeVisible();
  await expect(projectActivity.getByText(name).first()).toBeVisible();
});

test('the platform page shows environments and pipelines, data planes, component types and health across projects', async ({ page }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Platform' }).click();
  await expect(page).toHaveURL(/\/cellplane\/platform$/);
  const environments = page.getByRole('table', { name: 'Environments' });
  await expect(environments).toBeVisible();
  // Production publishes by pull request in the example (its review is the approval).
  await expect(environments.getByRole('row', { name: 'Environment acme/production' })).toContainText('Pull request');
  await expect(page.getByRole('region', { name: 'Pipeline acme/standard' })).toBeVisible();
  const dataPlanes = page.getByRole('table', { name: 'Data planes' });
  await expect(dataPlanes).toBeVisible();
  await expect(dataPlanes).toContainText(/sandbox/i);
  await expect(page.getByText('Component types and traits')).toBeVisible();
  const health = page.getByRole('table', { name: 'Health per environment' });
  await expect(health.getByRole('row', { name: /^acme\/development: .*\d+ Healthy/ })).toBeVisible();
  await screenshot(page, 'platform', { fullPage: true });
});
