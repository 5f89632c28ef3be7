import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** Playwright's global teardown: the portal under test leaves no repository or mirror behind. */
export default function removeRepository() {
  const repository = process.env.CELLPLANE_E2E_REPOSITORY;
  if (repository) rmSync(dirname(repository), { recursive: true, force: true });
}
