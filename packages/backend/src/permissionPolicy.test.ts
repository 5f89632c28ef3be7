import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  cellplaneComponentCreatePermission,
  cellplaneComponentPromotePermission,
  cellplaneComponentPromoteProductionPermission,
} from '@cellplane/backstage-plugin-common';
import { CellplanePermissionPolicy, kubernetesClustersAreReadOnly } from './permissionPolicy';

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

  describe("Backstage's Kubernetes proxy, which cannot tell reads from writes", () => {
    const proxy = { permission: { type: 'basic' as const, name: 'kubernetes.proxy', attributes: {} } };
    const guest = user('user:development/guest');
    const platform = user('user:default/ada', 'group:default/team-platform');

    it("is everyone's while the clusters are read-only (pod logs and events for all; the cluster refuses writes)", async () => {
      const readOnly = new CellplanePermissionPolicy({ kubernetesClustersReadOnly: true });
      expect(await readOnly.handle(proxy, guest)).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it("is team-platform's only when a cluster may be written to, and by default", async () => {
      for (const writable of [new CellplanePermissionPolicy({ kubernetesClustersReadOnly: false }), new CellplanePermissionPolicy()]) {
        expect(await writable.handle(proxy, guest)).toEqual({ result: AuthorizeResult.DENY });
        expect(await writable.handle(proxy)).toEqual({ result: AuthorizeResult.DENY });
        expect(await writable.handle(proxy, platform)).toEqual({ result: AuthorizeResult.ALLOW });
      }
    });

    it("keeps the Kubernetes tab's reads open to everyone", async () => {
      for (const name of ['kubernetes.clusters.read', 'kubernetes.resources.read']) {
        const read = { permission: { type: 'basic' as const, name, attributes: { action: 'read' as const } } };
        expect(await new CellplanePermissionPolicy().handle(read, guest)).toEqual({ result: AuthorizeResult.ALLOW });
      }
    });

    it('knows the clusters are read-only only when Cellplane hands them all over read-only', () => {
      const readOnly = (data: object) => kubernetesClustersAreReadOnly(new ConfigReader(data));
      const plane = (more: object = {}) => ({ name: 'default', url: 'https://k8s', auth: { serviceAccountToken: 't' }, ...more });
      expect(readOnly({})).toBe(true); // the sandbox
      expect(readOnly({ kubernetes: { clusterLocatorMethods: [] } })).toBe(true); // app-config.yaml
      expect(readOnly({ cellplane: { dataPlanes: [plane(), plane({ kubernetesPlugin: { access: 'none' } })] } })).toBe(true);
      expect(readOnly({ cellplane: { dataPlanes: [plane(), plane({ kubernetesPlugin: { access: 'readWrite' } })] } })).toBe(false);
      expect(readOnly({ kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters: [] }] } })).toBe(false);
    });
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
