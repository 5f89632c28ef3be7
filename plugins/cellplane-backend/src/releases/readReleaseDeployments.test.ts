import { bindingStatesIn } from './readReleaseDeployments';

const binding = (component: string, environment: string, extra = '') =>
  `apiVersion: openchoreo.dev/v1alpha1\nkind: ReleaseBinding\nmetadata:\n  name: ${component}-${environment}\n  namespace: acme\nspec:\n  owner:\n    projectName: shop\n    componentName: ${component}\n  environment: ${environment}\n${extra}`;

describe('bindingStatesIn', () => {
  it("reads the component's bindings from any document of a file, by environment", () => {
    const file = [
      binding('web', 'staging', '  releaseName: web-01\n'),
      binding('api', 'staging', '  releaseName: api-01\n'),
      binding('web', 'production', '  releaseName: web-00\n  state: Undeploy\n'),
      binding('web', 'development'),
    ].join('---\n');
    expect(Object.fromEntries(bindingStatesIn(Buffer.from(file), 'acme', 'web'))).toEqual({
      staging: { release: 'web-01', running: true },
      production: { release: 'web-00', running: false },
      development: { running: true },
    });
  });

  it('reads nothing from a removed file, a file that is not YAML, or a binding of another namespace', () => {
    expect(bindingStatesIn(undefined, 'acme', 'web').size).toBe(0);
    expect(bindingStatesIn(Buffer.from('a: [unclosed'), 'acme', 'web').size).toBe(0);
    expect(bindingStatesIn(Buffer.from(binding('web', 'staging').replace('namespace: acme', 'namespace: globex')), 'acme', 'web').size).toBe(0);
  });
});
