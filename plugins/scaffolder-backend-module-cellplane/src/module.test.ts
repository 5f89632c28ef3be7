import { createServiceFactory } from '@backstage/backend-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { TestDatabaseId, mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitOpsRepositoryServiceRef } from '@cellplane/backstage-plugin-node';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { resolve } from 'node:path';
import request from 'supertest';
import { repositoryFixture } from './__testUtils__/repositoryFixture';
import { cellplaneTestDatabases, databasePerPlugin, databasesUnderTest } from '@cellplane/embedded-postgres';
import scaffolderModuleCellplane from './index';

const databases = cellplaneTestDatabases();
const USER = mockCredentials.user.header();
const WORKLOAD = 'namespaces/acme/projects/payments/components/refunds-api/workload.yaml';

/** What a developer fills in on the new-service form. */
const refundsApi = (values: Record<string, unknown> = {}) => ({
  project: 'system:acme/payments',
  name: 'refunds-api',
  image: 'ghcr.io/acme/refunds-api:1.0.0',
  port: 8080,
  publishMode: 'commit',
  ...values,
});

/**
 * The real scaffolder backend runs the "New Service" template through its task API with this
 * module's actions, against a real bare repository: what a developer does in "Create". The
 * template is the one the catalog module generates from the example's service ComponentType
 * (__fixtures__/new-service.template.json; that module's test keeps the copy current).
 */
