import { AppConfig, JsonObject } from '@backstage/config';
import { ConfigSchema, loadConfig, loadConfigSchema, readEnvConfig } from '@backstage/config-loader';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/*
 * Every way of running the portal merges app-config files; each merge must match the config
 * schema assembled from the app's and the backend's packages (their config.d.ts and
 * config.schema.json files). The built app carries that schema (packages/app/dist/
 * .config-schema.json) and @backstage/plugin-app-backend validates the whole config against it
 * when the backend serves the app: a mismatch stops the production backend at start ("Invalid
 * app bundle schema"), while `yarn start` (the dev server) never looks. This test checks it
 * without a build, the way the app build assembles the schema (loadConfigSchema over the
 * packages and the root package.json) and the way the app backend applies it (schema.process).
 */

const ROOT = resolve(__dirname, '../../../..');

// Stand-ins for what app-config.production.yaml reads from the environment in a deployment.
const DEPLOYMENT_ENV = { POSTGRES_HOST: 'postgres', POSTGRES_PORT: '5432', POSTGRES_USER: 'backstage', POSTGRES_PASSWORD: 'secret' };
// What playwright.config.ts gives the portal under test.
const BROWSER_TEST_ENV = {
  APP_CONFIG_app_baseUrl: 'http://localhost:7107',
  APP_CONFIG_backend_baseUrl: 'http://localhost:7107',
  APP_CONFIG_backend_listen_port: '7107',
  APP_CONFIG_backend_cors_origin: 'http://localhost:7107',
  APP_CONFIG_cellplane_gitops_url: '/tmp/cellplane-e2e-x/gitops.git',
  APP_CONFIG_cellplane_gitops_seedFrom: 'examples/gitops',
  APP_CONFIG_cellplane_gitops_cacheDir: '/tmp/cellplane-e2e-x/mirror',
};

const SETUPS: Array<{ name: string; files: string[]; env?: Record<string, string> }> = [
  { name: '`yarn start` (development)', files: ['app-config.yaml'] },
  { name: 'the image (the Dockerfile CMD)', files: ['app-config.yaml', 'app-config.production.yaml'], env: DEPLOYMENT_ENV },
  {
    name: '`yarn start:production` and the browser tests',
    files: ['app-config.yaml', 'app-config.production.yaml', 'app-config.production-local.yaml'],
    env: BROWSER_TEST_ENV,
  },
];

// Any other app-config.*.yaml in the repository (an overlay such as app-config.postgres.yaml) is
// read over app-config.yaml; personal *.local.yaml files are not the repository's.
const covered = new Set(SETUPS.flatMap(s => s.files));
for (const file of readdirSync(ROOT).filter(f => /^app-config\..+\.yaml$/.test(f) && !f.endsWith('.local.yaml'))) {
  if (!covered.has(file)) SETUPS.push({ name: `app-config.yaml with ${file}`, files: ['app-config.yaml', file], env: DEPLOYMENT_ENV });
}

async function readConfigs(files: string[], env: Record<string, string> = {}): Promise<AppConfig[]> {
  const { appConfigs } = await loadConfig({
    configRoot: ROOT,
    configTargets: files.map(file => ({ path: join(ROOT, file) })),
    experimentalEnvFunc: async name => ({ ...DEPLOYMENT_ENV, ...env } as Record<string, string | undefined>)[name],
  });
  return [...appConfigs, ...readEnvConfig(env)];
}

describe('the app-config files and the assembled config schema', () => {
  let schema: ConfigSchema;

  beforeAll(async () => {
    // What `backstage-cli package build` collects for packages/app (plus the backend's packages).
    schema = await loadConfigSchema({ dependencies: ['app', 'backend'], packagePaths: [join(ROOT, 'package.json')] });
  }, 180_000);

  it.each(SETUPS)('$name matches the schema, as the app backend checks it', async ({ files, env }) => {
    for (const file of files) expect(existsSync(join(ROOT, file))).toBe(true);
    const configs = await readConfigs(files, env);
    // All of it (what the backend reads), and what the app backend injects into the app.
    expect(() => schema.process(configs)).not.toThrow();
    expect(() => schema.process(configs, { visibility: ['frontend'], withDeprecatedKeys: true })).not.toThrow();
  });

  it('catches a config the built app would refuse', async () => {
    // app-config.yaml before it listed kubernetes.clusterLocatorMethods: the production backend
    // stopped with "Config must have required property 'clusterLocatorMethods' at /kubernetes".
    const configs = await readConfigs(['app-config.yaml']);
    const broken: AppConfig[] = configs.map(c => {
      const kubernetes = c.data.kubernetes as JsonObject | undefined;
      if (!kubernetes) return c;
      const { clusterLocatorMethods: _dropped, ...rest } = kubernetes;
      return { ...c, data: { ...c.data, kubernetes: rest } };
    });
    expect(() => schema.process(broken)).toThrow(/clusterLocatorMethods/);
  });
});
