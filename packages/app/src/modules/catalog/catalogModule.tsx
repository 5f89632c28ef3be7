import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { repositoryProblemsOf } from './RepositoryProblemsCard';

/**
 * Shows, on an entity's page, what is wrong in the GitOps repository about it (a dependency
 * on a missing endpoint, a field that breaks its rule), as the Cellplane catalog provider
 * reported it. Only on entities that have problems.
 */
const repositoryProblemsCard = EntityCardBlueprint.make({
  name: 'cellplane-repository-problems',
  params: {
    type: 'content',
    filter: entity => repositoryProblemsOf(entity).length > 0,
    loader: async () => {
      const { RepositoryProblemsCard } = await import('./RepositoryProblemsCard');
      return <RepositoryProblemsCard />;
    },
  },
});

export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [repositoryProblemsCard],
});
