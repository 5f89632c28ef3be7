import { LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { componentTypeTemplates } from './componentTypeTemplates';

/**
 * Publishes a scaffolder Template for each ComponentType in the GitOps repository, refreshed
 * at each new commit (on its schedule, and at once after a push event).
 *
 * Each scheduled run publishes the head's templates even when this replica saw that commit
 * before: with several backend replicas, another one may have published an older commit's
 * templates after it (two refreshes at once, reaching the catalog in the other order). A few
 * templates cost the catalog nothing when unchanged, and the catalog holds the head's again
 * within one period, whichever replica runs it.
 *
 * @public
 */
export class ComponentTypeTemplateProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private publishedRevision: string | undefined | null = null;

  constructor(
    private readonly options: {
      repository: GitOpsRepository;
      logger: LoggerService;
      owner: string;
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'cellplane-component-type-templates';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({ id: `${this.getProviderName()}:refresh`, fn: () => this.publish({ always: true }) });
  }

  /** Publishes the templates of the head's ComponentTypes, if this replica has not yet. */
  async refresh(): Promise<void> {
    await this.publish({ always: false });
  }

  private async publish(options: { always: boolean }): Promise<void> {
    if (!this.connection) return;
    const model = await this.options.repository.model();
    const seen = model.revision === this.publishedRevision;
    if (seen && !options.always) return;
    const locationRef = `cellplane-gitops:${this.options.repository.url}`;
    const entities = componentTypeTemplates(model, { owner: this.options.owner, locationRef });
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({ entity, locationKey: this.getProviderName() })),
    });
    this.publishedRevision = model.revision;
    if (seen) return;
    this.options.logger.info(`Published ${entities.length} ComponentType templates from ${model.revision?.slice(0, 12) ?? 'an empty repository'}`);
  }
}
