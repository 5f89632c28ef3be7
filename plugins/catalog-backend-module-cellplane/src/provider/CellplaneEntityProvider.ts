import { LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { GitOpsRepository, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { modelToEntities } from '../entities/modelToEntities';
import { attachProblems } from './attachProblems';
import { InMemoryPublishedRevisions, PublishedRevisions } from './PublishedRevisions';
import { CellplaneProviderConfig } from './readProviderConfig';

/** After this many deltas the provider sends a full mutation, which repairs any drift. */
const FULL_SYNC_EVERY = 100;
/** The revision recorded for an empty repository (no commit yet). */
const EMPTY_REVISION = 'empty';

/**
 * The catalog processes new entities roughly in the order they arrive, and every processed
 * entity queues the targets of its relations for stitching. Sending the entities that declare
 * relations (components, then resources) before the ones they point at (APIs, then systems, then
 * domains) lets each target be stitched once, with all its relations, instead of once per
 * neighbour that finished before it.
 */
const PROCESSING_RANK: Record<string, number> = { Component: 0, Resource: 1, API: 2, System: 3, Domain: 4 };

function inProcessingOrder(entities: Entity[]): Entity[] {
  const rank = (entity: Entity) => PROCESSING_RANK[entity.kind] ?? 5;
  // Array.prototype.sort is stable, so entities of one kind keep their (ref) order.
  return [...entities].sort((a, b) => rank(a) - rank(b));
}

/** What a refresh did, for logs and tests. */
export interface RefreshResult {
  revision: string | undefined;
  mutation: 'none' | 'full' | 'delta';
  added: number;
  removed: number;
}

/**
 * Publishes the GitOps repository as catalog entities. At each new commit it maps the model to
 * entities and sends only what changed since the commit it last published (added, changed and
 * removed entities), so a push costs the catalog work proportional to the change, not to the
 * repository. Problems in the repository travel on the affected entities (see attachProblems)
 * in the `cellplane.dev/problems` annotation, which the Cellplane frontend plugin's problems card
 * shows on the entity's page.
 *
 * Every backend replica runs it, on the scheduler's global task and on push events: a delta is
 * computed against the revision the catalog holds, whichever replica published it
 * (`PublishedRevisions`), not against what this replica published last.
 */
export class CellplaneEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private published?: { revision: string | undefined; entities: Map<string, string> };
  private deltasSinceFull = 0;
  private running: Promise<RefreshResult> | undefined;
  private again = false;
  private readonly revisions: PublishedRevisions;

  constructor(
    private readonly options: {
      config: CellplaneProviderConfig;
      repository: GitOpsRepository;
      logger: LoggerService;
      taskRunner?: SchedulerServiceTaskRunner;
      /** Shared by the replicas (the catalog's database); default: this process's memory. */
      revisions?: PublishedRevisions;
    },
  ) {
    this.revisions = options.revisions ?? new InMemoryPublishedRevisions();
  }

  getProviderName(): string {
    return `cellplane-provider:${this.options.config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /**
   * Looks for a new commit and publishes it. Calls that arrive while a refresh runs (a push
   * event during a poll) are folded into one more refresh after it, never run in parallel.
   */
  refresh(): Promise<RefreshResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        let result: RefreshResult;
        do {
          this.again = false;
          result = await this.refreshOnce();
        } while (this.again);
        return result;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async refreshOnce(): Promise<RefreshResult> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected to the catalog yet`);
    }
    const model = await this.options.repository.model();
    const revision = model.revision ?? EMPTY_REVISION;
    const recorded = await this.revisions.get(this.getProviderName());
    // The first refresh of a process always publishes in full: it repairs whatever drifted.
    if (this.published && recorded === revision) {
      return { revision: model.revision, mutation: 'none', added: 0, removed: 0 };
    }
    const entities = this.entitiesOf(model);
    const serialized = new Map(entities.map(entity => [stringifyEntityRef(entity), JSON.stringify(entity)]));
    const base = this.published && this.deltasSinceFull < FULL_SYNC_EVERY ? await this.publishedAt(recorded) : undefined;
    const result = base ? await this.sendDelta(entities, serialized, base) : await this.sendFull(entities);

    if (!(await this.revisions.replace(this.getProviderName(), recorded, revision))) {
      // Another replica published while this one did, and the two reached the catalog in some
      // order: what it holds is not known for sure, so the next refresh sends it all.
      await this.revisions.forget(this.getProviderName());
      this.options.logger.info(`${this.getProviderName()}: another replica published at the same time; the next refresh sends a full mutation`);
    }
    this.published = { revision: model.revision, entities: serialized };
    this.log(model, result.mutation, result.added, result.removed);
    return { revision: model.revision, ...result };
  }

  /**
   * The entities the catalog holds, published at `recorded`: this replica's own when it published
   * last, otherwise the repository's at that revision. Undefined when not known (a full mutation).
   */
  private async publishedAt(recorded: string | undefined): Promise<Map<string, string> | undefined> {
    if (recorded === undefined) return undefined;
    if (recorded === (this.published?.revision ?? EMPTY_REVISION)) return this.published?.entities;
    if (recorded === EMPTY_REVISION) return new Map();
    try {
      const model = await (await this.options.repository.revision(recorded)).model();
      return new Map(this.entitiesOf(model).map(entity => [stringifyEntityRef(entity), JSON.stringify(entity)]));
    } catch (error) {
      this.options.logger.warn(`${this.getProviderName()}: cannot read the published revision ${recorded.slice(0, 12)} (${error}); sending a full mutation`);
      return undefined;
    }
  }

  private async sendFull(entities: Entity[]) {
    const locationKey = this.getProviderName();
    await this.connection!.applyMutation({
      type: 'full',
      entities: inProcessingOrder(entities).map(entity => ({ entity, locationKey })),
    });
    this.deltasSinceFull = 0;
    return { mutation: 'full' as const, added: entities.length, removed: 0 };
  }

  private async sendDelta(entities: Entity[], serialized: Map<string, string>, previous: Map<string, string>) {
    const locationKey = this.getProviderName();
    const added = entities.filter(entity => {
      const ref = stringifyEntityRef(entity);
      return previous.get(ref) !== serialized.get(ref);
    });
    const removed = [...previous.keys()].filter(ref => !serialized.has(ref));
    await this.connection!.applyMutation({
      type: 'delta',
      added: inProcessingOrder(added).map(entity => ({ entity, locationKey })),
      removed: removed.map(entityRef => ({ entityRef, locationKey })),
    });
    this.deltasSinceFull += 1;
    return { mutation: 'delta' as const, added: added.length, removed: removed.length };
  }

  private entitiesOf(model: RepositoryModel): Entity[] {
    const { config } = this.options;
    const entities = modelToEntities(model, {
      defaultOwner: config.defaultOwner,
      locationKey: this.getProviderName(),
    }).filter(entity => {
      const namespace = entity.metadata.namespace ?? 'default';
      return !config.namespaces || config.namespaces.includes(namespace) || namespace === 'default';
    });
    return attachProblems(entities, model, {
      providerName: this.getProviderName(),
      repositoryUrl: this.options.repository.url,
    });
  }

  private log(model: RepositoryModel, mutation: string, added: number, removed: number) {
    const errors = model.problems.filter(p => p.severity === 'error').length;
    this.options.logger.info(
      `${this.getProviderName()}: published ${model.revision?.slice(0, 12) ?? 'an empty repository'} as a ${mutation} mutation (${added} added or changed, ${removed} removed; ${errors} problems in the repository)`,
    );
  }
}
