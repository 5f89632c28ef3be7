/** A request path, parsed the way the API server's request-info resolver does. */
export type ParsedPath =
  | { kind: 'discovery'; what: 'api' | 'apis' | 'version' }
  | { kind: 'group'; group: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'health' }
  | {
      kind: 'resource';
      group: string;
      version: string;
      plural: string;
      namespace?: string;
      name?: string;
      subresource?: string;
      /** The deprecated `/watch/` path prefix was used. */
      watchPrefix: boolean;
    }
  | { kind: 'unknown' };

export function parsePath(pathname: string): ParsedPath {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments.length === 0) return { kind: 'unknown' };
  const [root, ...rest] = segments;
  if (segments.length === 1) {
    if (root === 'api' || root === 'apis' || root === 'version') {
      return { kind: 'discovery', what: root };
    }
    if (root === 'healthz' || root === 'livez' || root === 'readyz') {
      return { kind: 'health' };
    }
  }
  let group: string;
  let version: string;
  let resourcePath: string[];
  if (root === 'api') {
    if (rest[0] !== 'v1') return { kind: 'unknown' };
    group = '';
    version = 'v1';
    resourcePath = rest.slice(1);
  } else if (root === 'apis') {
    if (rest.length === 1) return { kind: 'group', group: rest[0] };
    group = rest[0];
    version = rest[1];
    resourcePath = rest.slice(2);
  } else {
    return { kind: 'unknown' };
  }
  if (resourcePath.length === 0)
    return { kind: 'groupVersion', group, version };
  let watchPrefix = false;
  if (resourcePath[0] === 'watch') {
    watchPrefix = true;
    resourcePath = resourcePath.slice(1);
  }
  const base = { kind: 'resource' as const, group, version, watchPrefix };
  const [first, second, third, fourth, fifth, ...extra] = resourcePath;
  if (extra.length > 0) return { kind: 'unknown' };
  if (first === 'namespaces' && second !== undefined && third !== undefined) {
    // The namespace object's own subresources: /api/v1/namespaces/<ns>/status|finalize.
    if (
      group === '' &&
      fourth === undefined &&
      (third === 'status' || third === 'finalize')
    ) {
      return {
        ...base,
        plural: 'namespaces',
        name: second,
        subresource: third,
      };
    }
    return {
      ...base,
      plural: third,
      namespace: second,
      name: fourth,
      subresource: fifth,
    };
  }
  if (fourth !== undefined) return { kind: 'unknown' };
  return { ...base, plural: first, name: second, subresource: third };
}
