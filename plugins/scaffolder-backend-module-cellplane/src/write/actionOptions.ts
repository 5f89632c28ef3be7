import { PermissionsService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { EventsService } from '@backstage/plugin-events-node';
import { FileChange, GitOpsRepository, RepositoryRevision } from '@cellplane/backstage-plugin-node';

/**
 * Brings `rendered/` up to date for a change: given the revision a change lands on and the
 * change's files, the rendered manifests to write in the same commit. Plug in the renderer
 * here; without one, writes carry the model only.
 *
 * @public
 */
export type Rerender = (base: RepositoryRevision, changes: FileChange[]) => Promise<FileChange[]>;

/** What every Cellplane action is built from. @public */
export interface CellplaneActionOptions {
  repository: GitOpsRepository;
  permissions: PermissionsService;
  events?: EventsService;
  integrations?: ScmIntegrationRegistry;
  /**
   * The portal's address (`app.baseUrl`). A commit to a repository with no web host of its own
   * (the on-disk default) links to the portal's commit page there.
   */
  appBaseUrl?: string;
  rerender?: Rerender;
}
