import { ConfigReader } from '@backstage/config';
import { readDefaultOwner } from './readDefaultOwner';

const read = (defaultOwner?: string) =>
  readDefaultOwner(new ConfigReader(defaultOwner === undefined ? {} : { catalog: { providers: { cellplane: { defaultOwner } } } }));

describe('readDefaultOwner', () => {
  it('reads catalog.providers.cellplane.defaultOwner, with team-platform when unset', () => {
    expect(read()).toBe('group:default/team-platform');
    expect(read('group:acme/platform')).toBe('group:acme/platform');
  });

  it('refuses what is not an entity reference, naming the key', () => {
    expect(() => read('group:default/')).toThrow(/catalog\.providers\.cellplane\.defaultOwner is not an entity reference/);
  });
});
