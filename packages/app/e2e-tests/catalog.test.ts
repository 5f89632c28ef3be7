import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND, REPOSITORY, authHeaders } from './portal';

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@localhost', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@localhost' },
  });
}

/** Milliseconds until `check` holds, polling every 100 ms, or throws after `timeoutMs`. */
async function msUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`not true within ${timeoutMs} ms`);
}

/** Clones the portal's repository, lets `edit` change the clone, commits and pushes it. */
function pushChange(message: string, edit: (repo: string) => void) {
  const work = mkdtempSync(join(tmpdir(), 'cellplane-e2e-'));
  try {
    git(work, 'clone', '-q', REPOSITORY, 'repo');
    const repo = join(work, 'repo');
    edit(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', message);
    git(repo, 'push', '-q', 'origin', 'HEAD:main');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test('a broken reference pushed to the repository shows on the entity page, and the entity stays', async ({ page, request }) => {
  const name = `e2e-broken-${Date.now().toString(36)}`;
  const folder = `namespaces/acme/projects/storefront/components/${name}`;
  pushChange(`Add ${name} with a dependency on an endpoint that does not exist`, repo => {
    mkdirSync(join(repo, folder), { recursive: true });
    writeFileSync(
      join(repo, folder, 'component.yaml'),
      `apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata: { name: ${name}, namespace: acme }
spec:
  owner: { projectName: storefront }
  componentType: { kind: ClusterComponentType, name: deployment/service }
`,
    );
    writeFileSync(
      join(repo, folder, 'workload.yaml'),
      `apiVersion: openchoreo.dev/v1alpha1
kind: Workload
metadata: { name: ${name}, namespace: acme }
spec:
  owner: { projectName: storefront, componentName: ${name} }
  container: { image: ghcr.io/acme/${name}:1.0.0 }
  dependencies:
    endpoints:
      - { component: cart-api, name: soap, visibility: project, envBindings: { address: CART_URL } }
`,
    );
  });
  try {
    // The catalog needs a moment for the push: wait until it has the entity and its problems,
    // then open the page once and wait for it to draw, however long a busy machine takes.
    const headers = await authHeaders(request);
    await expect
      .poll(async () => {
        const response = await request.get(`${BACKEND}/api/catalog/entities/by-name/component/acme/${name}`, { headers });
        return response.ok() ? Boolean((await response.json()).metadata.annotations?.['cellplane.dev/problems']) : false;
      })
      .toBe(true);
    await page.goto('/');
    await page.getByRole('button', { name: 'Enter' }).click();
    // The sidebar's <nav> itself has no box of its own; its links do.
    await expect(page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();
    await page.goto(`/catalog/acme/component/${name}`);
    await expect(page.getByText('Problems in the GitOps repository')).toBeVisible();
    await expect(page.getByText(/Component cart-api has no endpoint "soap"/)).toBeVisible();
    await expect(page.getByText(`${folder}/workload.yaml`, { exact: false })).toBeVisible();
    if (process.env.SCREENSHOT_DIR) {
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/problems.png`, fullPage: true });
    }
    // Healthy entities carry no such card.
    await page.goto('/catalog/acme/component/web-shop');
    await expect(page.getByText('About').first()).toBeVisible();
    await expect(page.getByText('Problems in the GitOps repository')).toHaveCount(0);
  } finally {
    pushChange(`Remove ${name}`, repo => git(repo, 'rm', '-rq', folder));
  }
});

test('a component pushed to the GitOps repository reaches the catalog on the push, and leaves with it', async ({ request }) => {
  const headers = await authHeaders(request);
  // The portal must have published the seeded repository first.
  await msUntil(async () => (await request.get(`${BACKEND}/api/catalog/entities/by-name/component/acme/web-shop`, { headers })).ok(), 60_000);

  const name = `e2e-${Date.now().toString(36)}`;
  const work = mkdtempSync(join(tmpdir(), 'cellplane-e2e-'));
  try {
    git(work, 'clone', '-q', REPOSITORY, 'repo');
    const repo = join(work, 'repo');
    const dir = join(repo, 'namespaces/acme/projects/storefront/components', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'component.yaml'),
      `apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata:
  name: ${name}
  namespace: acme
  annotations:
    openchoreo.dev/description: Pushed by the end-to-end test
spec:
  owner: { projectName: storefront }
  componentType: { kind: ClusterComponentType, name: deployment/service }
`,
    );
    writeFileSync(
      join(dir, 'workload.yaml'),
      `apiVersion: openchoreo.dev/v1alpha1
kind: Workload
metadata: { name: ${name}, namespace: acme }
spec:
  owner: { projectName: storefront, componentName: ${name} }
  container: { image: ghcr.io/acme/${name}:1.0.0 }
  endpoints:
    http: { type: HTTP, port: 8080, visibility: [project] }
`,
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', `Add ${name}`);
    git(repo, 'push', '-q', 'origin', 'HEAD:main');

    const componentUrl = `${BACKEND}/api/catalog/entities/by-name/component/acme/${name}`;
    // How fast is bench:catalog's figure (change visible, docs/benchmarks.md), measured on a
    // quiet machine; a timed assertion here would only measure how busy the test machine is.
    const visibleAfter = await msUntil(async () => (await request.get(componentUrl, { headers })).ok(), 60_000);
    test.info().annotations.push({ type: 'visible after push', description: `${visibleAfter} ms` });
    const entity = await (await request.get(componentUrl, { headers })).json();
    expect(entity.spec).toMatchObject({ type: 'service', system: 'storefront', providesApis: [`api:acme/${name}-http`] });

    git(repo, 'rm', '-rq', dir);
    git(repo, 'commit', '-qm', `Remove ${name}`);
    git(repo, 'push', '-q', 'origin', 'HEAD:main');
    const goneAfter = await msUntil(async () => (await request.get(componentUrl, { headers })).status() === 404, 60_000);
    test.info().annotations.push({ type: 'gone after push', description: `${goneAfter} ms` });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
