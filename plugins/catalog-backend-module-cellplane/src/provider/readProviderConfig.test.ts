import { ConfigReader } from '@backstage/config';
import { readProviderConfig } from './readProviderConfig';

const read = (cellplane?: unknown) =>
  readProviderConfig(new ConfigReader(cellplane === undefined ? {} : { catalog: { providers: { cellplane } } }));

describe('readProviderConfig', () => {
  it('has defaults that work with no configuration', () => {
    expect(read()).toEqual({
      id: 'default',
      defaultOwner: 'group:default/team-platform',
      namespaces: undefined,
      schedule: { frequency: { seconds: 5 }, timeout: { minutes: 3 } },
    });
  });

  it('reads owner, namespaces and schedule', () => {
    const config = read({
      defaultOwner: 'group:default/platform',
      namespaces: ['acme'],
      schedule: { frequency: { seconds: 2 }, timeout: { minutes: 1 } },
    });
    expect(config).toMatchObject({
      defaultOwner: 'group:default/platform',
      namespaces: ['acme'],
      schedule: { frequency: { seconds: 2 }, timeout: { minutes: 1 } },
    });
  });

  it('answers bad values with the key that is wrong', () => {
    expect(() => read({ defaultOwner: 'group:default/' })).toThrow(/catalog\.providers\.cellplane\.defaultOwner is not an entity reference/);
    expect(() => read({ namespaces: ['Acme'] })).toThrow(
      'catalog.providers.cellplane.namespaces contains "Acme", which is not a namespace name (RFC 1123 label)',
    );
    expect(() => read({ namespaces: 'acme' })).toThrow(/catalog\.providers\.cellplane\.namespaces/);
    expect(() => read({ schedule: { frequency: 'often' } })).toThrow(/frequency|timeout/);
  });
});
