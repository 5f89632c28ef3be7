import { InfoCard } from '@backstage/core-components';

/** @public */
export interface RepositoryProblemsCardProps {
  /** One line each, as Cellplane's catalog module attaches them to an entity. */
  problems: string[];
}

/**
 * What is wrong in the GitOps repository about an entity (a dependency on a missing endpoint, a
 * field that breaks its rule), as Cellplane's catalog module reported it in the
 * `cellplane.dev/problems` annotation.
 *
 * @public
 */
export function RepositoryProblemsCard(props: RepositoryProblemsCardProps) {
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
