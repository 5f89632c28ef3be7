import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cardOf, screenshotOf, signIn } from './portal';

/**
 * Pull-request mode against the pull-request portal (playwright.config.ts): its GitOps repository
 * is "on GitHub", and Backstage's GitHub integration talks to a local stand-in of GitHub's API.
 * The example's production environment says `cellplane.dev/publish: pull-request`, so a promotion
 * to production opens a pull request, whose review is the approval, instead of committing.
 */

const PORTAL = `http://localhost:${process.env.CELLPLANE_E2E_PR_BACKEND_PORT ?? '7108'}`;
const REPOSITORY = process.env.CELLPLANE_E2E_PR_REPOSITORY!;
const head = () => execFileSync('git', ['rev-parse', 'main'], { cwd: REPOSITORY, encoding: 'utf8' }).trim();

// Wide enough for the pipeline's three columns beside the About card.
test.use({ baseURL: PORTAL, viewport: { width: 1600, height: 1000 } });

test('a promotion to production opens a pull request, and the pipeline shows it awaiting approval with its reviewers', async ({ page, request }) => {
  test.setTimeout(240_000);
  // The guest signs in as the catalog's user:default/guest (a member of team-platform, who may
  // change production): the catalog must hold that user before the sign-in.
  await expect
    .poll(async () => (await request.get(`${PORTAL}/api/auth/guest/refresh`)).json().then(body => body.backstageIdentity?.identity?.ownershipEntityRefs ?? []))
    .toContain('group:default/team-platform');
  await signIn(page);
  await page.goto('/catalog/acme/component/payments-api');
  const pipeline = page.getByTestId('delivery-pipeline');
  await expect(pipeline).toBeVisible();
  const staging = pipeline.getByTestId('pipeline-env-staging');
  const production = pipeline.getByTestId('pipeline-env-production');
  await expect(production.getByText('By pull request')).toBeVisible();
  const before = head();

  await staging.getByRole('button', { name: 'Open promotion PR to production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open a promotion pull request for payments-api from staging to production' });
  await expect(dialog.getByText(/Dry run: this is what would be written/)).toBeVisible();
  await expect(dialog).toContainText('payments-api-production.yaml');
  await dialog.getByRole('button', { name: 'Open promotion PR', exact: true }).click();
  await expect(dialog.getByText('Done.')).toBeVisible();
  const pullRequestLink = dialog.getByRole('link', { name: 'Pull request' });
  await expect(pullRequestLink).toHaveAttribute('href', /^https:\/\/github\.com\/acme\/gitops\/pull\/\d+$/);
  const url = (await pullRequestLink.getAttribute('href'))!;
  await dialog.getByRole('button', { name: 'Close' }).click();
  // Nothing reaches the branch until the pull request merges.
  expect(head()).toBe(before);

  // The pipeline asks the host for open pull requests (its answer is kept a few seconds), so the
  // page is read again until the production column shows the one just opened.
  const awaiting = production.getByRole('status').filter({ hasText: 'Awaiting approval' });
  await expect(async () => {
    await page.reload();
    await expect(awaiting).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await expect(awaiting.getByRole('link', { name: /^#\d+ / })).toHaveAttribute('href', url);
  await expect(awaiting).toContainText('reviewers: acme/team-platform');
  await screenshotOf(cardOf(page, pipeline), 'pull-request');
});
