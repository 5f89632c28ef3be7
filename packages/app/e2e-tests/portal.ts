import { APIRequestContext, expect } from '@playwright/test';
import { resolve } from 'node:path';

/** The running portal's backend, as `yarn start` serves it. */
export const BACKEND = 'http://localhost:7007';

/** The portal's own on-disk GitOps repository (the zero-setup default). */
export const REPOSITORY = resolve(__dirname, '../../../.cellplane/gitops.git');

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
