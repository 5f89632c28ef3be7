import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import yaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repositoryFixture } from '../__testUtils__/repositoryFixture';
import { ComponentTypeTemplateProvider } from './ComponentTypeTemplateProvider';
import { componentTypeTemplates, schemaToForm } from './componentTypeTemplates';

const TEMPLATES = resolve(__dirname, '../../../../templates');
const ACTIONS = [
  'cellplane:project:create',
  'cellplane:component:create',
  'cellplane:endpoint:add',
  'cellplane:dependency:add',
  'cellplane:environment:override',
  'cellplane:component:promote',
  'cellplane:component:rollback',
  'cellplane:resource:claim',
  'catalog:fetch',
];

describe('templates/', () => {
  const files = readdirSync(TEMPLATES).filter(f => f.endsWith('.yaml'));

  it('has the golden paths', () => {
    expect(files.sort()).toEqual([
      'add-dependency.yaml',
      'add-endpoint.yaml',
      'claim-postgresql.yaml',
      'new-project.yaml',
      'new-scheduled-task.yaml',
      'new-service.yaml',
      'new-web-application.yaml',
      'promote.yaml',
      'rollback.yaml',
    ]);
  });

  it.each(files)('%s is a valid Template whose steps use existing actions', async file => {
    const entity = yaml.load(readFileSync(join(TEMPLATES, file), 'utf8')) as any;
    await expect(templateEntityV1beta3Validator.check(entity)).resolves.toBe(true);
    for (const step of entity.spec.steps) {
      expect(ACTIONS).toContain(step.action);
    }
  });
});

describe('templates/rollback.yaml', () => {
  it("picks the release from the chosen component's releases, and still checks its pattern", () => {
    const entity = yaml.load(readFileSync(join(TEMPLATES, 'rollback.yaml'), 'utf8')) as any;
    const { properties } = entity.spec.parameters[0];
    expect(properties.release).toMatchObject({
      'ui:field': 'CellplaneReleasePicker',
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
    });
    // The picker reads the component from this field: it must exist in the same step.
    expect(properties[properties.release['ui:options'].componentField]).toMatchObject({ 'ui:field': 'EntityPicker' });
  });
});

describe('templates generated from ComponentTypes', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
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
      repository: fixture.repository as GitOpsRepository,
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
