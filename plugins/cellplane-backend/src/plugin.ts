import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ScmIntegrations } from '@backstage/integration';
import { cellplaneDataPlanesServiceRef, gitOpsRepositoryServiceRef } from '@cellplane/backstage-plugin-node';
import { GITOPS_PUSH_EVENT_TOPICS, cellplaneStatusPermissions, formatProblem } from '@cellplane/backstage-plugin-common';
import { cellplaneLogsPermissions } from '@cellplane/backstage-plugin-common';
import { createRepositoryRouter } from './repository/createRepositoryRouter';
import { createReleasesRouter } from './releases/createReleasesRouter';
import { createActivityRouter } from './activity/createActivityRouter';
import { DataPlaneWatcher } from './dataplanes/DataPlaneWatcher';
import { StatusService } from './status/StatusService';
import { createStatusRouter } from './status/createStatusRouter';
import { CommitTracer } from './trace/CommitTracer';
import { createTraceRouter } from './trace/createTraceRouter';
import { createPlatformRouter } from './platform/createPlatformRouter';
import { createPipelineRouter } from './pipeline/createPipelineRouter';
import { listOpenPromotionPullRequests } from './pipeline/listOpenPromotionPullRequests';
import { StatusHistoryStore } from './delivery/StatusHistoryStore';
import { recordStatusHistory } from './delivery/recordStatusHistory';
import { createDeliveryMetricsRouter } from './delivery/createDeliveryMetricsRouter';
import { ComponentLogSources } from './logs/ComponentLogSources';
import { createLogsRouter } from './logs/createLogsRouter';
import { createMetricsRouter } from './metrics/createMetricsRouter';
import { readDataPlaneObservabilityConfig } from './metrics/readDataPlaneObservability';

/**
 * The Cellplane backend: serves what the portal knows about the GitOps repository, and the live
 * status of every component in every environment. On start it opens the configured repository
 * (creating and seeding the local default on first start), says in the log what it found, and
 * starts watching the data planes of `cellplaneDataPlanesServiceRef` (those of
 * `cellplane.dataPlanes`, or the sandbox's when the backend adds `@cellplane/sandbox`).
 *
 * @public
 */
export const cellplanePlugin = createBackendPlugin({
  pluginId: 'cellplane',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        repository: gitOpsRepositoryServiceRef,
        events: eventsServiceRef,
        dataPlanes: cellplaneDataPlanesServiceRef,
        database: coreServices.database,
        config: coreServices.rootConfig,
      },
      async init({ httpAuth, httpRouter, logger, lifecycle, permissions, permissionsRegistry, repository, events, dataPlanes, database, config }) {
        permissionsRegistry.addPermissions(cellplaneStatusPermissions);
        permissionsRegistry.addPermissions(cellplaneLogsPermissions);
        const { connections, applyRevision } = dataPlanes;
        const watchers: DataPlaneWatcher[] = [];
        const status = new StatusService({
          repository,
          dataPlanes: watchers,
          logger,
        });
        const logSources = new ComponentLogSources({ status, connections, watchers });
        for (const connection of connections) {
          const watcher = new DataPlaneWatcher({
            connection,
            logger,
            onChange: scopes => {
              status.planeChanged(connection.name, scopes);
              // Open log streams send the Kubernetes Events the watches just saw.
              logSources.planeChanged(connection.name, scopes);
            },
          });
          watchers.push(watcher);
          status.addDataPlane(watcher);
        }
        if (applyRevision) {
          status.onRevision((commit, rendered) => void applyRevision(commit, rendered));
        }
        // The status history (the delivery metrics' half that Git does not hold) is written from
        // the same change notifications the SSE stream sends.
        const statusHistory = await StatusHistoryStore.create(database);
        const statusHistoryRecorder = recordStatusHistory({ status, store: statusHistory, logger });

        // A push (webhook, or the write path's own event) means a new commit now: no need to wait
        // for the next look at the repository.
        await events.subscribe({
          id: 'cellplane-status',
          topics: [...GITOPS_PUSH_EVENT_TOPICS],
          onEvent: async () => {
            await status.refresh().catch(error => logger.warn(`Status refresh after a push event failed: ${error}`));
          },
        });

        httpRouter.use(await createRepositoryRouter({ httpAuth, repository }));
        httpRouter.use(createReleasesRouter({ httpAuth, permissions, repository }));
        httpRouter.use(createActivityRouter({ httpAuth, permissions, repository }));
        httpRouter.use(createStatusRouter({ httpAuth, permissions, status }));
        httpRouter.use(createTraceRouter({ httpAuth, permissions, tracer: new CommitTracer({ repository, status, dataPlanes: watchers }) }));
        httpRouter.use(createPlatformRouter({ httpAuth, permissions, repository, status }));
        const integrations = ScmIntegrations.fromConfig(config);
        httpRouter.use(
          createPipelineRouter({
            httpAuth,
            permissions,
            repository,
            status,
            // Open promotion pull requests show as "awaiting approval"; a repository on disk has none.
            listPullRequests: query => listOpenPromotionPullRequests({ integrations, repository, ...query }),
          }),
        );
        httpRouter.use(createDeliveryMetricsRouter({ httpAuth, permissions, repository, statusHistory }));
        httpRouter.use(createLogsRouter({ httpAuth, permissions, sources: logSources }));
        // Read at start: a bad prometheus or tracing key stops the backend naming it.
        httpRouter.use(createMetricsRouter({ httpAuth, permissions, repository, observability: readDataPlaneObservabilityConfig(config) }));

        lifecycle.addStartupHook(async () => {
          try {
            const model = await repository.model();
            const errors = model.problems.filter(p => p.severity === 'error');
            logger.info(
              `GitOps repository ${repository.url} (${repository.branch} @ ${model.revision?.slice(0, 12) ?? 'empty'}): ${
                model.entries().length
              } resources, ${errors.length} errors, ${model.problems.length - errors.length} warnings`,
            );
            for (const problem of errors.slice(0, 20)) {
              logger.warn(formatProblem(problem));
            }
          } catch (error) {
            logger.error(`Could not read the GitOps repository ${repository.url}: ${error}`);
          }
          for (const watcher of watchers) watcher.start();
          // Not awaited: the first read of the repository must not hold up the backend's start.
          void status.start();
        });
        lifecycle.addShutdownHook(async () => {
          await statusHistoryRecorder.stop();
          await status.stop();
          await Promise.all(watchers.map(watcher => watcher.stop()));
        });
      },
    });
  },
});
