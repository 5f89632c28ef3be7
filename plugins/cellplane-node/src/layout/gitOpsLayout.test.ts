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
