import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Playwright's global teardown: the portal under test leaves no repository, mirror or production
 * folder behind. It runs before Playwright stops the portal, which may still be writing there:
 * retried as Node retries a folder that is not empty yet.
 */
export default function removeRepository() {
  const repository = process.env.CELLPLANE_E2E_REPOSITORY;
  if (repository) rmSync(dirname(repository), { recursive: true, force: true, maxRetries: 5 });
}
