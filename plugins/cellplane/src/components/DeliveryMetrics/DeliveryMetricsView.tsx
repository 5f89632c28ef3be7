import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { DeliveryMetrics, DeliveryScope, EnvironmentDeliveryMetrics } from '@cellplane/backstage-plugin-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { Fragment, ReactNode, useState } from 'react';
import { explainError } from '../common/explainError';
import { DeliveryChart } from './DeliveryChart';
import { FigureEvidence } from './FigureEvidence';
import { formatDuration, formatRate, formatTime } from './formatDuration';
import { useDeliveryMetrics } from './useDeliveryMetrics';

/** @public */
export interface DeliveryMetricsViewProps {
  /** A component, a project, or a whole namespace (the organisation). */
  scope: DeliveryScope;
}

/** The periods a reader picks from, in days. */
export const PERIODS = [7, 30, 90] as const;

const SCOPE_WORDS = { component: 'component', project: 'project', namespace: 'organisation' } as const;

/**
 * Delivery (DORA) metrics of a component, a project or an organisation: per environment over a
 * period, deployment frequency, lead time for changes, change failure rate and time to restore,
 * drawn per day and tabled, each environment's figures expandable to the commits and status
 * changes behind them.
 *
 * @public
 */
export function DeliveryMetricsView(props: DeliveryMetricsViewProps) {
  const { scope } = props;
  const [days, setDays] = useState<number>(30);
  const state = useDeliveryMetrics(scope, days);

  let body: ReactNode;
  if (state.error) {
    const { title, detail } = explainError(state.error, `the delivery metrics of ${scope.name}`);
    body = <WarningPanel severity="error" title={title} message={detail} defaultExpanded />;
  } else if (!state.metrics) {
    body = <Progress aria-label={`Loading the delivery metrics of ${scope.name}`} />;
  } else {
    body = <MetricsBody metrics={state.metrics} days={days} />;
  }
  return (
    <InfoCard title="Delivery" subheader={`Delivery (DORA) metrics of the ${SCOPE_WORDS[scope.kind]} ${scope.name}, from the GitOps history and the status history`}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2 }}>
        <Typography id="delivery-period" variant="body2">
          Period
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={days}
          aria-labelledby="delivery-period"
          onChange={(_event, value: number | null) => value && setDays(value)}
        >
          {PERIODS.map(period => (
            <ToggleButton key={period} value={period}>
              Last {period} days
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {state.loading && state.metrics && <Typography variant="caption">Updating…</Typography>}
      </Box>
      {body}
    </InfoCard>
  );
}

function MetricsBody(props: { metrics: DeliveryMetrics; days: number }) {
  const { metrics } = props;
  const name = metrics.scope.name;
  if (metrics.environments.length === 0) {
    return <Typography>Namespace {metrics.scope.namespace} has no environment yet: there is nothing to deploy to.</Typography>;
  }
  const anything = metrics.environments.some(
    e => e.deploymentFrequency.deployments > 0 || e.leadTime.changes > 0 || e.timeToRestore.restores + e.timeToRestore.unresolved > 0,
  );
  const historyStartsLate = !metrics.statusHistorySince || Date.parse(metrics.statusHistorySince) > Date.parse(metrics.from);
  return (
    <>
      {historyStartsLate && (
        <Alert severity="info" sx={{ mb: 2 }}>
          {metrics.statusHistorySince
            ? `The status history starts ${formatTime(metrics.statusHistorySince)}: lead time, failures by Degraded and time to restore count only what it has seen since.`
            : 'No status change has been recorded yet: lead time, failures by Degraded and time to restore appear once the portal has seen deployments run.'}
        </Alert>
      )}
      {anything ? (
        <>
          <DeliveryChart environments={metrics.environments} label={`Deployments per day of ${name}, last ${props.days} days`} />
          <FiguresTable metrics={metrics} />
        </>
      ) : (
        <Typography>
          No deployment of {name} in the last {props.days} days. A deployment is a commit that changes what an environment runs: a
          promotion, a rollback, or a change of a component whose binding follows it. Pick a longer period to look further back.
        </Typography>
      )}
    </>
  );
}

function FiguresTable(props: { metrics: DeliveryMetrics }) {
  const [open, setOpen] = useState<string | undefined>();
  const { metrics } = props;
  return (
    <Table size="small" aria-label={`Delivery metrics of ${metrics.scope.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Environment</TableCell>
          <TableCell>Deployment frequency</TableCell>
          <TableCell>Lead time for changes (median)</TableCell>
          <TableCell>Change failure rate</TableCell>
          <TableCell>Time to restore (median)</TableCell>
          <TableCell>Details</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {metrics.environments.map(environment => (
          <Fragment key={environment.environment}>
            <FiguresRow
              environment={environment}
              open={open === environment.environment}
              onToggle={() => setOpen(o => (o === environment.environment ? undefined : environment.environment))}
            />
            <TableRow>
              <TableCell colSpan={6} sx={{ py: 0, borderBottom: open === environment.environment ? undefined : 'none' }}>
                <Collapse id={`delivery-evidence-${environment.environment}`} in={open === environment.environment} unmountOnExit>
                  <FigureEvidence metrics={environment} limit={metrics.evidenceLimit} />
                </Collapse>
              </TableCell>
            </TableRow>
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
}

function FiguresRow(props: { environment: EnvironmentDeliveryMetrics; open: boolean; onToggle(): void }) {
  const { environment: e } = props;
  const evidenceId = `delivery-evidence-${e.environment}`;
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        {e.environment} {e.production && <Chip size="small" label="production" />}
      </TableCell>
      <TableCell>
        {e.deploymentFrequency.deployments} deployments ({e.deploymentFrequency.perDay} a day)
      </TableCell>
      <TableCell>
        {formatDuration(e.leadTime.medianSeconds)}
        {e.leadTime.changes > 0 && ` over ${e.leadTime.changes} changes`}
      </TableCell>
      <TableCell>
        {formatRate(e.changeFailureRate.rate)}
        {e.changeFailureRate.deployments > 0 && ` (${e.changeFailureRate.failed} of ${e.changeFailureRate.deployments})`}
      </TableCell>
      <TableCell>
        {formatDuration(e.timeToRestore.medianSeconds)}
        {e.timeToRestore.restores > 0 && ` over ${e.timeToRestore.restores} restores`}
        {e.timeToRestore.unresolved > 0 && `, ${e.timeToRestore.unresolved} still Degraded`}
      </TableCell>
      <TableCell>
        <Button size="small" aria-expanded={props.open} aria-controls={evidenceId} onClick={props.onToggle}>
          {props.open ? 'Hide' : 'Show'} commits and status changes of {e.environment}
        </Button>
      </TableCell>
    </TableRow>
  );
}
