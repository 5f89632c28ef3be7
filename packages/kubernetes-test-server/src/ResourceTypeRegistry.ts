import { apiVersionOf, ResourceType, resourceTypeKey } from './resourceTypes';

/** The served resource types, by path and by kind; discovery reads it on every request. */
export class ResourceTypeRegistry {
  private readonly byPath = new Map<string, ResourceType>();

  private static pathKey(group: string, version: string, plural: string) {
    return `${group}/${version}/${plural}`;
  }

  add(type: ResourceType) {
    this.byPath.set(
      ResourceTypeRegistry.pathKey(type.group, type.version, type.plural),
      {
        ...type,
        singular: type.singular ?? type.kind.toLocaleLowerCase('en-US'),
      },
    );
  }

  /** Stop serving every version of `plural.group`. */
  removeResource(group: string, plural: string): ResourceType[] {
    const removed: ResourceType[] = [];
    for (const [key, type] of [...this.byPath]) {
      if (type.group === group && type.plural === plural) {
        this.byPath.delete(key);
        removed.push(type);
      }
    }
    return removed;
  }

  find(group: string, version: string, plural: string) {
    return this.byPath.get(
      ResourceTypeRegistry.pathKey(group, version, plural),
    );
  }

  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    for (const type of this.byPath.values()) {
      if (type.kind === kind && apiVersionOf(type) === apiVersion) return type;
    }
    return undefined;
  }

  /** Whether any version of `plural.group` is served (by key `plural.group`). */
  hasResource(key: string) {
    return this.all().some(type => resourceTypeKey(type) === key);
  }

  all(): ResourceType[] {
    return [...this.byPath.values()];
  }

  /** Groups in a stable order: as the real server, core first, then by registration. */
  groups(): Array<{ name: string; versions: string[] }> {
    const groups = new Map<string, string[]>();
    for (const type of this.byPath.values()) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return [...groups].map(([name, versions]) => ({
      name,
      // Kubernetes version priority: GA before beta before alpha.
      versions: versions.sort(compareVersionPriority),
    }));
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter(t => t.group === group && t.version === version);
  }
}

function versionRank(version: string): [number, number, number] {
  const m = version.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
  if (!m) return [3, 0, 0];
  const stability = { alpha: 2, beta: 1 }[m[2] ?? ''] ?? 0;
  return [stability, -Number(m[1]), -Number(m[3] ?? 0)];
}

function compareVersionPriority(a: string, b: string) {
  const x = versionRank(a);
  const y = versionRank(b);
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return a.localeCompare(b);
}
