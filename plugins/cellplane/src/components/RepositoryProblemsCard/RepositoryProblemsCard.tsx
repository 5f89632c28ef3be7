import { InfoCard } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

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
      <Typography variant="body2">Fix these in the repository; the catalog shows the rest of this entity meanwhile.</Typography>
      <Box component="ul" sx={{ pl: 3, mb: 0 }}>
        {props.problems.map(problem => (
          <Typography component="li" variant="body2" key={problem} sx={{ mt: 0.5 }}>
            <code>{problem}</code>
          </Typography>
        ))}
      </Box>
    </InfoCard>
  );
}
