import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY, createBareRepository, git } from '@cellplane/backstage-plugin-node/testUtils';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rerenderWithRenderer } from '../write/rerender';
import { CellplaneActionOptions } from '../write/writeChange';

let seeded: { root: string; bare: string } | undefined;
let seededByCommit: { root: string; bare: string } | undefined;

// Jest evaluates this module once per test file, and its workers never emit 'exit' for a file:
// the file's own afterAll removes the seed it made.
afterAll(() => {
  if (seeded) rmSync(seeded.root, { recursive: true, force: true });
  if (seededByCommit) rmSync(seededByCommit.root, { recursive: true, force: true });
  seeded = undefined;
  seededByCommit = undefined;
});

/** The example organisation as a bare repository, made once per test file and copied per test. */
function seededBareRepository(): string {
  if (!seeded) {
    const root = mkdtempSync(join(tmpdir(), 'cellplane-scaffolder-seed-'));
    seeded = { root, bare: createBareRepository(root, EXAMPLE_REPOSITORY) };
  }
  return seeded.bare;
}

const PRODUCTION_ENVIRONMENT = 'namespaces/acme/platform/infra/environments/production.yaml';

/**
 * The example organisation with production publishing by commit (the example says
 * `cellplane.dev/publish: pull-request`, and a repository on disk has no host for pull
 * requests): for tests about something else that change production.
 */
function seededBareRepositoryPublishingByCommit(): string {
  if (!seededByCommit) {
    const root = mkdtempSync(join(tmpdir(), 'cellplane-scaffolder-seed-'));
    const tree = join(root, 'tree');
    cpSync(EXAMPLE_REPOSITORY, tree, { recursive: true });
    const file = join(tree, PRODUCTION_ENVIRONMENT);
    writeFileSync(file, readFileSync(file, 'utf8').replace('cellplane.dev/publish: pull-request', 'cellplane.dev/publish: commit'));
    seededByCommit = { root, bare: createBareRepository(root, tree) };
  }
  return seededByCommit.bare;
}

/**
 * A real bare repository seeded with the example organisation, a GitOpsRepository writing to
 * it, and the services an action needs. Mocks only at the edges: permissions and events.
 * `productionPublishes: 'commit'` starts from the example with production publishing by commit.
 */
export function repositoryFixture(start: { from?: string; productionPublishes?: 'commit' } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'cellplane-scaffolder-'));
  const bare = join(root, 'gitops.git');
  // `from`: another fixture's bare repository, to start many tests from one prepared state
  const seed = start.productionPublishes === 'commit' ? seededBareRepositoryPublishingByCommit() : seededBareRepository();
  cpSync(start.from ?? seed, bare, { recursive: true });

  const repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(root, 'mirror') });
  const events = { publish: jest.fn(async () => {}), subscribe: jest.fn(async () => {}) };
  const allow = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
  });
  const options: CellplaneActionOptions = { repository, permissions: allow, events, rerender: rerenderWithRenderer() };
  return {
    bare,
    repository,
    events,
    options,
    head: () => git(bare, 'rev-parse', 'main'),
    commitCount: () => Number(git(bare, 'rev-list', '--count', 'main')),
    filesOf: (commit: string) => git(bare, 'show', '--name-only', '--format=', commit).split('\n').filter(Boolean).sort(),
    show: (path: string) => git(bare, 'show', `main:${path}`),
    /** Permissions that deny the named permissions and allow the rest. */
    denying: (...names: string[]) =>
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result: names.includes((r as any).permission.name) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
          })) as any,
      }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** An action context for `input`, as a user of the example organisation runs it. */
export function actionContext<T extends Record<string, any>>(input: T, extra: { isDryRun?: boolean } = {}) {
  const ctx = createMockActionContext({
    input: input as any,
    user: { ref: 'user:default/ada', entity: { spec: { profile: { displayName: 'Ada Lovelace', email: 'ada@acme.example' } } } as any },
  });
  const outputs: Record<string, any> = {};
  return {
    ...ctx,
    ...extra,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    outputs,
  } as any;
}
