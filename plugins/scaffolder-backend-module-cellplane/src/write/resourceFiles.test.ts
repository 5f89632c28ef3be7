import { OpenChoreoResource } from '@cellplane/backstage-plugin-common';
import { ModelEntry, parseYamlDocuments, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { ResourceFiles } from './resourceFiles';

const FILE = 'namespaces/demo/projects/shop/cart.yaml';
const COMPONENT = `# cart: its component, its workload and its development binding, applied together.
apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata:
  name: cart
  namespace: demo
spec:
  owner:
    projectName: shop
  componentType: deployment/service
`;
const WORKLOAD = `---
apiVersion: openchoreo.dev/v1alpha1
kind: Workload
metadata:
  name: cart
  namespace: demo
spec:
  owner:
    projectName: shop
    componentName: cart
  container:
    image: ghcr.io/demo/cart:1.0.0 # pinned by CI
`;
const BINDING = `---
# The first environment of the pipeline.
apiVersion: openchoreo.dev/v1alpha1
kind: ReleaseBinding
metadata:
  name: cart-development
  namespace: demo
spec:
  owner:
    projectName: shop
    componentName: cart
  environment: development
`;

/** A model of `files` as the loader would read them (valid resources only), and a revision that reads them. */
function revisionOf(files: Record<string, string>) {
  const entries: ModelEntry[] = Object.entries(files).flatMap(([file, text]) => {
    const parsed = parseYamlDocuments(text);
    if (!parsed.ok) return [];
    return parsed.documents.map(({ index, value }) => ({
      resource: value as OpenChoreoResource,
      file,
      documentIndex: index,
      namespace: 'demo',
    }));
  });
  const model = new RepositoryModel(undefined, entries, []);
  const base = { readFile: async (path: string) => (path in files ? Buffer.from(files[path]) : undefined) };
  return new ResourceFiles(model, base);
}

const get = (files: ResourceFiles, kind: 'Workload' | 'ReleaseBinding' | 'Component', name: string) =>
  structuredClone(files.model.get(kind, name, 'demo')!.resource) as any;

describe('ResourceFiles', () => {
  it('adds up the edits of several resources of one multi-document file', async () => {
    const files = revisionOf({ [FILE]: COMPONENT + WORKLOAD + BINDING });
    const workload = get(files, 'Workload', 'cart');
    workload.spec.container.image = 'ghcr.io/demo/cart:1.1.0';
    await files.write(workload);
    const binding = get(files, 'ReleaseBinding', 'cart-development');
    binding.spec.releaseName = 'cart-0123456789';
    await files.write(binding);
    expect(files.changes()).toEqual([
      {
        path: FILE,
        content: `${COMPONENT}${WORKLOAD.replace('cart:1.0.0 # pinned', 'cart:1.1.0 # pinned')}${BINDING}  releaseName: cart-0123456789\n`,
      },
    ]);
  });

  it('removes a resource from a multi-document file: its document only', async () => {
    const files = revisionOf({ [FILE]: COMPONENT + WORKLOAD + BINDING });
    await files.remove({ kind: 'Workload', name: 'cart', namespace: 'demo' });
    expect(files.changes()).toEqual([{ path: FILE, content: COMPONENT + BINDING }]);
  });

  it('deletes a file whose only resource is removed', async () => {
    const files = revisionOf({ [FILE]: COMPONENT });
    await files.remove({ kind: 'Component', name: 'cart', namespace: 'demo' });
    expect(files.changes()).toEqual([{ path: FILE, content: null }]);
  });

  it("adds a new binding to the file that keeps the component's bindings together", async () => {
    const files = revisionOf({ [FILE]: COMPONENT + WORKLOAD + BINDING });
    const staging = { ...get(files, 'ReleaseBinding', 'cart-development'), metadata: { name: 'cart-staging', namespace: 'demo' } };
    staging.spec = { ...staging.spec, environment: 'staging' };
    await files.write(staging);
    const [change] = files.changes();
    expect(change.path).toBe(FILE);
    expect(String(change.content).startsWith(COMPONENT + WORKLOAD + BINDING)).toBe(true);
    expect(String(change.content).slice((COMPONENT + WORKLOAD + BINDING).length)).toMatch(/^---\napiVersion: openchoreo.dev\/v1alpha1\nkind: ReleaseBinding\nmetadata:\n {2}name: cart-staging\n/);
  });

  it('leaves every file alone when nothing changes', async () => {
    const files = revisionOf({ [FILE]: COMPONENT + WORKLOAD + BINDING });
    await files.write(get(files, 'Workload', 'cart'));
    await files.write(get(files, 'Component', 'cart'));
    expect(files.changes()).toEqual([]);
  });

  it('refuses to add to a file at the new resource’s place that does not read as YAML, naming it', async () => {
    const single = 'namespaces/demo/projects/shop/components/cart/component.yaml';
    const broken = 'namespaces/demo/projects/shop/components/cart/release-bindings/cart-staging.yaml';
    const files = revisionOf({ [single]: COMPONENT, [broken]: 'kind: [unclosed\n' });
    const staging = {
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ReleaseBinding',
      metadata: { name: 'cart-staging', namespace: 'demo' },
      spec: { owner: { projectName: 'shop', componentName: 'cart' }, environment: 'staging' },
    } as OpenChoreoResource;
    await expect(files.write(staging)).rejects.toThrow(new RegExp(`^${broken} \\(line \\d+\\): invalid YAML`));
  });
});
