import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { DeliveryScope, cellplaneStatusReadPermission } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { readQuery, resourceName, shown } from '../http/requestParameters';
import { StatusHistoryStore } from './StatusHistoryStore';
import { HistoryCommit, computeDeliveryMetrics } from './computeDeliveryMetrics';
import { readDeliveryHistory, scopeOfMetrics } from './readDeliveryHistory';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface DeliveryMetricsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  repository: GitOpsRepository;
  statusHistory: Pick<StatusHistoryStore, 'entries' | 'since'>;
  /** The end of the period when the request names none (default: now). */
  now?: () => number;
}

const DAY_MS = 86_400_000;
const DEFAULT_PERIOD_MS = 30 * DAY_MS;
const MAX_PERIOD_MS = 366 * DAY_MS;
/** A deployment followed by Degraded within a day (before the next deployment) failed. */
export const FAILURE_WINDOW_MS = DAY_MS;
/** Each evidence list holds at most this many items, newest first. */
export const EVIDENCE_LIMIT = 200;
/** Status rows this long before the period still count (the release Healthy before a deployment, a Degraded stretch). */
const STATUS_LOOKBACK_MS = 30 * DAY_MS;
const HISTORY_CACHE_SIZE = 20;
const ENTITY = /^(component|project|system):([^/]+)\/([^/]+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * `GET /delivery-metrics?entity=component:<ns>/<name>|project:<ns>/<name>` or `?namespace=<ns>`,
 * with optional `environment`, `from` and `to` (ISO 8601; default the last 30 days, at most 366):
 * the delivery (DORA) figures of the scope per environment with the commits and status changes
 * behind each (computeDeliveryMetrics). Built from status, so it needs `cellplane.status.read`.
 *
 * @public
 */
export function createDeliveryMetricsRouter(options: DeliveryMetricsRouterOptions): express.Router {
  const { httpAuth, permissions, repository, statusHistory, now = Date.now } = options;
  const router = Router();
  // A revision's history never changes: the last few scopes' histories are kept.
  const histories = new Map<string, Promise<HistoryCommit[]>>();

  router.get('/delivery-metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const query = readQuery(req, ['entity', 'namespace', 'environment', 'from', 'to']);
    const scope = scopeOf(query);
    const { from, to } = periodOf(query, now());
    const environment = query.environment === undefined ? undefined : resourceName(query.environment, 'environment');
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, 'reading delivery metrics');

    const revision = (await repository.fetch()) ?? null;
    const model = await (await repository.revision(revision ?? undefined)).model();
    const measured = scopeOfMetrics(model, scope);
    if (environment && !measured.environments.some(e => e.name === environment)) {
      throw new InputError(
        `environment ${shown(environment)} is not an environment of namespace ${scope.namespace}: ${measured.environments.map(e => e.name).join(', ') || 'it has none'}`,
      );
    }
    let commits: HistoryCommit[] = [];
    if (revision) {
      const cacheKey = `${revision}\u0000${scope.kind}\u0000${scope.namespace}\u0000${scope.name}`;
      let history = histories.get(cacheKey);
      if (!history) {
        history = readDeliveryHistory(repository, revision, measured);
        history.catch(() => histories.delete(cacheKey));
        if (histories.size >= HISTORY_CACHE_SIZE) histories.delete(histories.keys().next().value!);
        histories.set(cacheKey, history);
      }
      commits = await history;
    }
    const [statuses, statusHistorySince] = await Promise.all([
      statusHistory.entries({
        namespace: scope.namespace,
        ...(scope.kind === 'component' ? { component: scope.name } : scope.kind === 'project' ? { project: scope.name } : {}),
        since: from - STATUS_LOOKBACK_MS,
      }),
      statusHistory.since(scope.namespace),
    ]);
    res.json(
      computeDeliveryMetrics({
        scope,
        environments: measured.environments.filter(e => !environment || e.name === environment),
        components: measured.components,
        commits,
        statuses,
        from,
        to,
        failureWindowMs: FAILURE_WINDOW_MS,
        evidenceLimit: EVIDENCE_LIMIT,
        revision,
        ...(statusHistorySince !== undefined ? { statusHistorySince } : {}),
      }),
    );
  });

  router.use(omitClientErrorStacks);
  return router;
}

/** The scope a request names: one of entity and namespace, never both. */
function scopeOf(query: { entity?: string; namespace?: string }): DeliveryScope {
  if (query.entity !== undefined && query.namespace !== undefined) {
    throw new InputError('give entity or namespace, not both');
  }
  if (query.namespace !== undefined) {
    const namespace = resourceName(query.namespace, 'namespace');
    return { kind: 'namespace', namespace, name: namespace };
  }
  if (query.entity === undefined) {
    throw new InputError('entity (component:<namespace>/<name> or project:<namespace>/<name>) or namespace is required');
  }
  const match = ENTITY.exec(query.entity);
  if (!match) {
    throw new InputError(`entity must be component:<namespace>/<name> or project:<namespace>/<name>, got ${shown(query.entity)}`);
  }
  return {
    kind: match[1] === 'component' ? 'component' : 'project',
    namespace: resourceName(match[2], 'entity namespace'),
    name: resourceName(match[3], `entity ${match[1] === 'component' ? 'component' : 'project'}`),
  };
}

/** The period: ISO 8601 dates, from before to, at most 366 days; the last 30 days by default. */
function periodOf(query: { from?: string; to?: string }, now: number): { from: number; to: number } {
  const parse = (name: 'from' | 'to') => {
    const value = query[name];
    if (value === undefined) return undefined;
    const time = ISO_DATE.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(time)) throw new InputError(`${name} must be an ISO 8601 date such as 2026-03-01 or 2026-03-01T12:00:00Z, got ${shown(value)}`);
    return time;
  };
  const to = parse('to') ?? now;
  const from = parse('from') ?? to - DEFAULT_PERIOD_MS;
  if (from >= to) throw new InputError('from must be before to');
  if (to - from > MAX_PERIOD_MS) throw new InputError('from and to must be at most 366 days apart');
  return { from, to };
}
