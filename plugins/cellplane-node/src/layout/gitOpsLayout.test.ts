import { assertSafeRepositoryPath, gitOpsLayout } from './gitOpsLayout';

describe('gitOpsLayout', () => {
  it('places every resource where OpenChoreo GitOps repositories keep it', () => {
    expect(gitOpsLayout.componentFile('acme', 'shop', 'cart')).toBe(
      'namespaces/acme/projects/shop/components/cart/component.yaml',
    );
    expect(gitOpsLayout.releaseBindingFile('acme', 'shop', 'cart', 'staging')).toBe(
      'namespaces/acme/projects/shop/components/cart/release-bindings/cart-staging.yaml',
    );
    expect(gitOpsLayout.platformFile('ClusterComponentType', 'service')).toBe(
      'platform-shared/component-types/service.yaml',
    );
    expect(gitOpsLayout.platformFile('Environment', 'production', 'acme')).toBe(
      'namespaces/acme/platform/infra/environments/production.yaml',
    );
    expect(
      gitOpsLayout.pathFor({
        apiVersion: 'openchoreo.dev/v1alpha1',
        kind: 'Workload',
        metadata: { name: 'cart-workload', namespace: 'acme' },
        spec: { owner: { projectName: 'shop', componentName: 'cart' }, container: { image: 'x' } },
      }),
    ).toBe('namespaces/acme/projects/shop/components/cart/workload.yaml');
  });

  it('refuses names that would escape their folder', () => {
    expect(() => gitOpsLayout.componentFile('acme', '..', 'cart')).toThrow(/project name must be an RFC 1123 label/);
    expect(() => gitOpsLayout.componentFile('acme', 'shop', 'a/b')).toThrow(/component name must be an RFC 1123 label/);
    expect(() => gitOpsLayout.projectFile('../../etc', 'shop')).toThrow(/namespace must be an RFC 1123 label/);
    expect(() => gitOpsLayout.platformFile('Environment', 'production')).toThrow(/a namespace is required/);
  });

  it('reads YAML outside rendered/ and dot-folders only', () => {
    expect(gitOpsLayout.isModelFile('namespaces/acme/projects/shop/project.yaml')).toBe(true);
    expect(gitOpsLayout.isModelFile('extra/anything.yml')).toBe(true);
    expect(gitOpsLayout.isModelFile('rendered/acme/development/cart/deployment.yaml')).toBe(false);
    expect(gitOpsLayout.isModelFile('.github/workflows/ci.yaml')).toBe(false);
    expect(gitOpsLayout.isModelFile('README.md')).toBe(false);
  });
});

describe('assertSafeRepositoryPath', () => {
  it.each(['../x.yaml', '/etc/passwd', 'a/../../b', '.git/config', 'a//b', 'a/./b', 'a b.yaml', 'a\\b', '', 'dir/'])(
    'refuses %j',
    path => {
      expect(() => assertSafeRepositoryPath(path)).toThrow(/refusing to write/);
    },
  );

  it('accepts ordinary repository paths', () => {
    expect(assertSafeRepositoryPath('namespaces/acme/projects/shop/project.yaml')).toBe(
      'namespaces/acme/projects/shop/project.yaml',
    );
  });
});

describe('gitOpsLayout.placeNew', () => {
  const binding = (environment: string) =>
    ({
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ReleaseBinding',
      metadata: { name: `greeter-${environment}`, namespace: 'default' },
      spec: { owner: { projectName: 'demo', componentName: 'greeter' }, environment },
    }) as any;
  const release = {
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'ComponentRelease',
    metadata: { name: 'greeter-0123456789', namespace: 'default' },
    spec: { owner: { projectName: 'demo', componentName: 'greeter' } },
  } as any;
  const sampleFile = { file: 'samples/greeter.yaml', documents: 2 };

  it("puts a binding into the file that holds the component's other bindings together", () => {
    expect(
      gitOpsLayout.placeNew(binding('staging'), {
        owner: sampleFile,
        siblings: [{ file: 'samples/greeter-bindings.yaml', documents: 2 }],
      }),
    ).toBe('samples/greeter-bindings.yaml');
  });

  it("puts a binding beside the component's other bindings when each has a file of its own", () => {
    expect(
      gitOpsLayout.placeNew(binding('staging'), {
        owner: sampleFile,
        siblings: [{ file: 'namespaces/default/projects/demo/components/greeter/release-bindings/greeter-development.yaml', documents: 1 }],
      }),
    ).toBe('namespaces/default/projects/demo/components/greeter/release-bindings/greeter-staging.yaml');
  });

  it("puts a component's first binding and releases in folders beside its file, even a multi-document one", () => {
    expect(gitOpsLayout.placeNew(binding('development'), { owner: sampleFile })).toBe('samples/release-bindings/greeter-development.yaml');
    expect(gitOpsLayout.placeNew(release, { owner: sampleFile })).toBe('samples/releases/greeter-0123456789.yaml');
  });

  it("keeps a missing Workload with its Component when the Component's file holds several documents", () => {
    const workload = {
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'Workload',
      metadata: { name: 'greeter', namespace: 'default' },
      spec: { owner: { projectName: 'demo', componentName: 'greeter' }, container: { image: 'x' } },
    } as any;
    expect(gitOpsLayout.placeNew(workload, { owner: sampleFile })).toBe('samples/greeter.yaml');
    expect(gitOpsLayout.placeNew(workload, { owner: { file: 'apps/greeter/component.yaml', documents: 1 } })).toBe('apps/greeter/workload.yaml');
  });

  it('uses the layout path without neighbours, which for a component at its layout path is the same place', () => {
    expect(gitOpsLayout.placeNew(binding('development'))).toBe(
      'namespaces/default/projects/demo/components/greeter/release-bindings/greeter-development.yaml',
    );
    expect(
      gitOpsLayout.placeNew(binding('development'), {
        owner: { file: 'namespaces/default/projects/demo/components/greeter/component.yaml', documents: 1 },
      }),
    ).toBe('namespaces/default/projects/demo/components/greeter/release-bindings/greeter-development.yaml');
  });

  it('checks the names that become part of a path', () => {
    expect(() => gitOpsLayout.placeNew(binding('../prod'), { owner: sampleFile })).toThrow(/environment name must be an RFC 1123 label/);
  });
});
