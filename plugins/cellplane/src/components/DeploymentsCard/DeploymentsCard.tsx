import { InfoCard, Progress } from '@backstage/core-components';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { HealthIndicator } from '../common/health';
import { LiveIndicator } from '../common/LiveIndicator';
import { SandboxBadge } from '../common/SandboxBadge';
import { StatusError } from '../common/StatusError';
import { shortCommit } from '../common/revisions';
import { useLiveStatus } from '../common/useLiveStatus';
import { OpenChoreoConditions } from './OpenChoreoConditions';
import { DataPlane, HealthDetail, Pods, Revisions, Rollout } from './statusParts';

/** @public */
export interface DeploymentsCardProps {
  /** The OpenChoreo namespace of the component. */
  namespace: string;
  component: string;
}

/**
 * Where a component runs: one row per environment, in pipeline order, with its health and why,
 * the desired and synced revision, the rollout, the pods and the data plane, and, where
 * OpenChoreo's control plane is installed, the conditions of its ReleaseBinding and
 * RenderedReleases. Live: rows change in place as the status events stream reports changes.
 * The component page shows the delivery pipeline instead; this table stays for views that want
 * the status alone.
 *
 * @public
 */
export function DeploymentsCard(props: DeploymentsCardProps) {
  const { namespace, component } = props;
  const live = useLiveStatus({ namespace, component }, api => api.getComponentStatus(namespace, component));
  const { snapshot } = live;
  const subject = `component ${namespace}/${component}`;

  let body;
  if (live.error && !snapshot) body = <StatusError error={live.error} subject={subject} />;
  else if (!snapshot) body = <Progress />;
  else if (snapshot.items.length === 0) {
    body = <Typography>No environments: {namespace} has no Environment in the GitOps repository.</Typography>;
  } else body = <DeploymentsTable items={snapshot.items} />;

  return (
    <InfoCard
      title="Deployments"
      subheader={snapshot?.revision ? `GitOps repository at ${shortCommit(snapshot.revision)}` : undefined}
      action={
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center', padding: 8 }}>
          {snapshot?.sandbox && <SandboxBadge dataPlane={snapshot.items.find(i => i.dataPlane?.sandbox)?.dataPlane?.name} />}
          {snapshot && <LiveIndicator streamError={live.streamError} />}
        </span>
      }
    >
      {live.error && snapshot && <StatusError error={live.error} subject={subject} />}
      {body}
    </InfoCard>
  );
}

/**
 * The table alone, for views that already hold the statuses: one row per environment of a
 * component (the default), or per component of an environment.
 *
 * @public
 */
export function DeploymentsTable(props: { items: ComponentEnvironmentStatus[]; rowsBy?: 'environment' | 'component' }) {
  const rowsBy = props.rowsBy ?? 'environment';
  // OpenChoreo's column only where its control plane is read: most installations have none.
  const withOpenChoreo = props.items.some(item => item.openChoreo);
  // A narrow card scrolls the table sideways rather than squeezing hashes into one letter per line.
  return (
    <div style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label={`Deployments by ${rowsBy}`}>
        <TableHead>
          <TableRow>
            <TableCell>{rowsBy === 'environment' ? 'Environment' : 'Component'}</TableCell>
            <TableCell>Health</TableCell>
            <TableCell>Revision</TableCell>
            <TableCell>Rollout</TableCell>
            <TableCell>Pods</TableCell>
            <TableCell>Data plane</TableCell>
            {withOpenChoreo && <TableCell>OpenChoreo</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.items.map(item => (
            <StatusRow key={`${item.component}/${item.environment}`} status={item} rowsBy={rowsBy} withOpenChoreo={withOpenChoreo} />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** Rows grow with their causes; every cell starts at the top so a row reads across. */
const TOP = { verticalAlign: 'top' } as const;

function StatusRow(props: { status: ComponentEnvironmentStatus; rowsBy: 'environment' | 'component'; withOpenChoreo: boolean }) {
  const { status } = props;
  const name = status[props.rowsBy];
  return (
    <TableRow aria-label={`${name}: ${status.health}`}>
      <TableCell component="th" scope="row" sx={{ ...TOP, whiteSpace: 'nowrap' }}>
        <strong>{name}</strong>
      </TableCell>
      <TableCell sx={TOP}>
        <HealthIndicator health={status.health} />
        <HealthDetail status={status} />
      </TableCell>
      <TableCell sx={{ ...TOP, whiteSpace: 'nowrap' }}>
        <Revisions status={status} />
      </TableCell>
      <TableCell sx={TOP}>
        <Rollout status={status} />
      </TableCell>
      <TableCell sx={{ ...TOP, whiteSpace: 'nowrap' }}>
        <Pods status={status} />
      </TableCell>
      <TableCell sx={TOP}>
        <DataPlane status={status} />
      </TableCell>
      {props.withOpenChoreo && (
        <TableCell sx={TOP}>
          <OpenChoreoConditions status={status.openChoreo} />
        </TableCell>
      )}
    </TableRow>
  );
}
