import { APIRequestContext, Locator, Page, expect } from '@playwright/test';

/**
 * The portal under test: the production backend, serving the built app and the API on one port of
 * its own (started by playwright.config.ts).
 */
export const BACKEND = `http://localhost:${process.env.CELLPLANE_E2E_BACKEND_PORT ?? '7107'}`;

/**
 * The GitOps repository of the portal under test: a bare repository in a temporary folder that
 * playwright.config.ts creates, never the developer's own .cellplane/gitops.git.
 */
export const REPOSITORY = process.env.CELLPLANE_E2E_REPOSITORY!;

/** A guest's Backstage token: what the browser holds after "Enter". */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const body = await (await request.get(`${BACKEND}/api/auth/guest/refresh`)).json();
  return body.backstageIdentity.token;
}

export async function authHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await guestToken(request)}` };
}

/** Signs in as the guest, as a developer does on the portal's first page, and waits for the sidebar. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // The sidebar's <nav> itself has no box of its own; its links do.
  await expect(page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();
}

/** Starts a template as a task through the scaffolder API, as the Create page does; returns the task's id. */
export async function startTemplate(request: APIRequestContext, templateRef: string, values: Record<string, unknown>): Promise<string> {
  const headers = await authHeaders(request);
  const created = await request.post(`${BACKEND}/api/scaffolder/v2/tasks`, { headers, data: { templateRef, values } });
  expect(created.status()).toBe(201);
  return (await created.json()).id;
}

/**
 * Runs a template through the scaffolder API, as the Create page does, and waits for the task to
 * finish; returns the task's id. A failed task fails the test with the task's last log lines.
 */
export async function runTemplate(
  request: APIRequestContext,
  templateRef: string,
  values: Record<string, unknown>,
): Promise<string> {
  const headers = await authHeaders(request);
  const id = await startTemplate(request, templateRef, values);
  let status = '';
  await expect
    .poll(
      async () => {
        status = (await (await request.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}`, { headers })).json()).status;
        return status;
      },
      { timeout: 60_000 },
    )
    .toMatch(/completed|failed/);
  if (status !== 'completed') {
    const events = await (await request.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}/events`, { headers })).json();
    throw new Error(`task ${status}: ${JSON.stringify(events.slice(-5))}`);
  }
  return id;
}

/**
 * `SCREENSHOT_DIR=docs/screenshots yarn test:e2e` refreshes the pictures in README.md; without it,
 * nothing is written.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png`, fullPage: options.fullPage ?? false });
  }
}

/** The picture of one element (a card, say), under the same rule as {@link screenshot}. */
export async function screenshotOf(element: Locator, name: string): Promise<void> {
  if (process.env.SCREENSHOT_DIR) {
    await element.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png` });
  }
}

/** The Backstage card (InfoCard) around an element: for pictures of one card. */
export function cardOf(page: Page, element: Locator): Locator {
  return page.locator('.MuiCard-root', { has: element });
}
