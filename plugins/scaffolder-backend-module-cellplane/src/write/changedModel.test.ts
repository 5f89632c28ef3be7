import { loadRepositoryModel, readWorkingTree } from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY } from '@cellplane/backstage-plugin-node/testUtils';
import { changedModel } from './changedModel';

const PATH = 'namespaces/acme/projects/payments/components/payments-api/workload.yaml';

describe('changedModel', () => {
  it('builds the model of a change once for the re-render and the production check', async () => {
    const base = loadRepositoryModel(await readWorkingTree(EXAMPLE_REPOSITORY));
    const specs = [{ path: PATH, content: null }];
    const first = changedModel(base, specs);
    // The production check sees the rendered manifests too; they do not change the model.
    expect(changedModel(base, [...specs, { path: 'rendered/index.txt', content: 'x' }])).toBe(first);
    expect((await first).get('Workload', 'payments-api', 'acme')).toBeUndefined();

    const other = changedModel(base, [{ path: PATH, content: Buffer.from('') }]);
    expect(other).not.toBe(first);
    expect(changedModel(base, [{ path: PATH, content: '' }])).not.toBe(other);
    expect(changedModel(loadRepositoryModel({ files: [] }), specs)).not.toBe(first);
  });
});
