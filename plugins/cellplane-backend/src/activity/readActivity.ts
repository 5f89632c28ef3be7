import { ActivityEntry, ActivityKind, ActivityPage } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, PathHistoryCommit } from '@cellplane/backstage-plugin-node';
import { classifyCommit } from './classifyCommit';
import { ActivityEntity, EntityPaths } from './entityPaths';

/** Commits read per `git log`. */
const CHUNK = 100;
/** Commits one request reads at most: past it, the page ends early with a cursor to go on. */
export const MAX_SCANNED = 1000;

/** The filters of an activity log (all optional but `limit`). */
export interface ActivityFilters {
  kinds?: ReadonlySet<ActivityKind>;
  /** Matched, case-insensitively, against the author's name and email and the requester. */
  author?: string;
  environment?: string;
  /** Committed at or after / before, in ms since the epoch. */
  since?: number;
  until?: number;
  limit: number;
  /** A commit already shown: the log goes on from the commit before it. */
  cursor?: string;
}

function matches(entry: ActivityEntry, filters: ActivityFilters, committedAt: number): boolean {
  const author = filters.author?.toLowerCase();
  return (
    (!filters.kinds || filters.kinds.has(entry.kind)) &&
    (!author || [entry.author.name, entry.author.email, entry.requestedBy ?? ''].some(value => value.toLowerCase().includes(author))) &&
    (!filters.environment || entry.environments.includes(filters.environment)) &&
    (filters.until === undefined || committedAt < filters.until)
  );
}

function toEntry(commit: PathHistoryCommit, paths: EntityPaths, isOldest: boolean): ActivityEntry {
  const classified = classifyCommit({ message: commit.message ?? '', parents: commit.parents ?? [] }, isOldest);
  const environments = new Set(classified.environments);
  const components = new Set<string>();
  for (const path of commit.paths) {
    const environment = paths.environmentOf(path);
    if (environment) environments.add(environment);
    const component = paths.componentOf(path);
    if (component) components.add(component);
  }
  return {
    commit: commit.commit,
    kind: classified.kind,
    summary: (commit.message ?? '').split('\n')[0],
    author: commit.author ?? { name: '', email: '' },
    ...(classified.requestedBy ? { requestedBy: classified.requestedBy } : {}),
    at: commit.authoredAt ?? commit.committedAt,
    environments: [...environments].sort(),
    components: [...components].sort(),
    ...(classified.pullRequest ? { pullRequest: classified.pullRequest } : {}),
    files: commit.paths.length,
  };
}

/**
 * The entity's activity, newest first: the commits that changed its paths (read back from
 * `revision`, or from the commit before `filters.cursor`), each classified, filtered, at most
 * `limit`. A page that stops before the history ends (full, or MAX_SCANNED commits read) carries
 * the cursor to go on from.
 */
export async function readActivity(
  repository: Pick<GitOpsRepository, 'historyOfPaths'>,
  revision: string | undefined,
  entity: ActivityEntity,
  paths: EntityPaths,
  filters: ActivityFilters,
): Promise<ActivityPage> {
  const page: ActivityPage = { entity, revision: revision ?? null, items: [] };
  if (!revision || paths.paths.length === 0) return page;
  let start = filters.cursor ?? revision;
  let skipStart = filters.cursor !== undefined;
  let scanned = 0;
  for (;;) {
    const asked = CHUNK + (skipStart ? 1 : 0);
    const chunk = await repository.historyOfPaths(start, paths.paths, { limit: asked, details: true });
    const ended = chunk.length < asked;
    const commits = skipStart && chunk[0]?.commit === start ? chunk.slice(1) : chunk;
    for (const [index, commit] of commits.entries()) {
      scanned += 1;
      const committedAt = Date.parse(commit.committedAt);
      if (filters.since !== undefined && committedAt < filters.since) return page;
      const entry = toEntry(commit, paths, ended && index === commits.length - 1);
      if (matches(entry, filters, committedAt)) page.items.push(entry);
      if (page.items.length >= filters.limit || scanned >= MAX_SCANNED) {
        const more = !(ended && index === commits.length - 1);
        return more ? { ...page, nextCursor: commit.commit } : page;
      }
    }
    if (ended || commits.length === 0) return page;
    start = commits[commits.length - 1].commit;
    skipStart = true;
  }
}
