import { test, expect, APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The portal's own on-disk GitOps repository (the zero-setup default).
const REPOSITORY = resolve(__dirname, '../../../.cellplane/gitops.git');
const BACKEND = 'http://localhost:7007';

async function token(request: APIRequestContext): Promise<string> {
  const body = await (await request.get(`${BACKEND}/api/auth/guest/refresh`)).json();
  return body.backstageIdentity.token;
}

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

test('a component pushed to the GitOps repository is in the catalog within 5 s, and leaves with it', async ({ request }) => {
  const headers = { Authorization: `Bearer ${await token(request)}` };
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
    const visibleAfter = await msUntil(async () => (await request.get(componentUrl, { headers })).ok(), 15_000);
    console.log(`component visible in the catalog ${visibleAfter} ms after the push`);
    expect(visibleAfter).toBeLessThanOrEqual(5_000);
    const entity = await (await request.get(componentUrl, { headers })).json();
    expect(entity.spec).toMatchObject({ type: 'service', system: 'storefront', providesApis: [`api:acme/${name}-http`] });

    git(repo, 'rm', '-rq', dir);
    git(repo, 'commit', '-qm', `Remove ${name}`);
    git(repo, 'push', '-q', 'origin', 'HEAD:main');
    const goneAfter = await msUntil(async () => (await request.get(componentUrl, { headers })).status() === 404, 15_000);
    console.log(`component gone from the catalog ${goneAfter} ms after the push`);
    expect(goneAfter).toBeLessThanOrEqual(5_000);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
