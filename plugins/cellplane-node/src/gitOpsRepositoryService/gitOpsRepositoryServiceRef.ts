import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { gitCredentialsEnv } from '../config/gitCredentials';
import { readGitOpsConfig } from '../config/readGitOpsConfig';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { ensureLocalRepository } from './seedRepository';

/**
 * The GitOps repository configured under `cellplane.gitops`, shared by every Cellplane plugin
 * and module of a backend. With no configuration it is a bare repository on disk, created and
 * seeded with the example organisation on first start.
 *
 * @public
 */
export const gitOpsRepositoryServiceRef = createServiceRef<GitOpsRepository>({
  id: 'cellplane.gitops-repository',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
      async factory({ config, logger }) {
        const gitops = readGitOpsConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const repository = new GitOpsRepository({
          url: gitops.url,
          branch: gitops.branch,
          cacheDir: gitops.cacheDir,
          logger: logger.child({ plugin: 'cellplane' }),
          gitEnv: gitops.isLocal ? undefined : () => gitCredentialsEnv(gitops.url, integrations),
        });
        if (gitops.isLocal) {
          await ensureLocalRepository({ seedFrom: gitops.seedFrom, repository, logger });
        }
        return repository;
      },
    }),
});
