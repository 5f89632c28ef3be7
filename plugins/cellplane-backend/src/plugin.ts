import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { gitOpsRepositoryServiceRef } from '@cellplane/backstage-plugin-node';
import { formatProblem } from '@cellplane/backstage-plugin-common';
import { createRouter } from './router';

/**
 * The Cellplane backend: serves what the portal knows about the GitOps repository. On start it
 * opens the configured repository (creating and seeding the local default on first start) and
 * says in the log what it found.
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
        repository: gitOpsRepositoryServiceRef,
      },
      async init({ httpAuth, httpRouter, logger, lifecycle, repository }) {
        httpRouter.use(await createRouter({ httpAuth, repository }));
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
        });
      },
    });
  },
});
