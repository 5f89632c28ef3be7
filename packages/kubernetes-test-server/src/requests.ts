/**
 * What the server understood a request to be, in Kubernetes terms (the
 * attributes an audit log or RBAC sees).
 *
 * @public
 */
export interface RequestInfo {
  method: string;
  /** URL path without the query. */
  path: string;
  /**
   * `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
   * `deletecollection`; `discovery` for /api, /apis and /version; or the
   * lower-case HTTP method for anything else.
   */
  verb: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The user the token belongs to, when it is known. */
  user?: string;
}

/**
 * Selects requests for fault injection and counting. Every given property
 * must match; `path` is a prefix or a RegExp.
 *
 * @public
 */
export interface RequestMatcher {
  verb?: string | string[];
  path?: string | RegExp;
  group?: string;
  resource?: string;
  namespace?: string;
  name?: string;
}

/** @public */
export function requestMatches(
  matcher: RequestMatcher | undefined,
  request: RequestInfo,
): boolean {
  if (!matcher) return true;
  if (matcher.verb !== undefined) {
    const verbs = Array.isArray(matcher.verb) ? matcher.verb : [matcher.verb];
    if (!verbs.includes(request.verb)) return false;
  }
  if (matcher.path !== undefined) {
    if (typeof matcher.path === 'string') {
      if (!request.path.startsWith(matcher.path)) return false;
    } else if (!matcher.path.test(request.path)) {
      return false;
    }
  }
  if (matcher.group !== undefined && matcher.group !== request.group)
    return false;
  if (matcher.resource !== undefined && matcher.resource !== request.resource) {
    return false;
  }
  if (
    matcher.namespace !== undefined &&
    matcher.namespace !== request.namespace
  ) {
    return false;
  }
  if (matcher.name !== undefined && matcher.name !== request.name) return false;
  return true;
}

/**
 * Every request the server received, for assertions such as "API-server
 * requests per page view".
 *
 * @public
 */
export class RequestLog {
  private log: RequestInfo[] = [];
  private dropped = 0;

  /** @param limit - entries kept; the oldest go first, so a long-running sandbox stays bounded. */
  constructor(private readonly limit = 100_000) {}

  record(request: RequestInfo) {
    this.log.push(request);
    if (this.log.length > this.limit * 1.1) {
      const excess = this.log.length - this.limit;
      this.dropped += excess;
      this.log = this.log.slice(excess);
    }
  }

  /** Requests no longer in the log because it reached its limit (0 in any test that resets it). */
  droppedCount(): number {
    return this.dropped;
  }

  /** Requests so far, oldest first (optionally only the matching ones). */
  entries(matcher?: RequestMatcher): RequestInfo[] {
    return this.log.filter(r => requestMatches(matcher, r));
  }

  /** How many requests matched. */
  count(matcher?: RequestMatcher): number {
    return matcher ? this.entries(matcher).length : this.log.length;
  }

  /** Counts per `"<verb> <path>"`, e.g. `{"list /apis/apps/v1/deployments": 3}`. */
  countsByVerbAndPath(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.log) {
      const key = `${r.verb} ${r.path}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  reset() {
    this.log = [];
    this.dropped = 0;
  }
}
