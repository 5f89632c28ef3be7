import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { gitOpsRepositoryServiceRef } from '@cellplane/backstage-plugin-node';
import { loadRenderedObjectSchemas } from '@cellplane/renderer';
import {
  createComponentCreateAction,
  createComponentPromoteAction,
  createComponentRollbackAction,
  createDependencyAddAction,
  createEndpointAddAction,
  createEnvironmentOverrideAction,
  createProjectCreateAction,
  createResourceClaimAction,
} from './actions';
import { rerenderWithRenderer } from './write/rerender';
import { CellplaneActionOptions } from './write/writeChange';

/**
 * The Cellplane scaffolder actions (`cellplane:<noun>:<verb>`), each writing one commit (or
 * pull request) to the GitOps repository.
 *
 * @public
 */
export const scaffolderModuleCellplane = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'cellplane',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        events: eventsServiceRef,
        repository: gitOpsRepositoryServiceRef,
      },
      async init({ scaffolder, config, permissions, events, repository }) {
        // The schemas that check rendered manifests are ESM modules, loaded on first use: half a
        // second of the event loop. Loaded here, before the backend serves, a task's first write
        // does not stall every request.
        await loadRenderedObjectSchemas();
        const options: CellplaneActionOptions = {
          repository,
          permissions,
          events,
          appBaseUrl: config.getOptionalString('app.baseUrl'),
          integrations: ScmIntegrations.fromConfig(config),
          // rendered/ is brought up to date in the same commit as each change
          rerender: rerenderWithRenderer(),
        };
        scaffolder.addActions(
          createProjectCreateAction(options),
          createComponentCreateAction(options),
          createEndpointAddAction(options),
          createDependencyAddAction(options),
          createEnvironmentOverrideAction(options),
          createComponentPromoteAction(options),
          createComponentRollbackAction(options),
          createResourceClaimAction(options),
        );
      },
    });
  },
});
