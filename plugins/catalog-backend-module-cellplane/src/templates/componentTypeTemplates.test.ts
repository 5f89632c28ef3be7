import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { parseYamlDocuments } from '@cellplane/backstage-plugin-node';
import { exampleRepository } from '@cellplane/backstage-plugin-node/testUtils';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ComponentTypeTemplateProvider } from './ComponentTypeTemplateProvider';
import { ComponentTypeResource, componentTypeTemplates, endpointPolicy, schemaToForm } from './componentTypeTemplates';

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
    const settings = service.spec.parameters.find((p: any) => p.title === 'Service settings').properties.settings;
    expect(settings.properties.terminationGracePeriodSeconds).toMatchObject({ type: 'integer', default: 30, maximum: 600 });
    expect(service.spec.steps[0]).toMatchObject({
      action: 'cellplane:component:create',
      input: { componentType: 'deployment/service', componentTypeKind: 'ClusterComponentType', parameters: '${{ parameters.settings }}' },
    });
  });

  /** The page of a template with the given title, and the step's input. */
  const pageOf = (template: any, title: string) => template.spec.parameters.find((p: any) => p.title === title);

  it('has what the golden paths need: owner picker, image or repository, an endpoint where the type requires one, environment variables from values or secrets, the first environment\'s titled settings', async () => {
    const templates = componentTypeTemplates(await fixture.repository.model(), { owner: 'group:default/team-platform', locationRef: 'cellplane-gitops:test' }) as any[];
    const byName = Object.fromEntries(templates.map(t => [t.metadata.name, t]));
    for (const template of templates) {
      expect(template.spec.parameters[0].properties.owner['ui:field']).toBe('OwnerPicker');
      expect(template.metadata.description).not.toMatch(/^A new /);
      const source = pageOf(template, 'Source');
      expect(source.dependencies.from.oneOf.map((o: any) => o.required)).toEqual([['image'], ['repository']]);
    }
    // Endpoints as each type's rules say: a service needs one, a web application an HTTP one
    // (browser-facing: the public gateway by default), a worker or task none.
    expect(pageOf(byName['new-service'], 'Endpoint').properties.visibility.default).toBe('project');
    expect(pageOf(byName['new-web-application'], 'Endpoint').properties.visibility.default).toBe('external');
    expect(pageOf(byName['new-worker'], 'Endpoint')).toBeUndefined();
    expect(pageOf(byName['new-scheduled-task'], 'Endpoint')).toBeUndefined();
    expect(byName['new-service'].spec.steps[0].input.endpoints).toEqual({
      http: { type: 'HTTP', port: '${{ parameters.port }}', visibility: ['${{ parameters.visibility }}'] },
    });
    expect(byName['new-web-application'].spec.type).toBe('website');
    expect(byName['new-scheduled-task'].spec.type).toBe('scheduled-task');
    // A scheduled task's schedule is set for its first environment; empty keeps the type's default.
    const schedule = pageOf(byName['new-scheduled-task'], 'First environment').properties.firstEnvironment.properties.schedule;
    expect(schedule).toMatchObject({ type: 'string', title: 'Schedule' });
    expect(schedule.default).toBeUndefined();
    expect(schedule.description).toMatch(/Leave empty for the type's default, "0 0 31 2 \*"/);
    expect(byName['new-scheduled-task'].spec.steps[0].input.environmentConfigs).toBe('${{ parameters.firstEnvironment }}');
    // Environment variables: a plain value, or a SecretReference's key (a secret reaches Git only
    // as a reference), each item in the shape the action takes.
    const env = pageOf(byName['new-service'], 'Environment variables').properties.env;
    expect(env.items.oneOf.map((option: any) => option.required)).toEqual([
      ['key', 'value'],
      ['key', 'secretRef'],
    ]);
    expect(env.items.oneOf[1].properties.secretRef.required).toEqual(['name', 'key']);
    expect(byName['new-service'].spec.steps[0].input.env).toBe('${{ parameters.env }}');
    expect(pageOf(byName['new-scheduled-task'], 'Scheduled Task settings').properties.settings.properties.concurrencyPolicy.enum).toEqual([
      'Allow',
      'Forbid',
      'Replace',
    ]);
  });

  it('links the outcome: the commit, the pull request in pull-request mode, the trace of the commit, and the component', async () => {
    const [template] = componentTypeTemplates(await fixture.repository.model(), { owner: 'group:default/team-platform', locationRef: 'x' }) as any[];
    expect(template.spec.output.links).toEqual([
      { title: 'Commit', url: '${{ steps.create.output.commitUrl }}' },
      { title: 'Pull request', url: '${{ steps.create.output.pullRequestUrl }}' },
      { title: 'Trace: did it land?', url: '${{ steps.create.output.traceUrl }}' },
      { title: 'Open the Scheduled Task', icon: 'catalog', entityRef: "component:${{ parameters.project | parseEntityRef | pick('namespace') }}/${{ parameters.name }}" },
    ]);
  });

  it('with the golden-path templates of templates/, Create lists exactly one template per kind of component', async () => {
    const directory = resolve(__dirname, '../../../../templates');
    const files = readdirSync(directory).filter(f => f.endsWith('.yaml'));
    const staticTemplates = files.map(file => {
      const parsed = parseYamlDocuments(readFileSync(join(directory, file)));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
      return parsed.documents[0].value as any;
    });
    const generated = componentTypeTemplates(await fixture.repository.model(), { owner: 'group:default/team-platform', locationRef: 'x' }) as any[];
    const creatingComponents = [...staticTemplates, ...generated].filter(t => t.spec.steps.some((s: any) => s.action === 'cellplane:component:create'));
    expect(creatingComponents.map(t => `${t.metadata.title} (${t.spec.steps[0].input.componentType})`).sort()).toEqual([
      'New Scheduled Task (cronjob/scheduled-task)',
      'New Service (deployment/service)',
      'New Web Application (deployment/web-application)',
      'New Worker (deployment/worker)',
    ]);
    const titles = [...staticTemplates, ...generated].map(t => t.metadata.title.toLocaleLowerCase('en-US'));
    expect(titles.filter((title, index) => titles.indexOf(title) !== index)).toEqual([]);
  });

  it("is what the scaffolder module's end-to-end test runs (its copy of New Service is current)", async () => {
    const copy = JSON.parse(
      readFileSync(resolve(__dirname, '../../../scaffolder-backend-module-cellplane/src/__fixtures__/new-service.template.json'), 'utf8'),
    );
    const generated = componentTypeTemplates(await fixture.repository.model(), { owner: 'group:default/team-platform', locationRef: 'cellplane-gitops:test' });
    expect(generated.find(t => t.metadata.name === 'new-service')).toEqual(copy);
  });

  it("reads from a type's validation rules whether its components need an endpoint", () => {
    const type = (workloadType: string, rules: string[], key = 'preRenderValidations') =>
      ({ kind: 'ClusterComponentType', metadata: { name: 't' }, spec: { workloadType, [key]: rules.map(rule => ({ rule, message: 'm' })) } }) as unknown as ComponentTypeResource;
    expect(endpointPolicy(type('deployment', ['${size(workload.endpoints) > 0}']))).toBe('required');
    expect(endpointPolicy(type('deployment', ['${size( workload.endpoints ) >= 1}'], 'validations'))).toBe('required');
    expect(endpointPolicy(type('deployment', ["${workload.endpoints.exists(n, e, e.type == 'HTTP')}"]))).toBe('http');
    expect(endpointPolicy(type('deployment', ['${size(workload.endpoints) == 0}']))).toBe('none');
    // Rules that say nothing about endpoints: none asked for (the add-endpoint template adds one).
    expect(endpointPolicy(type('statefulset', ['${parameters.replicas < 5}']))).toBe('none');
    // A job runs to completion: never an endpoint, whatever the rules.
    expect(endpointPolicy(type('cronjob', ['${size(workload.endpoints) > 0}']))).toBe('none');
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