describe('scaffolder backend with the Cellplane module', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  /** The scaffolder with the new-service template; its database (one per plugin) of `databaseId`, else the default. */
  async function startScaffolder(databaseId?: TestDatabaseId) {
    const template = JSON.parse(readFileSync(resolve(__dirname, '__fixtures__/new-service.template.json'), 'utf8'));
    const database = databaseId ? databasePerPlugin(databases, databaseId) : undefined;
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleCellplane,
        catalogServiceMock.factory({ entities: [template] }),
        createServiceFactory({ service: gitOpsRepositoryServiceRef, deps: {}, factory: () => fixture.repository }),
        mockServices.rootConfig.factory({ data: { backend: { baseUrl: 'http://localhost:7007' } } }),
        ...(database ? [database.factory] : []),
      ],
    });
    return { server, scaffolderDatabase: () => database!.clientOf('scaffolder') };
  }

  /** Creates a task as the portal does (POST /v2/tasks) and waits until it ended; returns it and its log. */
  async function runTask(server: Server, values: Record<string, unknown>) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', USER)
      .send({ templateRef: 'template:default/new-service', values });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    // Read as the task page reads it: the log, long-polled from the last event seen, until the
    // completion event. Each answer is what the database holds.
    const events: any[] = [];
    while (!events.some(e => e.type === 'completion')) {
      const after = events.length ? `?after=${events[events.length - 1].id}` : '';
      const page = await request(server).get(`/api/scaffolder/v2/tasks/${id}/events${after}`).set('Authorization', USER);
      expect(page.status).toBe(200);
      events.push(...page.body);
    }
    const task = (await request(server).get(`/api/scaffolder/v2/tasks/${id}`).set('Authorization', USER)).body;
    return { id, task, events, messages: events.map(e => String(e.body?.message ?? '')) };
  }

  // Without `visibility` (an API caller skips the form and its default), the endpoint gets the
  // default, project only, rather than failing on "undefined is not one of ...".
  it.each([
    ['namespace', /http:\n\s+type: HTTP\n\s+port: 8080\n\s+visibility:\n\s+- namespace/],
    [undefined, /http:\n\s+type: HTTP\n\s+port: 8080(?!\n\s+visibility)/],
  ])('creates a component from the new-service template (visibility %s): POST /api/scaffolder/v2/tasks → one commit', async (visibility, endpoint) => {
    const { server } = await startScaffolder();
    const before = fixture.commitCount();
    const { task, messages } = await runTask(server, refundsApi({ visibility }));
    if (task.status !== 'completed') throw new Error(`task ${task.status}: ${JSON.stringify(messages.filter(Boolean))}`);
    expect(fixture.commitCount()).toBe(before + 1);
    const files = fixture.filesOf(fixture.head());
    expect(files).toContain(WORKLOAD);
    expect(files).toContain('rendered/default/acme/development/payments/components/refunds-api.yaml');
    expect(fixture.show(WORKLOAD)).toMatch(endpoint);
  }, 60_000);

  it('runs its write-path tests on SQLite and on PostgreSQL', () => {
    expect(databasesUnderTest(databases)).toEqual({ postgresServer: true, ids: ['SQLITE_3', 'POSTGRES_18'] });
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it('a task lands one commit; its state, log and output are read back from the scaffolder API', async () => {
      const { server, scaffolderDatabase } = await startScaffolder(databaseId);
      const before = fixture.commitCount();
      const { id, task, events, messages } = await runTask(server, refundsApi({ visibility: 'namespace' }));
      if (task.status !== 'completed') throw new Error(`task ${task.status}: ${JSON.stringify(messages.filter(Boolean))}`);

      expect(fixture.commitCount()).toBe(before + 1);
      const head = fixture.head();
      expect(fixture.filesOf(head)).toContain(WORKLOAD);
      expect(task).toMatchObject({
        id,
        status: 'completed',
        createdBy: 'user:default/mock',
        spec: { parameters: { name: 'refunds-api' }, steps: [{ id: 'create', action: 'cellplane:component:create' }] },
      });
      // The log in the order it was written: the step begins, ends, then the task completes.
      // (A step's log lines carry no status, and one may be written after the step ended.)
      const stepStatuses = events.filter(e => e.body?.stepId === 'create' && e.body.status).map(e => e.body.status);
      expect(stepStatuses[0]).toBe('processing');
      expect(stepStatuses[stepStatuses.length - 1]).toBe('completed');
      expect(events.map(e => e.id)).toEqual([...events.map(e => e.id)].sort((a, b) => a - b));
      expect(events[events.length - 1]).toMatchObject({ type: 'completion', taskId: id });
      expect(events[events.length - 1].body.output.text).toEqual([
        expect.objectContaining({ title: 'Files in the commit', content: expect.stringContaining(WORKLOAD) }),
      ]);
      expect(messages).toContainEqual(expect.stringContaining(`Committed ${head} `));

      // The portal's task list ("Task list" page) reads the same row.
      const list = await request(server).get('/api/scaffolder/v2/tasks?createdBy=user:default/mock').set('Authorization', USER);
      expect(list.body.tasks.map((t: any) => [t.id, t.status])).toEqual([[id, 'completed']]);
      expect(list.body.totalTasks).toBe(1);
      // ...in the database of this run.
      const knex = await scaffolderDatabase();
      expect(knex.client.config.client).toBe(databaseId === 'POSTGRES_18' ? 'pg' : 'better-sqlite3');
      expect(await knex('tasks').where({ id }).select('status')).toEqual([{ status: 'completed' }]);
    }, 60_000);

    it('a task with bad input fails with the error naming the field, and commits nothing', async () => {
      const { server } = await startScaffolder(databaseId);
      const before = fixture.head();
      const { task, events, messages } = await runTask(server, refundsApi({ image: 'ghcr.io/Acme/Refunds:1' }));

      expect(task.status).toBe('failed');
      expect(fixture.head()).toBe(before);
      expect(events[events.length - 1]).toMatchObject({
        type: 'completion',
        body: { error: { message: expect.stringMatching(/^image has an invalid repository path component "Acme"/) } },
      });
      expect(messages).toContainEqual(expect.stringMatching(/image has an invalid repository path component "Acme"/));
      expect(events.filter(e => e.body?.stepId === 'create').pop().body.status).toBe('failed');
    }, 60_000);
  });
});
