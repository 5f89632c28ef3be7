import { InfoCard } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';

/** Where the Cellplane catalog provider puts the repository's errors about an entity. */
export const PROBLEMS_ANNOTATION = 'cellplane.dev/problems';

export function repositoryProblemsOf(entity: Entity): string[] {
  const raw = entity.metadata.annotations?.[PROBLEMS_ANNOTATION];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
  } catch {
    return [raw];
  }
}

export function RepositoryProblemsList(props: { problems: string[] }) {
  return (
    <InfoCard title="Problems in the GitOps repository">
      <p>Fix these in the repository; the catalog shows the rest of this entity meanwhile.</p>
      <ul>
        {props.problems.map(problem => (
          <li key={problem}>
            <code>{problem}</code>
          </li>
        ))}
      </ul>
    </InfoCard>
  );
}

export function RepositoryProblemsCard() {
  const { entity } = useEntity();
  return <RepositoryProblemsList problems={repositoryProblemsOf(entity)} />;
}
