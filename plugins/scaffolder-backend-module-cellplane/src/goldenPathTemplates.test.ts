import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import yaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const TEMPLATES = resolve(__dirname, '../../../templates');
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
      // New services, web applications, scheduled tasks...: one template per ComponentType, which
      // the catalog module generates (componentTypeTemplates.ts).
      'new-project.yaml',
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
