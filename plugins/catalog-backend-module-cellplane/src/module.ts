import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { GITOPS_PUSH_EVENT_TOPICS } from '@cellplane/backstage-plugin-common';
import { gitOpsRepositoryServiceRef } from '@cellplane/backstage-plugin-node';
import { CellplaneEntitiesProcessor } from './processor/CellplaneEntitiesProcessor';
import { CellplaneEntityProvider } from './provider/CellplaneEntityProvider';
import { DatabasePublishedRevisions } from './provider/PublishedRevisions';
import { readDefaultOwner } from './provider/readDefaultOwner';
import { readProviderConfig } from './provider/readProviderConfig';
import { ComponentTypeTemplateProvider } from './templates/ComponentTypeTemplateProvider';

/**
 * Publishes the Cellplane GitOps repository into the catalog: the entity provider (on a
 * schedule, and at once on a push event), the processor for Cellplane's kinds and problems, and
 * a scaffolder Template per ComponentType, so a new type gets its wizard in "Create" without
 * anyone writing YAML (its steps use the actions of
 * `@cellplane/backstage-plugin-scaffolder-backend-module`).
 *
 * @public
 */
export const catalogModuleCellplane = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'cellplane',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        database: coreServices.database,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        repository: gitOpsRepositoryServiceRef,
      },
      async init({ catalog, config, database, logger, scheduler, events, repository }) {
        const providerConfig = readProviderConfig(config);
        const provider = new CellplaneEntityProvider({
          config: providerConfig,
          repository,
          logger,
          taskRunner: scheduler.createScheduledTaskRunner(providerConfig.schedule),
          // Every replica publishes (its scheduled runs take turns, push events arrive anywhere):
          // the revision the catalog holds is kept in the catalog's database.
          revisions: new DatabasePublishedRevisions(database),
        });
        const templates = new ComponentTypeTemplateProvider({
          repository,
          logger,
          owner: readDefaultOwner(config),
          taskRunner: scheduler.createScheduledTaskRunner({ frequency: { seconds: 30 }, timeout: { minutes: 1 } }),
        });
        catalog.addEntityProvider(provider, templates);
        catalog.addProcessor(new CellplaneEntitiesProcessor());
        await events.subscribe({
          id: provider.getProviderName(),
          topics: [...GITOPS_PUSH_EVENT_TOPICS],
          onEvent: async event => {
            logger.info(`Push event on ${event.topic}: looking for a new commit`);
            await provider.refresh().catch(error => logger.warn(`Refresh after a push event failed: ${error}`));
            await templates.refresh().catch(error => logger.warn(`ComponentType templates refresh failed: ${error}`));
          },
        });
      },
    });
  },
});
