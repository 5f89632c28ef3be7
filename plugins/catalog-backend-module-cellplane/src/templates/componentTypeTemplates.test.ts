import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';
import { ComponentTypeTemplateProvider } from './ComponentTypeTemplateProvider';
import { componentTypeTemplates, schemaToForm } from './componentTypeTemplates';

describe('templates generated from ComponentTypes', () => {
  let fixture: ReturnType<typeof exampleRepository>;
  beforeEach(() => {
    fixture = exampleRepository();
  });
  afterEach(() => fixture.cleanup());

  it('gives each ComponentType a valid Template with a form from its parameter schema', async () => {
    const model = await fixture.repository.model();
    const templates = componentTypeTemplates(model, { owner: 'group:default/team-platform', locationRef: 'cellplane-gitops:test' });
    expect(templates.map(t => t.metadata.name)).toEqual([
      'new-scheduled-task',
      'new-service',
      'new-web-application',
      'new-worker',
    ]);
    for (const template of templates) {
      await expect(templateEntityV1beta3Validator.check(template)).resolves.toBe(true);
    }
    const service = templates.find(t => t.metadata.name === 'new-service')! as any;
    expect(service.metadata.title).toBe('New Service');
    const settings = service.spec.parameters[1].properties.settings;
    expect(settings.properties.terminationGracePeriodSeconds).toMatchObject({ type: 'integer', default: 30, maximum: 600 });
    expect(service.spec.steps[0]).toMatchObject({
      action: 'cellplane:component:create',
      input: { componentType: 'deployment/service', componentTypeKind: 'ClusterComponentType', parameters: '${{ parameters.settings }}' },
    });
  });

  it('drops Kubernetes-only keywords from the form', () => {
    expect(
      schemaToForm({
        type: 'object',
        'x-kubernetes-validations': [{ rule: 'x' }],
        properties: { a: { type: 'string', 'x-kubernetes-int-or-string': true, enum: ['x'] }, b: { 'x-kubernetes-preserve-unknown-fields': true } },
      }),
    ).toEqual({ type: 'object', properties: { a: { type: 'string', enum: ['x'] }, b: { type: 'object' } } });
  });

  it('the provider publishes them in full, once per new commit', async () => {
    const applyMutation = jest.fn(async () => {});
    const provider = new ComponentTypeTemplateProvider({
      repository: fixture.repository,
      logger: { info() {}, warn() {} } as any,
      owner: 'group:default/team-platform',
    });
    await provider.connect({ applyMutation, refresh: jest.fn() });
    await provider.refresh();
    await provider.refresh();
    expect(applyMutation).toHaveBeenCalledTimes(1);
    const mutation = (applyMutation.mock.calls[0] as any[])[0];
    expect(mutation.type).toBe('full');
    expect(mutation.entities).toHaveLength(4);
    expect(mutation.entities[0].entity.metadata.annotations['backstage.io/managed-by-location']).toMatch(/^cellplane-gitops:/);
  });
});
