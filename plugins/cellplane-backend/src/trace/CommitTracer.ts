import { NotFoundError } from '@backstage/errors';
import {
  CommitTrace,
  CommitTraceItem,
  ComponentEnvironmentStatus,
  STATUS_LABELS,
} from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryModel, parseYamlDocuments } from '@cellplane/backstage-plugin-node';
import { DataPlaneWatcher } from '../dataplanes/DataPlaneWatcher';
import { StatusService, pipelineOrder } from '../status/StatusService';
import { ChangedComponent, changedComponents } from './changedComponents';
import { deliveryReport, traceSteps } from './traceSteps';

/** @public */
export interface CommitTracerOptions {
  repository: GitOpsRepository;
  /** The live status: the head it is computed against and the causes it derived. */
  status: StatusService;
  /** The watched data planes (the list grows as the plugin starts them). */
  dataPlanes: readonly DataPlaneWatcher[];
}

/** What a trace reads from Git: fixed for a commit and a head, so kept between requests. */
interface CommitChanges {
  commit: string;
  committedAt: string;
  items: Array<ChangedComponent & { releaseHash?: string; supersededBy?: string }>;
}

/** Traces kept per commit and head; each live update of a trace page costs no git then. */
const CACHE_SIZE = 100;
const INCLUDED_CACHE_SIZE = 1000;
/** Commits after the traced one that the superseded check looks through. */
const HISTORY_LIMIT = 500;
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'CronJob']);
const FULL_COMMIT_ID = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

const refName = (ref: unknown): string | undefined =>
  typeof ref === 'string' ? ref : (ref as { name?: string } | undefined)?.name;

/**
 * "Did my commit land?": for each component and environment a commit changed, the way from Git
 * to running pods (committed → rendered → synced → rolled out → ready). What the commit changed,
 * the release hash it rendered and whether a newer commit superseded it come from Git (cached per
 * commit and head); where it is now comes from the status service's watch cache and the objects
 * themselves (their times survive a restart of the portal). No request reaches a cluster.
 *
 * @public
 */
export class CommitTracer {
  private readonly cache = new Map<string, Promise<CommitChanges>>();
  /** Synced revision × commit pairs known to include each other. */
  private readonly included = new Set<string>();

  constructor(private readonly options: CommitTracerOptions) {}

  /**
   * The trace of `sha` (7 to 40 hexadecimal digits), narrowed to one component when `focus` is
   * given. NotFoundError when the branch has no such commit.
   */
  async trace(sha: string, focus?: { namespace: string; component: string }): Promise<CommitTrace> {
    const { repository, status } = this.options;
    const head = status.revision ?? (await repository.fetch());
    const changes = await this.changesOf(sha, head);
    // The model the status is computed against; a request never fetches the repository itself.
    const headModel = await (await repository.revision(head ?? changes.commit)).model();
    const items: CommitTraceItem[] = [];
    for (const item of changes.items) {
      if (focus && (item.namespace !== focus.namespace || item.component !== focus.component)) continue;
      items.push(await this.traceItem(changes, item, headModel));
    }
    const order = new Map<string, string[]>();
    const position = (item: CommitTraceItem) => {
      if (!order.has(item.namespace)) order.set(item.namespace, pipelineOrder(headModel, item.namespace));
      const index = order.get(item.namespace)!.indexOf(item.environment);
      return index < 0 ? Infinity : index;
    };
    items.sort(
      (a, b) =>
        a.namespace.localeCompare(b.namespace) ||
        a.component.localeCompare(b.component) ||
        position(a) - position(b) ||
        a.environment.localeCompare(b.environment),
    );
    return { commit: changes.commit, committedAt: changes.committedAt, head: head ?? null, items };
  }

  private async traceItem(
    changes: CommitChanges,
    item: CommitChanges['items'][number],
    headModel: RepositoryModel,
  ): Promise<CommitTraceItem> {
    const { namespace, project, component, environment } = item;
    const status = this.statusOf(namespace, component, environment);
    const plane = this.planeOf(headModel, namespace, environment);
    const unreadable = unreadableReason(plane, environment);
    const objects = plane && !unreadable ? plane.store.objectsOf(namespace, project, component, environment) : [];
    const delivery = deliveryReport(objects);
    let syncedIncludesCommit: boolean | undefined;
    if (delivery?.revision && FULL_COMMIT_ID.test(delivery.revision)) {
      syncedIncludesCommit = await this.includes(delivery.revision, changes.commit);
    } else if (delivery?.revision) {
      syncedIncludesCommit = false;
    }
    return {
      namespace,
      project,
      component,
      environment,
      change: item.change,
      ...(item.releaseHash ? { releaseHash: item.releaseHash } : {}),
      ...(item.supersededBy ? { supersededBy: item.supersededBy } : {}),
      steps: traceSteps({
        changed: item,
        commit: changes.commit,
        committedAt: changes.committedAt,
        releaseHash: item.releaseHash,
        status,
        unreadable,
        objects,
        delivery,
        syncedIncludesCommit,
        supersededBy: item.supersededBy,
      }),
    };
  }

