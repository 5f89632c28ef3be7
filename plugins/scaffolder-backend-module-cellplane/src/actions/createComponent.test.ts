import { NotAllowedError } from '@backstage/errors';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createComponentCreateAction } from './createComponent';

const DIR = 'namespaces/acme/projects/payments/components/refunds-api';

const input = {
  namespace: 'acme',
  project: 'payments',
  name: 'refunds-api',
  componentType: 'deployment/service',
  image: 'ghcr.io/acme/refunds-api:1.0.0',
  parameters: { terminationGracePeriodSeconds: 30 },
  endpoints: { rest: { type: 'HTTP', port: 8080, visibility: ['namespace'] } },
};

describe('cellplane:component:create', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  it('commits the Component, Workload, first release and first-environment binding as one commit', async () => {
    const action = createComponentCreateAction(fixture.options);
    const ctx = actionContext(input);
    const before = fixture.commitCount();
    await action.handler(ctx);

    expect(fixture.commitCount()).toBe(before + 1);
    const sha = ctx.outputs.commitSha;
    expect(sha).toBe(fixture.head());
    const files = fixture.filesOf(sha);
    // The model files, and rendered/ brought up to date for them in the same commit.
    expect(files).toEqual([
      `${DIR}/component.yaml`,
      `${DIR}/release-bindings/refunds-api-development.yaml`,
      expect.stringMatching(new RegExp(`^${DIR}/releases/refunds-api-[0-9a-f]{10}\\.yaml$`)),
      `${DIR}/workload.yaml`,
      'rendered/default/acme/development/payments/components/refunds-api.yaml',
      'rendered/index.txt',
    ]);
    expect(fixture.show('rendered/default/acme/development/payments/components/refunds-api.yaml')).toContain(
      'image: ghcr.io/acme/refunds-api:1.0.0',
    );
    expect(ctx.outputs.changedFiles.sort()).toEqual(files);
    const release = files[2].replace(/^.*\/releases\/(.*)\.yaml$/, '$1');
    expect(fixture.show(`${DIR}/release-bindings/refunds-api-development.yaml`)).toContain(`releaseName: ${release}`);
    expect(fixture.show(`${DIR}/workload.yaml`)).toContain('image: ghcr.io/acme/refunds-api:1.0.0');
    // The Git history says who asked for it, and the catalog hears of the commit at once.
    expect(require('child_process').execFileSync('git', ['log', '-1', '--format=%an <%ae>', 'main'], { cwd: fixture.bare, encoding: 'utf8' }).trim()).toBe(
      'Ada Lovelace <ada@acme.example>',
    );
    expect(fixture.events.publish).toHaveBeenCalledWith(
      expect.objectContaining({ topic: 'cellplane.gitops.push', eventPayload: expect.objectContaining({ commit: sha }) }),
    );
  });

  it('is idempotent: the same create twice leaves one commit', async () => {
    const action = createComponentCreateAction(fixture.options);
    await action.handler(actionContext(input));
    const after = fixture.commitCount();
    const again = actionContext(input);
    await action.handler(again);
    expect(fixture.commitCount()).toBe(after);
    expect(again.outputs.changedFiles).toEqual([]);
    expect(again.outputs.commitSha).toBe(fixture.head());
  });

  it.each([
    [{ project: 'nope' }, /project: Project "nope" does not exist/],
    [{ name: 'payments-api', image: 'x:1' }, /name: Component payments-api already exists/],
    [{ name: 'Bad_Name' }, /name must be an RFC 1123 label/],
    [{ namespace: 'other' }, /namespace: namespace "other" does not exist/],
    [{ componentType: 'deployment/nope' }, /componentType: no ComponentType "deployment\/nope"/],
    [{ componentType: 'cronjob/service' }, /has workloadType deployment, not cronjob/],
    [{ parameters: { terminationGracePeriodSeconds: 9999 } }, /parameters.terminationGracePeriodSeconds: must be <= 600/],
    [{ parameters: { bogus: 1 } }, /parameters: unknown field "bogus"|parameters/],
    [{ endpoints: { rest: { type: 'SOAP', port: 80 } } }, /endpoints.rest.type must be one of/],
    [{ endpoints: { rest: { type: 'HTTP', port: 70000 } } }, /endpoints.rest.port must be a whole number/],
    [{ image: undefined }, /image: give a container image/],
    [{ traits: [{ name: 'nope', instanceName: 'x' }] }, /traits\[0\].name: ClusterTrait "nope" does not exist/],
    // hostile or malformed values (issue #11): refused before anything is written
    [{ image: 'nginx latest' }, /^image must be a container image reference without spaces or control characters/],
    [{ image: 'nginx\n:latest' }, /^image must be a container image reference without spaces/],
    [{ image: 'nginx\t' }, /^image must be a container image reference without spaces/],
    [{ image: '$(rm -rf /)' }, /^image must be a container image reference without spaces/],
    [{ image: 'x:' }, /^image has an invalid tag ""/],
    [{ image: 'x@sha256:zz' }, /^image has an invalid sha256 digest/],
    [{ image: 'ghcr.io/Acme/Refunds:1' }, /^image has an invalid repository path component "Acme"/],
    [{ image: undefined, source: { repository: 'https://github.com/acme/refunds', branch: '--upload-pack=evil' } }, /^source.branch must be a Git branch name: it must not start with '-'/],
    [{ image: undefined, source: { repository: 'https://github.com/acme/refunds', image: 'a b' } }, /^source.image must be a container image reference/],
    [{ image: undefined, source: { repository: 'https://tok:x@github.com/acme/refunds' } }, /^source.repository must not carry credentials/],
    [{ image: undefined, source: { repository: 'https://github.com/acme/x\u0000' } }, /^source.repository must be an https URL/],
    [{ endpoints: { rest: { type: 'HTTP', port: 8080 }, admin: { type: 'HTTP', port: 8080 } } }, /^endpoints.admin.port: port 8080 is already used by endpoint rest/],
    [{ endpoints: { rest: { type: 'HTTP', port: 8080, basePath: '/a\nb' } } }, /^endpoints.rest.basePath must be a URL path/],
    [{ env: [{ key: 'A', value: '1' }, { key: 'A', value: '2' }] }, /^env\[1\].key: A is already set by env\[0\]; give each variable once$/],
    [{ environmentConfigs: { replicas: 1e9 } }, /^environmentConfigs.replicas must be a whole number 0-1000, got 1000000000$/],
    [{ owner: `group:default/${'o'.repeat(300)}` }, /^owner must be a Backstage group or user reference/],
    [{ autoDeploy: 'yes' }, /^autoDeploy must be a boolean, got "yes"$/],
    // the ComponentType's own CEL rule, evaluated by the renderer
    [{ endpoints: undefined }, /does not render: .*Service components must have at least one endpoint/],
  ])('refuses %j with an error naming the field, and writes nothing', async (change, message) => {
    const action = createComponentCreateAction(fixture.options);
    const head = fixture.head();
    await expect(action.handler(actionContext({ ...input, ...change }))).rejects.toThrow(message);
    expect(fixture.head()).toBe(head);
  });

  it('takes an endpoint visibility a template rendered to nothing as the default (project)', async () => {
    // The New Service template run through the API without `visibility`: ['${{ parameters.visibility }}'] arrives as a hole.
    // eslint-disable-next-line no-sparse-arrays
    const endpoints = { rest: { type: 'HTTP', port: 8080, visibility: [, ] as unknown as string[] } };
    await createComponentCreateAction(fixture.options).handler(actionContext({ ...input, endpoints }));
    const workload = fixture.show(`${DIR}/workload.yaml`);
    expect(workload).toMatch(/rest:\n\s+type: HTTP\n\s+port: 8080$/);
    expect(workload).not.toContain('visibility');
  });

  it('dry run returns the unified diff and writes nothing', async () => {
    const action = createComponentCreateAction(fixture.options);
    const head = fixture.head();
    const ctx = actionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(fixture.head()).toBe(head);
    expect(ctx.outputs.diff).toContain(`--- /dev/null\n+++ b/${DIR}/component.yaml`);
    expect(ctx.outputs.diff).toContain('+    image: ghcr.io/acme/refunds-api:1.0.0');
    expect(ctx.outputs.changedFiles).toHaveLength(6);
    expect(ctx.outputs.diff).toContain('+++ b/rendered/default/acme/development/payments/components/refunds-api.yaml');
    expect(fixture.events.publish).not.toHaveBeenCalled();
  });

  it('refuses without cellplane.component.create, writing nothing', async () => {
    const action = createComponentCreateAction({ ...fixture.options, permissions: fixture.denying('cellplane.component.create') });
    const head = fixture.head();
    await expect(action.handler(actionContext(input))).rejects.toThrow(NotAllowedError);
    expect(fixture.head()).toBe(head);
  });

  it('50 concurrent creates make 50 commits and lose none', async () => {
    // The writer's concurrency, without re-rendering the whole repository at every attempt
    // (bench:write measures the full path).
    const action = createComponentCreateAction({ ...fixture.options, rerender: undefined });
    const before = fixture.commitCount();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => action.handler(actionContext({ ...input, name: `svc-${i}` }))),
    );
    expect(fixture.commitCount()).toBe(before + 50);
    const model = await fixture.repository.model();
    expect(model.components('acme', 'payments').filter(c => c.resource.metadata.name.startsWith('svc-'))).toHaveLength(50);
    expect(model.problems.filter(p => p.severity === 'error')).toEqual([]);
  }, 60_000);
});
