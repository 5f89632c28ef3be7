import { LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { GitOpsRepository, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { modelToEntities } from '../entities/modelToEntities';
import { attachProblems } from './attachProblems';
import { CellplaneProviderConfig } from './readProviderConfig';

/** After this many deltas the provider sends a full mutation, which repairs any drift. */
const FULL_SYNC_EVERY = 100;

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
 */
export class CellplaneEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private published?: { revision: string | undefined; entities: Map<string, string> };
  private deltasSinceFull = 0;
  private running: Promise<RefreshResult> | undefined;
  private again = false;

  constructor(
    private readonly options: {
      config: CellplaneProviderConfig;
      repository: GitOpsRepository;
      logger: LoggerService;
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

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
    if (this.published && this.published.revision === model.revision) {
      return { revision: model.revision, mutation: 'none', added: 0, removed: 0 };
    }
    const entities = this.entitiesOf(model);
    const locationKey = this.getProviderName();
    const serialized = new Map(entities.map(entity => [stringifyEntityRef(entity), JSON.stringify(entity)]));

    if (!this.published || this.deltasSinceFull >= FULL_SYNC_EVERY) {
      await this.connection.applyMutation({
        type: 'full',
        entities: inProcessingOrder(entities).map(entity => ({ entity, locationKey })),
      });
      this.published = { revision: model.revision, entities: serialized };
      this.deltasSinceFull = 0;
      this.log(model, 'full', entities.length, 0);
      return { revision: model.revision, mutation: 'full', added: entities.length, removed: 0 };
    }

    const previous = this.published.entities;
    const added = entities.filter(entity => {
      const ref = stringifyEntityRef(entity);
      return previous.get(ref) !== serialized.get(ref);
    });
    const removed = [...previous.keys()].filter(ref => !serialized.has(ref));
    await this.connection.applyMutation({
      type: 'delta',
      added: inProcessingOrder(added).map(entity => ({ entity, locationKey })),
      removed: removed.map(entityRef => ({ entityRef, locationKey })),
    });
    this.published = { revision: model.revision, entities: serialized };
    this.deltasSinceFull += 1;
    this.log(model, 'delta', added.length, removed.length);
    return { revision: model.revision, mutation: 'delta', added: added.length, removed: removed.length };
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
