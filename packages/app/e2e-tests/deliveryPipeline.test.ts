import { test, expect, APIRequestContext, Locator, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { BACKEND, REPOSITORY, authHeaders, cardOf, runTemplate, screenshot, screenshotOf, signIn, startTemplate } from './portal';

/**
 * Issue #14's flow in the browser, against the running portal and its sandbox data plane: a new
 * service, the trace of its commit to ready pods in development, then the component page's
 * delivery pipeline card: Promote to staging with its buttons (the dry-run diff, confirmed),
 * staging Healthy with the new release, and Roll back to the earlier release.
 */

// Wide enough for the pipeline's three columns beside the About card.
test.use({ viewport: { width: 1600, height: 1000 } });

const head = () => execFileSync('git', ['rev-parse', 'main'], { cwd: REPOSITORY, encoding: 'utf8' }).trim();

/** The component's releases as the releases route lists them, newest first. */
async function releasesOf(request: APIRequestContext, name: string): Promise<Array<{ name: string; environments: string[] }>> {
  const headers = await authHeaders(request);
  const response = await request.get(`${BACKEND}/api/cellplane/releases/acme/${name}`, { headers });
  expect(response.status()).toBe(200);
  return (await response.json()).items;
}

/**
 * An environment's column shows a release running there, healthy, and synced at the commit that
 * put it there (so the health is the new state's, not the one before the change).
 */
async function expectRunning(column: Locator, release: string, commit: string) {
  await expect(column.getByText(release, { exact: true })).toBeVisible();
  await expect(column).toContainText(`synced ${commit.slice(0, 7)}`);
  await expect(column.getByText('Healthy', { exact: true })).toBeVisible();
}

/** Confirms the open delivery dialog after its dry-run diff showed `expectedLine`; waits for the task to end. */
async function confirmDelivery(page: Page, title: string, expectedLine: string, confirmLabel: string, picture?: string) {
  const dialog = page.getByRole('dialog', { name: title });
  await expect(dialog).toBeVisible();
  // The dry run's diff: what would be written, before anything is.
  await expect(dialog.getByText(/Dry run: this is what would be written/)).toBeVisible();
  await expect(dialog).toContainText(expectedLine);
  if (picture) await screenshot(page, picture);
  await dialog.getByRole('button', { name: confirmLabel, exact: true }).click();
  await expect(dialog.getByText('Done.')).toBeVisible();
  await expect(dialog.getByRole('link', { name: 'Trace: did it land?' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
}

test('create a service, follow its trace to ready, promote it with the pipeline card and roll it back', async ({ page, request }) => {
  test.setTimeout(300_000);
  const name = `e2e-flow-${Date.now().toString(36)}`;
  const component = `component:acme/${name}`;

  // A new service from the golden path (the template the catalog module makes of the service
  // ComponentType), as the Create page runs it.
  const createTask = await startTemplate(request, 'template:default/new-service', {
    project: 'system:acme/storefront',
    name,
    description: 'Created by the delivery pipeline end-to-end test',
    owner: 'group:default/team-storefront',
    from: 'image',
    image: `ghcr.io/acme/${name}:1.0.0`,
    port: 8080,
    visibility: 'project',
    publishMode: 'commit',
  });

  // The task's page, then its "Trace: did it land?" link (the action's traceUrl), followed until
  // the pods are ready in development.
  await signIn(page);
  await page.goto(`/create/tasks/${createTask}`);
  const traceLink = page.getByRole('link', { name: 'Trace: did it land?' });
  await expect(traceLink).toBeVisible();
  await traceLink.click();
  await expect(page).toHaveURL(new RegExp(`/cellplane/commits/[0-9a-f]{40}\\?component=acme/${name}$`));
  const trace = page.getByRole('region', { name: `${name} in development` });
  await expect(trace).toBeVisible();
  await expect(trace.getByLabel('Committed: done')).toBeVisible();
  await expect(trace.getByLabel('Ready: done')).toBeVisible();
  await screenshot(page, 'trace');
  const [first] = await releasesOf(request, name);

  // Staging already runs that first release, and a change (another endpoint) makes a second one,
  // which development runs: now there is something to promote and something to roll back to.
  await runTemplate(request, 'template:default/cellplane-promote', { component, to: 'environment:acme/staging', publishMode: 'commit' });
  await runTemplate(request, 'template:default/cellplane-add-endpoint', { component, name: 'admin', type: 'HTTP', port: 9090, publishMode: 'commit' });
  const releases = await releasesOf(request, name);
  const second = releases.find(release => release.name !== first.name)!;
  expect(second).toBeDefined();
  const changed = head();

  // The component page: the delivery pipeline first, its environments as columns.
  await page.goto(`/catalog/acme/component/${name}`);
  const pipeline = page.getByTestId('delivery-pipeline');
  await expect(pipeline).toBeVisible();
  const development = pipeline.getByTestId('pipeline-env-development');
  const staging = pipeline.getByTestId('pipeline-env-staging');
  await expect(pipeline.getByTestId('pipeline-env-production')).toBeVisible();
  await expectRunning(development, second.name, changed);
  await expect(staging.getByText(first.name, { exact: true })).toBeVisible();
  await expect(staging.getByText('Healthy', { exact: true })).toBeVisible();
  await screenshotOf(cardOf(page, pipeline), 'delivery-pipeline');

  // Promote: the dialog shows the dry run's diff (staging's binding pinned to the second
  // release), nothing is written until confirmed; then staging runs it, healthy.
  await development.getByRole('button', { name: 'Promote to staging' }).click();
  await confirmDelivery(page, `Promote ${name} from development to staging`, `releaseName: ${second.name}`, 'Promote', 'promote-dialog');
  const promoted = head();
  expect(promoted).not.toBe(changed);
  await expectRunning(staging, second.name, promoted);

  // Roll back staging to the earlier release, chosen from the column's menu.
  await staging.getByRole('button', { name: /^Roll back staging/ }).click();
  await page.getByRole('menuitem', { name: new RegExp(first.name) }).click();
  await confirmDelivery(page, `Roll back ${name} in staging to ${first.name}`, `releaseName: ${first.name}`, 'Roll back');
  const rolledBack = head();
  expect(rolledBack).not.toBe(promoted);
  await expectRunning(staging, first.name, rolledBack);
  // Development keeps the newer release.
  await expect(development.getByText(second.name, { exact: true })).toBeVisible();
});
