import { InfoCard } from '@backstage/core-components';
import { ComponentEnvironmentStatus, HEALTH_STATES, HealthState, PlatformEnvironment, PlatformPipeline } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { HEALTH_WORDS, HealthIndicator } from '../common/health';
import { ComponentLink } from './entityLinks';

/** Healths that need someone to look; NotDeployed and Healthy do not. */
const NEEDS_ATTENTION: readonly HealthState[] = ['Degraded', 'OutOfSync', 'Unknown', 'Progressing'];
/** Rows listed before "and N more": a broken data plane makes every component Unknown. */
const MAX_LISTED = 50;

/** Environments in promotion order within each namespace, then any others by name. */
function environmentOrder(environments: PlatformEnvironment[], pipelines: PlatformPipeline[], statuses: ComponentEnvironmentStatus[]) {
  const ordered: string[] = [];
  const add = (key: string) => !ordered.includes(key) && ordered.push(key);
  for (const pipeline of pipelines) for (const env of pipeline.order) add(`${pipeline.namespace}/${env}`);
  for (const env of environments) add(`${env.namespace}/${env.name}`);
  for (const s of [...statuses].sort((a, b) => `${a.namespace}/${a.environment}`.localeCompare(`${b.namespace}/${b.environment}`))) {
    add(`${s.namespace}/${s.environment}`);
  }
  return ordered;
}

/** Health across every project: counts per environment, and the components that need attention. */
export function HealthSection(props: {
  statuses: ComponentEnvironmentStatus[];
  environments: PlatformEnvironment[];
  pipelines: PlatformPipeline[];
}) {
  const { statuses, environments, pipelines } = props;
  const order = environmentOrder(environments, pipelines, statuses);
  const counts = new Map(order.map(key => [key, Object.fromEntries(HEALTH_STATES.map(h => [h, 0])) as Record<HealthState, number>]));
  for (const s of statuses) counts.get(`${s.namespace}/${s.environment}`)![s.health]++;
  const attention = statuses
    .filter(s => NEEDS_ATTENTION.includes(s.health))
    .sort((a, b) => NEEDS_ATTENTION.indexOf(a.health) - NEEDS_ATTENTION.indexOf(b.health) || order.indexOf(`${a.namespace}/${a.environment}`) - order.indexOf(`${b.namespace}/${b.environment}`) || a.component.localeCompare(b.component));
  return (
    <InfoCard title="Health across all projects">
      {statuses.length === 0 ? (
        <Typography variant="body2">
          No component has a status yet: the repository has no components, or the status service has not read it yet (this
          page updates by itself).
        </Typography>
      ) : (
        <>
          <Table size="small" aria-label="Health per environment">
            <TableHead>
              <TableRow>
                <TableCell>Environment</TableCell>
                {HEALTH_STATES.map(h => (
                  <TableCell key={h} align="right">
                    {HEALTH_WORDS[h]}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {order.map(key => (
                <TableRow key={key} aria-label={`${key}: ${HEALTH_STATES.filter(h => counts.get(key)![h] > 0).map(h => `${counts.get(key)![h]} ${HEALTH_WORDS[h]}`).join(', ') || 'no components'}`}>
                  <TableCell>{key}</TableCell>
                  {HEALTH_STATES.map(h => (
                    <TableCell key={h} align="right">
                      {counts.get(key)![h] || ''}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Box component="section" aria-label="Components that need attention" sx={{ mt: 2 }}>
            <Typography variant="subtitle1" component="h3">
              Components that need attention
            </Typography>
            {attention.length === 0 ? (
              <Typography variant="body2">None: every deployed component is healthy.</Typography>
            ) : (
              <Box component="ul" sx={{ pl: 2, my: 0.5 }}>
                {attention.slice(0, MAX_LISTED).map(s => (
                  <Typography component="li" variant="body2" key={`${s.namespace}/${s.component}/${s.environment}`} sx={{ mb: 0.5 }}>
                    <ComponentLink component={{ namespace: s.namespace, name: s.component }} /> in {s.environment}:{' '}
                    <HealthIndicator health={s.health} />
                    {s.reason ? ` ${s.reason}` : ''}
                  </Typography>
                ))}
                {attention.length > MAX_LISTED && (
                  <Typography component="li" variant="body2">
                    … and {attention.length - MAX_LISTED} more
                  </Typography>
                )}
              </Box>
            )}
          </Box>
        </>
      )}
    </InfoCard>
  );
}
