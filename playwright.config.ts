import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/*
 * The portal under test is a portal of its own: its own port (so a portal the developer keeps
 * running on :3000/:7007 is neither reused nor disturbed) and its own GitOps repository in a
 * temporary folder, seeded from examples/gitops, so the tests never write into the developer's
 * .cellplane/gitops.git. Set once here; Playwright's workers inherit the environment and read
 * the same values (packages/app/e2e-tests/portal.ts).
 */
process.env.CELLPLANE_E2E_BACKEND_PORT ??= '7107';
process.env.CELLPLANE_E2E_REPOSITORY ??= join(mkdtempSync(join(tmpdir(), 'cellplane-e2e-')), 'gitops.git');
const backend = `http://localhost:${process.env.CELLPLANE_E2E_BACKEND_PORT}`;
const scratch = dirname(process.env.CELLPLANE_E2E_REPOSITORY);

/*
 * The pull-request portal (packages/app/e2e-tests/pullRequestPortal.mjs): a second portal whose
 * GitOps repository is "on GitHub" (https://github.com/acme/gitops.git, which its own git config
 * rewrites to a bare repository in the same temporary folder), with Backstage's GitHub integration
 * pointed at a local stand-in of GitHub's API (fakeGitHost.ts) on a port of its own. The example's
 * production environment publishes by pull request; only this portal can open one.
 */
process.env.CELLPLANE_E2E_PR_BACKEND_PORT ??= '7108';
process.env.CELLPLANE_E2E_GIT_HOST_PORT ??= '7190';
process.env.CELLPLANE_E2E_PR_REPOSITORY ??= join(scratch, 'pr-gitops.git');
const pullRequestBackend = `http://localhost:${process.env.CELLPLANE_E2E_PR_BACKEND_PORT}`;
const gitHost = `http://127.0.0.1:${process.env.CELLPLANE_E2E_GIT_HOST_PORT}`;

/*
 * CELLPLANE_E2E_NO_BUILD=1 runs the build there is, even when older than the sources (start.mjs
 * says so): for iterating on the tests while the sources change under them. The full run builds.
 */
const build = process.env.CELLPLANE_E2E_NO_BUILD ? '' : ' --build';

/**
 * Browser tests run against the production build, which is what users run: one backend serving
 * the built app and the API on the port above, started as the image starts it
 * (scripts/production/start.mjs: packages/backend/Dockerfile's CMD with app-config.yaml,
 * app-config.production.yaml and app-config.production-local.yaml, which signs in guests), in
 * Debian's Chromium; no Playwright-managed browser is downloaded. `--build` builds first when
 * the build is missing or older than the sources (`yarn tsc`, `yarn build:all`).
 */
export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 60_000 },

  webServer: [
    {
      command: `node scripts/production/start.mjs${build} --dir ${JSON.stringify(join(scratch, 'production'))}`,
      url: `${backend}/.backstage/health/v1/readiness`,
      reuseExistingServer: false,
      // A build from scratch (type declarations, every package, the app) and the start.
      timeout: 600_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        ...(process.env as Record<string, string>),
        APP_CONFIG_app_baseUrl: backend,
        APP_CONFIG_backend_baseUrl: backend,
        APP_CONFIG_backend_listen_port: process.env.CELLPLANE_E2E_BACKEND_PORT!,
        APP_CONFIG_backend_cors_origin: backend,
        APP_CONFIG_cellplane_gitops_url: process.env.CELLPLANE_E2E_REPOSITORY!,
        APP_CONFIG_cellplane_gitops_seedFrom: 'examples/gitops',
        APP_CONFIG_cellplane_gitops_cacheDir: join(scratch, 'mirror'),
      },
    },
    {
      // Started after the portal above is ready (Playwright starts its web servers in order).
      command: 'node --import tsx packages/app/e2e-tests/fakeGitHost.ts',
      url: `${gitHost}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The build is the one the first portal made (or found up to date).
      command: 'node packages/app/e2e-tests/pullRequestPortal.mjs',
      url: `${pullRequestBackend}/.backstage/health/v1/readiness`,
      reuseExistingServer: false,
      timeout: 300_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        ...(process.env as Record<string, string>),
        APP_CONFIG_app_baseUrl: pullRequestBackend,
        APP_CONFIG_backend_baseUrl: pullRequestBackend,
        APP_CONFIG_backend_listen_port: process.env.CELLPLANE_E2E_PR_BACKEND_PORT!,
        APP_CONFIG_backend_cors_origin: pullRequestBackend,
        APP_CONFIG_cellplane_gitops_url: 'https://github.com/acme/gitops.git',
        APP_CONFIG_cellplane_gitops_cacheDir: join(scratch, 'pr-mirror'),
        APP_CONFIG_integrations_github: JSON.stringify([{ host: 'github.com', token: 'ghp_fake_token', apiBaseUrl: gitHost }]),
        // The guest signs in as the catalog's user:default/guest, a member of team-platform, who
        // may change production (the example policy): the production promotion is theirs to open.
        APP_CONFIG_auth_providers_guest_userEntityRef: 'user:default/guest',
      },
    },
  ],

  globalTeardown: './packages/app/e2e-tests/removeRepository.ts',
  // The same from a terminal as in CI: no test.only slips through, and no retry hides a flaky test.
  forbidOnly: true,
  retries: 0,
  workers: 1,

  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],

  use: {
    actionTimeout: 30_000,
    baseURL: backend,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },

  outputDir: 'node_modules/.cache/e2e-test-results',
  projects: [{ name: 'app', testDir: 'packages/app/e2e-tests' }],
});
