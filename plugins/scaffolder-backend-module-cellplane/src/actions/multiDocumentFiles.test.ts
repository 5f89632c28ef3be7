import { formatProblem } from '@cellplane/backstage-plugin-common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MULTI_DOCUMENT_FILES, multiDocumentRepository, NOTIFICATIONS_WS_BINDINGS } from '../__testUtils__/multiDocumentRepository';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createResourceClaimAction } from './claimResource';
import { createComponentCreateAction } from './createComponent';
import { createDependencyAddAction } from './addDependency';
import { createEndpointAddAction } from './addEndpoint';
import { createEnvironmentOverrideAction } from './overrideEnvironment';
import { createComponentPromoteAction } from './promoteComponent';
import { createComponentRollbackAction } from './rollbackComponent';

/**
 * Issue #16, defect 8: a repository laid out as OpenChoreo publishes its samples keeps several
 * resources per file (`---`), with comments. Every write that touches a Component, Workload or
 * ReleaseBinding living there edits its document in place: the committed file keeps the other
 * documents byte for byte, the edited document keeps its comments and key order, and the model
 * reads back with no new problem. (Before, each of these writes was refused: "lives in … with
 * other documents; move it to a file of its own".)
 */

/** A file's documents as text, cut before each `---` line: the test's own reading of the file. */
const documentsOf = (text: string) => text.split(/^(?=---(?:[ \t]|$))/m);
const commentsOf = (text: string) => text.split('\n').filter(line => /^\s*#/.test(line));
const keysOf = (text: string) => [...text.matchAll(/^\s*(?:- )?([A-Za-z0-9_./-]+):(?=\s|$)/gm)].map(match => match[1]);
const isSubsequence = (short: string[], long: string[]) => {
  let next = 0;
  for (const item of long) if (item === short[next]) next += 1;
  return next === short.length;
};

/**
 * The documents of `after` are those of `before`, byte for byte, but the `edited` ones (which
 * keep their comments, and their keys in order) and `added` new ones at the end.
 */
function expectEditedInPlace(before: string, after: string, edited: number[], added = 0) {
  const old = documentsOf(before);
  const now = documentsOf(after);
  expect(now).toHaveLength(old.length + added);
  old.forEach((text, index) => {
    if (edited.includes(index)) {
      expect(now[index]).not.toBe(text);
      expect(commentsOf(now[index])).toEqual(commentsOf(text));
      expect(isSubsequence(keysOf(text), keysOf(now[index]))).toBe(true);
    } else {
      expect(now[index]).toBe(text);
    }
  });
}

describe('writes into multi-document files (OpenChoreo layout)', () => {
  let root: string;
  let template: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cellplane-multi-document-'));
    template = await multiDocumentRepository(root);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let fixture: ReturnType<typeof repositoryFixture>;
  let problemsBefore: string[];
  const problems = async () =>
    (await fixture.repository.model()).problems.map(problem => formatProblem({ ...problem, line: undefined })).sort();
  beforeEach(async () => {
    fixture = repositoryFixture({ from: template });
    problemsBefore = await problems();
  });
  afterEach(() => fixture.cleanup());
  /** A file at the head, byte for byte (fixture.show trims it). */
  const read = (path: string) => execFileSync('git', ['show', `main:${path}`], { cwd: fixture.bare, encoding: 'utf8' });

  /** The files at the head before an action, to compare after it. */
  const snapshot = () => Object.fromEntries(Object.values(MULTI_DOCUMENT_FILES).map(path => [path, read(path)]));
  const releaseOf = (bindingsFile: string, document: number) =>
    /releaseName: (\S+)/.exec(documentsOf(read(bindingsFile))[document])?.[1];

  it('cellplane:endpoint:add edits the Workload and the autoDeploy binding, each in its document', async () => {
    const before = snapshot();
    const ctx = actionContext({ namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } });
    await createEndpointAddAction(fixture.options).handler(ctx);

    expectEditedInPlace(before[MULTI_DOCUMENT_FILES.paymentsApi], read(MULTI_DOCUMENT_FILES.paymentsApi), [1]);
    expect(documentsOf(read(MULTI_DOCUMENT_FILES.paymentsApi))[1]).toMatch(/admin:\n\s+type: HTTP\n\s+port: 9000\n/);
    // the bindings file: a comment, then development (the first environment), staging, production
    expectEditedInPlace(before[MULTI_DOCUMENT_FILES.paymentsApiBindings], read(MULTI_DOCUMENT_FILES.paymentsApiBindings), [1]);
    const release = releaseOf(MULTI_DOCUMENT_FILES.paymentsApiBindings, 1);
    expect(fixture.filesOf(ctx.outputs.commitSha)).toEqual(
      expect.arrayContaining([
        MULTI_DOCUMENT_FILES.paymentsApi,
        MULTI_DOCUMENT_FILES.paymentsApiBindings,
        `namespaces/acme/projects/payments/releases/${release}.yaml`,
      ]),
    );
    const model = await fixture.repository.model();
    expect(model.workload('acme', 'payments-api')?.resource.spec.endpoints?.admin).toEqual({ type: 'HTTP', port: 9000 });
    expect(model.workload('acme', 'payments-api')?.file).toBe(MULTI_DOCUMENT_FILES.paymentsApi);
    expect(await problems()).toEqual(problemsBefore);
  });

  it('cellplane:endpoint:add keeps a document that leaves its namespace to its folder that way', async () => {
    const before = read(MULTI_DOCUMENT_FILES.notificationsWs);
    await createEndpointAddAction(fixture.options).handler(
      actionContext({ namespace: 'acme', component: 'notifications-ws', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } }),
    );
    const after = read(MULTI_DOCUMENT_FILES.notificationsWs);
    expectEditedInPlace(before, after, [1]);
    expect(after).not.toContain('namespace:');
    const model = await fixture.repository.model();
    expect(model.workload('acme', 'notifications-ws')?.resource.spec.endpoints?.admin).toEqual({ type: 'HTTP', port: 9000 });
    expect(await problems()).toEqual(problemsBefore);
  });

  it('cellplane:dependency:add edits a file holding Component, Workload and binding together', async () => {
    const before = read(MULTI_DOCUMENT_FILES.ledgerSync);
    await createDependencyAddAction(fixture.options).handler(
      actionContext({
        namespace: 'acme',
        component: 'ledger-sync',
        dependsOn: { component: 'fraud-detector', endpoint: 'grpc' },
        envBindings: { address: 'FRAUD_DETECTOR_ADDRESS' },
      }),
    );
    const after = read(MULTI_DOCUMENT_FILES.ledgerSync);
    expectEditedInPlace(before, after, [1, 2]); // the Workload, and the development binding's release
    expect(documentsOf(after)[1]).toContain('address: FRAUD_DETECTOR_ADDRESS');
    expect(await problems()).toEqual(problemsBefore);
  });

  it('cellplane:environment:override edits the development binding only: production, beside it, is not changed', async () => {
    const before = read(MULTI_DOCUMENT_FILES.paymentsApiBindings);
    const permissions = fixture.denying('cellplane.component.promote.production');
    const ctx = actionContext({
      namespace: 'acme',
      component: 'payments-api',
      environment: 'development',
      env: [{ key: 'FEATURE_REFUNDS', value: 'on' }],
    });
    await createEnvironmentOverrideAction({ ...fixture.options, permissions }).handler(ctx);
    expectEditedInPlace(before, read(MULTI_DOCUMENT_FILES.paymentsApiBindings), [1]);
    expect(documentsOf(read(MULTI_DOCUMENT_FILES.paymentsApiBindings))[1]).toMatch(/- key: FEATURE_REFUNDS\n\s+value: "?on"?\n/);
    expect(ctx.outputs.productionEnvironments).toBeUndefined();
    expect(await problems()).toEqual(problemsBefore);
  });

  it('cellplane:environment:override adds a new binding to the file that keeps the component together', async () => {
    const before = read(MULTI_DOCUMENT_FILES.ledgerSync);
    const ctx = actionContext({
      namespace: 'acme',
      component: 'ledger-sync',
      environment: 'staging',
      componentTypeEnvironmentConfigs: { schedule: '0 3 * * *' },
    });
    await createEnvironmentOverrideAction(fixture.options).handler(ctx);
    const after = read(MULTI_DOCUMENT_FILES.ledgerSync);
    expectEditedInPlace(before, after, [], 1);
    expect(documentsOf(after)[3]).toMatch(/^---\nkind: ReleaseBinding|^---\napiVersion: openchoreo.dev\/v1alpha1\nkind: ReleaseBinding/);
    const model = await fixture.repository.model();
    const staging = model.releaseBindings('acme', 'ledger-sync').find(entry => entry.resource.spec.environment === 'staging');
    expect(staging?.file).toBe(MULTI_DOCUMENT_FILES.ledgerSync);
    expect(await problems()).toEqual(problemsBefore);
  });

  it("cellplane:environment:override puts a component's new binding beside its other bindings' files", async () => {
    const before = read(MULTI_DOCUMENT_FILES.notificationsWs);
    const ctx = actionContext({ namespace: 'acme', component: 'notifications-ws', environment: 'staging', componentTypeEnvironmentConfigs: { replicas: 2 } });
    await createEnvironmentOverrideAction(fixture.options).handler(ctx);
    expect(fixture.filesOf(ctx.outputs.commitSha)).toContain(`${NOTIFICATIONS_WS_BINDINGS}/notifications-ws-staging.yaml`);
    expect(read(MULTI_DOCUMENT_FILES.notificationsWs)).toBe(before);
    expect(await problems()).toEqual(problemsBefore);
  });

  it('cellplane:component:promote and cellplane:component:rollback edit one binding of a shared file each', async () => {
    const bindings = MULTI_DOCUMENT_FILES.paymentsApiBindings;
    const addEndpoint = createEndpointAddAction(fixture.options);
    await addEndpoint.handler(actionContext({ namespace: 'acme', component: 'payments-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } }));
    const firstRelease = releaseOf(bindings, 1)!;

    let before = read(bindings);
    await createComponentPromoteAction(fixture.options).handler(actionContext({ namespace: 'acme', component: 'payments-api', to: 'staging' }));
    expectEditedInPlace(before, read(bindings), [2]);
    expect(releaseOf(bindings, 2)).toBe(firstRelease);

    await addEndpoint.handler(actionContext({ namespace: 'acme', component: 'payments-api', name: 'metrics', endpoint: { type: 'HTTP', port: 9100 } }));
    expect(releaseOf(bindings, 1)).not.toBe(firstRelease);
    before = read(bindings);
    await createComponentRollbackAction(fixture.options).handler(
      actionContext({ namespace: 'acme', component: 'payments-api', environment: 'development', release: firstRelease }),
    );
    expectEditedInPlace(before, read(bindings), [1]);
    expect(releaseOf(bindings, 1)).toBe(firstRelease);
    expect(await problems()).toEqual(problemsBefore);
  });

  it('cellplane:resource:claim wires the resource into a Workload that shares its file', async () => {
    const before = read(MULTI_DOCUMENT_FILES.paymentsApi);
    const ctx = actionContext({
      namespace: 'acme',
      project: 'payments',
      name: 'payments-cache',
      resourceType: 'postgres',
      parameters: { version: '16', database: 'cache', username: 'cache_app' },
      consumer: { component: 'payments-api', envBindings: { host: 'CACHE_DB_HOST' } },
    });
    await createResourceClaimAction(fixture.options).handler(ctx);
    expectEditedInPlace(before, read(MULTI_DOCUMENT_FILES.paymentsApi), [1]);
    expect(documentsOf(read(MULTI_DOCUMENT_FILES.paymentsApi))[1]).toMatch(/- ref: payments-cache\n\s+envBindings:\n\s+host: CACHE_DB_HOST\n/);
    expect(fixture.filesOf(ctx.outputs.commitSha)).toContain('namespaces/acme/projects/payments/resources/payments-cache/resource.yaml');
    expect(await problems()).toEqual(problemsBefore);
  });

  it('cellplane:component:create leaves the multi-document files alone, and running it again changes nothing', async () => {
    const before = snapshot();
    const input = {
      namespace: 'acme',
      project: 'payments',
      name: 'refunds-api',
      componentType: 'deployment/service',
      image: 'ghcr.io/acme/refunds-api:1.0.0',
      endpoints: { rest: { type: 'HTTP', port: 8080 } },
    };
    await createComponentCreateAction(fixture.options).handler(actionContext(input));
    expect(snapshot()).toEqual(before);
    expect(read('namespaces/acme/projects/payments/components/refunds-api/component.yaml')).toContain('name: refunds-api');
    const head = fixture.head();
    await createComponentCreateAction(fixture.options).handler(actionContext(input));
    expect(fixture.head()).toBe(head);
    expect(await problems()).toEqual(problemsBefore);
  });

  it('a dry run shows the edit of one document as a diff of its lines', async () => {
    const ctx = actionContext(
      { namespace: 'acme', component: 'payments-api', environment: 'staging', componentTypeEnvironmentConfigs: { replicas: 3 } },
      { isDryRun: true },
    );
    const head = fixture.head();
    await createEnvironmentOverrideAction(fixture.options).handler(ctx);
    expect(fixture.head()).toBe(head);
    const diff: string = ctx.outputs.diff;
    const file = MULTI_DOCUMENT_FILES.paymentsApiBindings;
    const section = diff.split(/^(?=diff --git )/m).find(part => part.startsWith(`diff --git a/${file} b/${file}`));
    const changedLines = section?.split('\n').filter(line => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
    expect(changedLines).toEqual(['-    replicas: 2', '+    replicas: 3']);
  });
});
