import { ResourceTypeRegistry } from './ResourceTypeRegistry';
import { resourceVerbs } from './resourceTypes';

/** `GET /api`: the core group's versions. */
export function coreApiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: { name: string; versions: string[] }) {
  const versions = group.versions.map(version => ({
    groupVersion: `${group.name}/${version}`,
    version,
  }));
  return {
    name: group.name,
    versions,
    preferredVersion: versions[0],
  };
}

/** `GET /apis`: every named group. */
export function apiGroupList(registry: ResourceTypeRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map(apiGroup),
  };
}

/** `GET /apis/<group>`, or undefined when no version of the group is served. */
export function apiGroupOf(registry: ResourceTypeRegistry, name: string) {
  const group = registry.groups().find(g => g.name === name);
  return group
    ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) }
    : undefined;
}

/** `GET /api/v1` or `/apis/<group>/<version>`: an APIResourceList with subresources. */
export function apiResourceList(
  registry: ResourceTypeRegistry,
  group: string,
  version: string,
) {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const type of types) {
    resources.push({
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: resourceVerbs,
      ...(type.shortNames?.length ? { shortNames: type.shortNames } : {}),
      ...(type.categories?.length ? { categories: type.categories } : {}),
    });
    if (type.statusSubresource) {
      resources.push({
        name: `${type.plural}/status`,
        singularName: '',
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (type.scale) {
      resources.push({
        name: `${type.plural}/scale`,
        singularName: '',
        namespaced: type.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
