import { APIRequestContext, expect } from '@playwright/test';

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

/**
 * Runs a template through the scaffolder API, as the Create page does, and waits for the task to
 * finish. A failed task fails the test with the task's last log lines.
 */
export async function runTemplate(
  request: APIRequestContext,
  templateRef: string,
  values: Record<string, unknown>,
): Promise<void> {
  const headers = await authHeaders(request);
  const created = await request.post(`${BACKEND}/api/scaffolder/v2/tasks`, { headers, data: { templateRef, values } });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
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
}
