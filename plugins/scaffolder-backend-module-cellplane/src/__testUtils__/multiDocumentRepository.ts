import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY, createBareRepository } from '@cellplane/backstage-plugin-node/testUtils';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rerenderWithRenderer } from '../write/rerender';

const PAYMENTS = 'namespaces/acme/projects/payments';
const STOREFRONT = 'namespaces/acme/projects/storefront';
const componentDir = (project: string, component: string) => `${project}/components/${component}`;

/** The multi-document files of the repository {@link multiDocumentRepository} makes. */
export const MULTI_DOCUMENT_FILES = {
  /** payments-api's Component and Workload, as OpenChoreo's samples keep a component. */
  paymentsApi: `${PAYMENTS}/payments-api.yaml`,
  /** payments-api's development, staging and production ReleaseBindings, after a comment. */
  paymentsApiBindings: `${PAYMENTS}/payments-api-bindings.yaml`,
  /** ledger-sync's Component, Workload and development ReleaseBinding, all in one file. */
  ledgerSync: `${PAYMENTS}/ledger-sync.yaml`,
  /**
   * notifications-ws's Component and Workload, which leave their namespace to the folder; its
   * development binding keeps a file of its own.
   */
  notificationsWs: `${STOREFRONT}/notifications-ws.yaml`,
} as const;

/** notifications-ws's development binding, which stays where the layout keeps it. */
export const NOTIFICATIONS_WS_BINDINGS = `${componentDir(STOREFRONT, 'notifications-ws')}/release-bindings`;

/**
 * The example organisation with some components laid out as OpenChoreo users keep them: several
 * `---` documents per file, with comments between and inside them (see MULTI_DOCUMENT_FILES),
 * as a bare repository under `root`. The rendered manifests are brought up to date in a second
 * commit (their header names the file each binding came from).
 */
export async function multiDocumentRepository(root: string): Promise<string> {
  const work = join(root, 'multi-document');
  cpSync(EXAMPLE_REPOSITORY, work, { recursive: true });
  // These tests are about files: production (which a claim binds too) publishes by commit here.
  const production = join(work, 'namespaces/acme/platform/infra/environments/production.yaml');
  writeFileSync(production, readFileSync(production, 'utf8').replace('cellplane.dev/publish: pull-request', 'cellplane.dev/publish: commit'));
  const take = (path: string) => {
    const text = readFileSync(join(work, path), 'utf8');
    rmSync(join(work, path));
    return text;
  };
  const write = (path: string, ...pieces: string[]) => writeFileSync(join(work, path), pieces.join(''));

  const paymentsApi = componentDir(PAYMENTS, 'payments-api');
  write(
    MULTI_DOCUMENT_FILES.paymentsApi,
    '# payments-api: the component and its workload, applied together.\n',
    take(`${paymentsApi}/component.yaml`),
    '\n---\n\n# The container, its endpoints and what it calls.\n',
    take(`${paymentsApi}/workload.yaml`),
  );
  write(
    MULTI_DOCUMENT_FILES.paymentsApiBindings,
    '# Where payments-api runs: one binding per environment of the standard pipeline.\n',
    '---\n',
    take(`${paymentsApi}/release-bindings/payments-api-development.yaml`),
    '---\n# Staging mirrors production at a smaller scale.\n',
    take(`${paymentsApi}/release-bindings/payments-api-staging.yaml`),
    '---\n',
    take(`${paymentsApi}/release-bindings/payments-api-production.yaml`),
  );

  const ledgerSync = componentDir(PAYMENTS, 'ledger-sync');
  write(
    MULTI_DOCUMENT_FILES.ledgerSync,
    take(`${ledgerSync}/component.yaml`),
    '---\n',
    take(`${ledgerSync}/workload.yaml`),
    '---\n# Development only, for now.\n',
    take(`${ledgerSync}/release-bindings/ledger-sync-development.yaml`),
  );

  // Under namespaces/acme/, a document may leave its namespace to the folder.
  const notificationsWs = componentDir(STOREFRONT, 'notifications-ws');
  const withoutNamespace = (text: string) => text.replace(/^ {2}namespace: acme\n/m, '');
  write(
    MULTI_DOCUMENT_FILES.notificationsWs,
    withoutNamespace(take(`${notificationsWs}/component.yaml`)),
    '---\n',
    withoutNamespace(take(`${notificationsWs}/workload.yaml`)),
  );

  const bare = createBareRepository(root, work);
  rmSync(work, { recursive: true, force: true });
  const repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(root, 'render-mirror') });
  const rerender = rerenderWithRenderer();
  await repository.commit({
    message: 'Render again: the bindings moved',
    author: { name: 'Test', email: 'test@acme.example' },
    changes: base => rerender(base, []),
  });
  return bare;
}
