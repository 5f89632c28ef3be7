import { NotAllowedError } from '@backstage/errors';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createProjectCreateAction } from './createProject';

describe('cellplane:project:create', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const input = { namespace: 'acme', name: 'loyalty', displayName: 'Loyalty', owner: 'group:default/team-growth' };

  it('commits exactly the project file, on the namespace’s only pipeline', async () => {
    const ctx = actionContext(input);
    await createProjectCreateAction(fixture.options).handler(ctx);
    expect(fixture.filesOf(ctx.outputs.commitSha)).toEqual(['namespaces/acme/projects/loyalty/project.yaml']);
    const yaml = fixture.show('namespaces/acme/projects/loyalty/project.yaml');
    expect(yaml).toContain('deploymentPipelineRef:\n    name: standard');
    expect(yaml).toContain('cellplane.dev/owner: group:default/team-growth');
    // again: nothing to do
    const count = fixture.commitCount();
    await createProjectCreateAction(fixture.options).handler(actionContext(input));
    expect(fixture.commitCount()).toBe(count);
  });

  it.each([
    [{ name: 'payments' }, /name: Project payments already exists/],
    [{ name: '../x' }, /name must be an RFC 1123 label/],
    [{ deploymentPipeline: 'fast' }, /deploymentPipeline: DeploymentPipeline "fast" does not exist/],
    [{ owner: 'team-growth' }, /owner must be a Backstage group or user reference/],
    [{ owner: `group:default/${'a'.repeat(300)}` }, /^owner must be a Backstage group or user reference like group:default\/team-a: the name is at most 63/],
    [{ displayName: 'Loyalty\nprogram' }, /^displayName must be one line of text without control characters$/],
    [{ deploymentPipeline: '../standard' }, /^deploymentPipeline must be a pipeline name or a reference like deploymentpipeline:acme\/standard/],
    [{ deploymentPipeline: 'evil/standard' }, /^deploymentPipeline: "evil\/standard" is in namespace evil, but the project is created in acme/],
    [{ deploymentPipeline: 'deploymentpipeline:other-ns/standard' }, /^deploymentPipeline: "deploymentpipeline:other-ns\/standard" is in namespace other-ns/],
    [{ deploymentPipeline: 'component:acme/standard' }, /^deploymentPipeline must name a DeploymentPipeline, not a component/],
    [{ deploymentPipeline: 'Standard' }, /^deploymentPipeline must be an RFC 1123 label/],
    [{ name: 42 }, /^name must be a string, got number 42$/],
  ])('refuses %j naming the field, writing nothing', async (change, message) => {
    const head = fixture.head();
    await expect(createProjectCreateAction(fixture.options).handler(actionContext({ ...input, ...change }))).rejects.toThrow(message);
    expect(fixture.head()).toBe(head);
  });

  it('accepts the catalog reference of a pipeline in the project\'s namespace', async () => {
    const ctx = actionContext({ ...input, deploymentPipeline: 'deploymentpipeline:acme/standard' });
    await createProjectCreateAction(fixture.options).handler(ctx);
    expect(fixture.show('namespaces/acme/projects/loyalty/project.yaml')).toContain('deploymentPipelineRef:\n    name: standard');
  });

  it('refuses without cellplane.project.create', async () => {
    const head = fixture.head();
    const action = createProjectCreateAction({ ...fixture.options, permissions: fixture.denying('cellplane.project.create') });
    await expect(action.handler(actionContext(input))).rejects.toThrow(NotAllowedError);
    expect(fixture.head()).toBe(head);
  });
});
