import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneProblemsOf } from '@cellplane/backstage-plugin-common';
import { RepositoryProblemsCard } from './RepositoryProblemsCard';

/** The repository's problems about the entity of the page. */
export function EntityRepositoryProblemsCard() {
  const { entity } = useEntity();
  return <RepositoryProblemsCard problems={cellplaneProblemsOf(entity)} />;
}
