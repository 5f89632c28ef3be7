import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY, createBareRepository, git } from '@cellplane/backstage-plugin-node/testUtils';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rerenderWithRenderer } from '../write/rerender';
import { CellplaneActionOptions } from '../write/writeChange';

let seeded: { root: string; bare: string } | undefined;

// Jest evaluates this module once per test file, and its workers never emit 'exit' for a file:
// the file's own afterAll removes the seed it made.
afterAll(() => {
  if (seeded) rmSync(seeded.root, { recursive: true, force: true });
  seeded = undefined;
});

/** The example organisation as a bare repository, made once per test file and copied per test. */
function seededBareRepository(): string {
  if (!seeded) {
    const root = mkdtempSync(join(tmpdir(), 'cellplane-scaffolder-seed-'));
    seeded = { root, bare: createBareRepository(root, EXAMPLE_REPOSITORY) };
  }
  return seeded.bare;
}

/**
 * A real bare repository seeded with the example organisation, a GitOpsRepository writing to
 * it, and the services an action needs. Mocks only at the edges: permissions and events.
 */
export function repositoryFixture(start: { from?: string } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'cellplane-scaffolder-'));
  const bare = join(root, 'gitops.git');
  // `from`: another fixture's bare repository, to start many tests from one prepared state
  cpSync(start.from ?? seededBareRepository(), bare, { recursive: true });

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
