import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  cellplaneComponentCreatePermission,
  cellplaneComponentPromotePermission,
  cellplaneComponentPromoteProductionPermission,
} from '@cellplane/backstage-plugin-common';
import { CellplanePermissionPolicy } from './permissionPolicy';

const user = (...ownershipEntityRefs: string[]) =>
  ({ info: { userEntityRef: 'user:default/ada', ownershipEntityRefs } }) as any;

describe('CellplanePermissionPolicy', () => {
  const policy = new CellplanePermissionPolicy();

  it('lets only team-platform change production', async () => {
    const production = { permission: cellplaneComponentPromoteProductionPermission };
    expect(await policy.handle(production, user('user:default/ada', 'group:default/team-platform'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle(production, user('user:default/bob', 'group:default/team-payments'))).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle(production)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows everything else to everyone, as the allow-all policy did', async () => {
    for (const permission of [cellplaneComponentCreatePermission, cellplaneComponentPromotePermission]) {
      expect(await policy.handle({ permission }, user('user:default/bob'))).toEqual({ result: AuthorizeResult.ALLOW });
    }
    expect(
      await policy.handle({ permission: { type: 'basic', name: 'catalog.entity.read', attributes: { action: 'read' } } }, user()),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
