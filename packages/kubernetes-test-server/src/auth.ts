/**
 * What a bearer token may do: RBAC `PolicyRule`s, simplified (no
 * `resourceNames`, no aggregation). `'*'` matches anything.
 *
 * @public
 */
export interface AccessRule {
  verbs: string[];
  /** API groups; `''` is the core group. Default `['*']`. */
  apiGroups?: string[];
  /** Resources, optionally with a subresource: `deployments`, `deployments/status`. Default `['*']`. */
  resources?: string[];
  /** Namespaces the rule applies in (a RoleBinding); omitted = cluster-wide (a ClusterRoleBinding). */
  namespaces?: string[];
}

/** @public */
export interface TokenGrant {
  /** The user name shown in 403 messages. */
  user: string;
  /** Omitted = everything (cluster-admin). */
  rules?: AccessRule[];
}

/** The request attributes RBAC checks. */
export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
}

function matches(list: string[] | undefined, value: string) {
  return !list || list.includes('*') || list.includes(value);
}

/** Whether a grant allows the request, as an RBAC authorizer would. */
export function isAllowed(grant: TokenGrant, request: AccessRequest): boolean {
  if (!grant.rules) return true;
  const resource = request.subresource
    ? `${request.resource}/${request.subresource}`
    : request.resource;
  return grant.rules.some(
    rule =>
      matches(rule.verbs, request.verb) &&
      matches(rule.apiGroups, request.group) &&
      (matches(rule.resources, resource) ||
        // `*/status`-style rules, as RBAC allows.
        (request.subresource !== undefined &&
          rule.resources?.includes(`*/${request.subresource}`))) &&
      (!rule.namespaces ||
        (request.namespace !== undefined &&
          rule.namespaces.includes(request.namespace))),
  );
}
