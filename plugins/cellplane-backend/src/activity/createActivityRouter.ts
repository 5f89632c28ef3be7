import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ACTIVITY_KINDS, ActivityKind, cellplaneStatusReadPermission } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { readQuery, resourceName, shown } from '../http/requestParameters';
import { ActivityEntity, entityPaths } from './entityPaths';
import { ActivityFilters, readActivity } from './readActivity';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface ActivityRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  repository: GitOpsRepository;
}

const PARAMETERS = ['entity', 'kind', 'author', 'environment', 'since', 'until', 'limit', 'cursor'] as const;
const DEFAULT_LIMIT = 30;
const MAX_LIMIT = 100;
const ISO_DATE = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/;
const FULL_COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** `entity=<kind>:<namespace>/<name>`: a component, or a project (also called by its catalog kind, system). */
function parseEntity(value: string | undefined): ActivityEntity {
  const match = /^(component|project|system):([^/]*)\/([^/]*)$/i.exec(value ?? '');
  if (!match) {
    throw new InputError(
      `entity must be component:<namespace>/<name> or project:<namespace>/<name> (system: for a project too), got ${value === undefined ? 'nothing' : shown(value)}`,
    );
  }
  const kind = match[1].toLowerCase() === 'component' ? 'component' : 'project';
  return { kind, namespace: resourceName(match[2], 'entity namespace'), name: resourceName(match[3], 'entity name') };
}

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!ISO_DATE.test(value) || Number.isNaN(time)) throw new InputError(`${field} must be an ISO 8601 date or time (2026-12-01, 2026-12-01T10:00:00Z), got ${shown(value)}`);
  return time;
}

/** The filters of a request, each checked; an error names the parameter. */
function parseFilters(query: Partial<Record<(typeof PARAMETERS)[number], string>>): ActivityFilters {
  let kinds: Set<ActivityKind> | undefined;
  if (query.kind !== undefined) {
    const asked = query.kind.split(',').map(kind => kind.trim());
    const unknown = asked.filter(kind => !(ACTIVITY_KINDS as readonly string[]).includes(kind));
    if (unknown.length || asked.length === 0) {
      throw new InputError(`kind must be one or more of ${ACTIVITY_KINDS.join(', ')} (comma-separated), got ${shown(query.kind)}`);
    }
    kinds = new Set(asked as ActivityKind[]);
  }
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (!/^\d+$/.test(query.limit ?? '1') || limit < 1 || limit > MAX_LIMIT) {
    throw new InputError(`limit must be a whole number from 1 to ${MAX_LIMIT}, got ${shown(query.limit!)}`);
  }
  if (query.author !== undefined && !query.author.trim()) throw new InputError('author must not be empty');
  const cursor = query.cursor?.toLowerCase();
  if (cursor !== undefined && !FULL_COMMIT_ID.test(cursor)) {
    throw new InputError(`cursor must be a full commit id, as a page's nextCursor gives it, got ${shown(query.cursor!)}`);
  }
  return {
    kinds,
    author: query.author?.trim(),
    environment: query.environment === undefined ? undefined : resourceName(query.environment, 'environment'),
    since: parseTime(query.since, 'since'),
    until: parseTime(query.until, 'until'),
    limit,
    cursor,
  };
}

/**
 * `GET /activity?entity=<kind>:<namespace>/<name>[&kind=&author=&environment=&since=&until=&limit=&cursor=]`:
 * who changed a component or a project, what and when, newest first, from the Git history of its
 * files (the audit log of a GitOps portal is the history). Needs `cellplane.status.read`.
 *
 * @public
 */
export function createActivityRouter(options: ActivityRouterOptions): express.Router {
  const { httpAuth, permissions, repository } = options;
  const router = Router();

  router.get('/activity', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, 'reading activity');
    const query = readQuery(req, PARAMETERS);
    const entity = parseEntity(query.entity);
    const filters = parseFilters(query);
    const model = await repository.model();
    const revision = model.revision;
    if (filters.cursor && revision && !(await repository.includesCommit(revision, filters.cursor))) {
      throw new InputError(`cursor must be a commit of the GitOps repository's branch, got ${shown(filters.cursor)}`);
    }
    const index = revision ? ((await (await repository.revision(revision)).readFile('rendered/index.txt'))?.toString('utf8') ?? '') : '';
    const paths = entityPaths(model, entity, index);
    res.json(await readActivity(repository, revision, entity, paths, filters));
  });

  router.use(omitClientErrorStacks);
  return router;
}
