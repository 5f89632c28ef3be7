import { EnvironmentDeliveryMetrics } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { CommitLink } from './links';
import { formatDuration, formatTime } from './formatDuration';

const KIND_LABELS = { binding: 'Binding changed', spec: 'Spec changed', rollback: 'Rollback' } as const;

/** What one environment's figures are made of: its deployments, lead times and restores, each linking to its commits. */
export function FigureEvidence(props: { metrics: EnvironmentDeliveryMetrics; limit: number }) {
  const { deployments, leadTimes, restores } = props.metrics.evidence;
  const environment = props.metrics.environment;
  const more = (shown: number, total: number) =>
    total > shown ? <Typography variant="caption">The newest {shown} of {total}.</Typography> : null;
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { md: '1fr 1fr 1fr' }, py: 1 }}>
      <section aria-label={`Deployments to ${environment}`}>
        <Typography variant="subtitle2">Deployments</Typography>
        {deployments.length === 0 ? (
          <Typography variant="body2">No deployment in this period.</Typography>
        ) : (
          <ul>
            {deployments.map(d => (
              <li key={`${d.commit}-${d.component}`}>
                <CommitLink commit={d.commit} /> {d.component}: {KIND_LABELS[d.kind]}
                {d.release ? ` (${d.release})` : ''}, <time dateTime={d.at}>{formatTime(d.at)}</time>{' '}
                {d.failure && (
                  <Chip
                    size="small"
                    color="error"
                    label={d.failure.cause === 'rollback' ? 'Failed: rolled back' : `Failed: Degraded at ${formatTime(d.failure.at)}`}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
        {more(deployments.length, props.metrics.deploymentFrequency.deployments)}
      </section>
      <section aria-label={`Lead times to ${environment}`}>
        <Typography variant="subtitle2">Lead times</Typography>
        {leadTimes.length === 0 ? (
          <Typography variant="body2">No spec change reached Healthy here in this period.</Typography>
        ) : (
          <ul>
            {leadTimes.map(l => (
              <li key={`${l.commit}-${l.component}`}>
                <CommitLink commit={l.commit} /> {l.component}: {formatDuration(l.seconds)} (deployed by <CommitLink commit={l.deployedBy} />,
                Healthy <time dateTime={l.healthyAt}>{formatTime(l.healthyAt)}</time>)
              </li>
            ))}
          </ul>
        )}
        {more(leadTimes.length, props.metrics.leadTime.changes)}
      </section>
      <section aria-label={`Restores in ${environment}`}>
        <Typography variant="subtitle2">Degraded → Healthy</Typography>
        {restores.length === 0 ? (
          <Typography variant="body2">Never Degraded in this period.</Typography>
        ) : (
          <ul>
            {restores.map(r => (
              <li key={`${r.component}-${r.degradedAt}`}>
                {r.component}: Degraded <time dateTime={r.degradedAt}>{formatTime(r.degradedAt)}</time>
                {r.reason ? ` (${r.reason})` : ''}, {r.seconds === undefined ? 'not Healthy again yet' : `Healthy after ${formatDuration(r.seconds)}`}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Box>
  );
}