  /**
   * Whether a synced revision includes the commit. That it does never changes, so it is kept; that
   * it does not may change (a revision not fetched yet), so it is asked again next time.
   */
  private async includes(revision: string, commit: string): Promise<boolean> {
    const key = `${revision}\u0000${commit}`;
    if (this.included.has(key)) return true;
    const included = await this.options.repository.includesCommit(revision, commit);
    if (included) {
      if (this.included.size >= INCLUDED_CACHE_SIZE) this.included.delete(this.included.values().next().value!);
      this.included.add(key);
    }
    return included;
  }

  private statusOf(namespace: string, component: string, environment: string): ComponentEnvironmentStatus | undefined {
    try {
      return this.options.status.componentStatus(namespace, component).find(s => s.environment === environment);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined; // no longer in the repository at its head
      throw error;
    }
  }

  /** The watched data plane of an environment: the sandbox stands in for every one, as in status. */
  private planeOf(model: RepositoryModel, namespace: string, environment: string): DataPlaneWatcher | undefined {
    const planes = this.options.dataPlanes;
    const sandbox = planes.find(plane => plane.sandbox);
    if (sandbox) return sandbox;
    const env = model.get('Environment', environment, namespace);
    const name = refName((env?.resource.spec as any)?.dataPlaneRef) ?? 'default';
    return planes.find(plane => plane.name === name);
  }

  private changesOf(sha: string, head: string | undefined): Promise<CommitChanges> {
    const key = `${sha}\u0000${head ?? ''}`;
    let changes = this.cache.get(key);
    if (!changes) {
      changes = this.readChanges(sha, head);
      // A failed read (an unknown commit now, maybe pushed in a moment) is not kept.
      changes.catch(() => this.cache.delete(key));
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, changes);
    }
    return changes;
  }

  private async readChanges(sha: string, head: string | undefined): Promise<CommitChanges> {
    const { repository } = this.options;
    // Only the list of files is needed, not their diff.
    const details = await repository.readCommit(sha, { maxDiffBytes: 1 });
    if (!details) throw new NotFoundError(`no commit ${sha} on ${repository.branch} of the GitOps repository`);
    const { commit } = details;
    const model = await (await repository.revision(commit)).model();
    const changed = changedComponents(details.files, model);
    const renderedPaths = new Set(changed.filter(c => c.change === 'rendered').map(c => c.renderedPath!));
    const hashes = await this.releaseHashes(commit, renderedPaths);
    const superseded = head && head !== commit ? await this.newerChanges(head, commit, [...renderedPaths]) : new Map();
    return {
      commit,
      committedAt: details.date,
      items: changed.map(c => ({
        ...c,
        ...(c.renderedPath && hashes.get(c.renderedPath) ? { releaseHash: hashes.get(c.renderedPath) } : {}),
        ...(c.renderedPath && superseded.get(c.renderedPath) ? { supersededBy: superseded.get(c.renderedPath) } : {}),
      })),
    };
  }

  /** The release hash of the workload each rendered file holds at the commit (one read of the tree). */
  private async releaseHashes(commit: string, paths: Set<string>): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    if (paths.size === 0) return hashes;
    const files = this.options.repository.readFiles(commit, { under: 'rendered/', skip: ({ path }) => !paths.has(path) });
    for await (const file of files) {
      const parsed = parseYamlDocuments(file.content);
      if (!parsed.ok) continue;
      for (const document of parsed.documents) {
        const object = document.value as any;
        const hash = object?.metadata?.labels?.[STATUS_LABELS.releaseHash];
        if (WORKLOAD_KINDS.has(object?.kind) && typeof hash === 'string') {
          hashes.set(file.path, hash);
          break;
        }
      }
    }
    return hashes;
  }

  /**
   * For each path, the newest commit after `commit` (up to the head) that changed it again: that
   * one goes instead. Empty when the head's history does not reach `commit` within the limit,
   * since then nothing can be said about which came later.
   */
  private async newerChanges(head: string, commit: string, paths: string[]): Promise<Map<string, string>> {
    if (paths.length === 0) return new Map();
    const history = await this.options.repository.historyOfPaths(head, paths, { limit: HISTORY_LIMIT });
    const newer = new Map<string, string>();
    for (const entry of history) {
      if (entry.commit === commit) return newer;
      for (const path of entry.paths) if (!newer.has(path)) newer.set(path, entry.commit);
    }
    return new Map();
  }
}

/** Why what a data plane holds cannot be known now, or undefined when its watches are current. */
function unreadableReason(plane: DataPlaneWatcher | undefined, environment: string): string | undefined {
  if (!plane) return `data plane of environment ${environment} is not configured under cellplane.dataPlanes`;
  const availability = plane.availability();
  if (availability.available) return undefined;
  return `data plane ${plane.name} cannot be read${availability.reason ? `: ${availability.reason}` : ''}`;
}
