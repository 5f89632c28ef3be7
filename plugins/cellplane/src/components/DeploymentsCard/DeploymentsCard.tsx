import { InfoCard, Progress } from '@backstage/core-components';
import {
  ComponentEnvironmentStatus,
  StatusCause,
} from '@cellplane/backstage-plugin-common';
import {
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { HealthIndicator } from '../common/health';
import { LiveIndicator } from '../common/LiveIndicator';
import { SandboxBadge } from '../common/SandboxBadge';
import { StatusError } from '../common/StatusError';
import { shortCommit } from '../common/revisions';
import { useLiveStatus } from '../common/useLiveStatus';
import { OpenChoreoConditions } from './OpenChoreoConditions';

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
 *
 * @public
 */
export function DeploymentsCard(props: DeploymentsCardProps) {
  const { namespace, component } = props;
  const live = useLiveStatus({ namespace, component }, api =>
    api.getComponentStatus(namespace, component),
  );
  const { snapshot } = live;
  const subject = `component ${namespace}/${component}`;

  let body;
  if (live.error && !snapshot)
    body = <StatusError error={live.error} subject={subject} />;
  else if (!snapshot) body = <Progress />;
  else if (snapshot.items.length === 0) {
    body = (
      <Typography>
        No environments: {namespace} has no Environment in the GitOps
        repository.
      </Typography>
    );
  } else body = <DeploymentsTable items={snapshot.items} />;

  return (
    <InfoCard
      title="Deployments"
      subheader={
        snapshot?.revision
          ? `GitOps repository at ${shortCommit(snapshot.revision)}`
          : undefined
      }
      action={
        <span
          style={{
            display: 'inline-flex',
            gap: 8,
            alignItems: 'center',
            padding: 8,
          }}
        >
          {snapshot?.sandbox && (
            <SandboxBadge
              dataPlane={
                snapshot.items.find(i => i.dataPlane?.sandbox)?.dataPlane?.name
              }
            />
          )}
          {snapshot && <LiveIndicator streamError={live.streamError} />}
        </span>
      }
    >
      {live.error && snapshot && (
        <StatusError error={live.error} subject={subject} />
      )}
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
export function DeploymentsTable(props: {
  items: ComponentEnvironmentStatus[];
  rowsBy?: 'environment' | 'component';
}) {
  const rowsBy = props.rowsBy ?? 'environment';
  // OpenChoreo's column only where its control plane is read: most installations have none.
  const withOpenChoreo = props.items.some(item => item.openChoreo);
  // A narrow card scrolls the table sideways rather than squeezing hashes into one letter per line.
  return (
    <div style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label={`Deployments by ${rowsBy}`}>
        <TableHead>
          <TableRow>
            <TableCell>
              {rowsBy === 'environment' ? 'Environment' : 'Component'}
            </TableCell>
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
            <StatusRow
              key={`${item.component}/${item.environment}`}
              status={item}
              rowsBy={rowsBy}
              withOpenChoreo={withOpenChoreo}
            />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** Rows grow with their causes; every cell starts at the top so a row reads across. */
const TOP = { verticalAlign: 'top' } as const;

function StatusRow(props: {
  status: ComponentEnvironmentStatus;
  rowsBy: 'environment' | 'component';
  withOpenChoreo: boolean;
}) {
  const { status } = props;
  const name = status[props.rowsBy];
  return (
    <TableRow aria-label={`${name}: ${status.health}`}>
      <TableCell
        component="th"
        scope="row"
        style={{ ...TOP, whiteSpace: 'nowrap' }}
      >
        <strong>{name}</strong>
      </TableCell>
      <TableCell style={TOP}>
        <HealthIndicator health={status.health} />
        {status.reason &&
          !status.causes.some(c => c.message === status.reason) && (
            <Typography variant="body2" color="textSecondary">
              {status.reason}
            </Typography>
          )}
        {status.causes.length > 0 && <Causes causes={status.causes} />}
      </TableCell>
      <TableCell style={{ ...TOP, whiteSpace: 'nowrap' }}>
        <Revisions status={status} />
      </TableCell>
      <TableCell style={TOP}>
        <Rollout status={status} />
      </TableCell>
      <TableCell style={{ ...TOP, whiteSpace: 'nowrap' }}>
        <Typography variant="body2">
          {status.pods.ready}/{status.pods.total} ready
        </Typography>
        {status.pods.restarts > 0 && (
          <Typography variant="body2" style={{ color: '#c62828' }}>
            {status.pods.restarts}{' '}
            {status.pods.restarts === 1 ? 'restart' : 'restarts'}
          </Typography>
        )}
      </TableCell>
      <TableCell style={TOP}>
        {status.dataPlane ? (
          <span
            style={{
              display: 'inline-flex',
              gap: 6,
              alignItems: 'center',
              flexWrap: 'wrap',
            }}
          >
            <span>{status.dataPlane.name}</span>
            {status.dataPlane.sandbox && (
              <SandboxBadge dataPlane={status.dataPlane.name} />
            )}
          </span>
        ) : (
          '—'
        )}
      </TableCell>
      {props.withOpenChoreo && (
        <TableCell style={TOP}>
          <OpenChoreoConditions status={status.openChoreo} />
        </TableCell>
      )}
    </TableRow>
  );
}

function Revisions(props: { status: ComponentEnvironmentStatus }) {
  const { desired, synced, runningReleaseHash } = props.status;
  if (!desired && !synced && !runningReleaseHash) return <>—</>;
  const behind =
    desired?.commit && synced?.commit && desired.commit !== synced.commit;
  return (
    <Typography variant="body2" component="div">
      {desired && (
        <>
          <div>
            desired <Commit commit={desired.commit} />
          </div>
          {desired.releaseHash && (
            <div>
              release{' '}
              <code title={desired.releaseHash}>
                {shortHash(desired.releaseHash)}
              </code>
            </div>
          )}
        </>
      )}
      {synced && (
        <div style={behind ? { color: '#ef6c00' } : undefined}>
          synced <Commit commit={synced.commit} /> by {toolName(synced.tool)}
          {synced.state && ` (${synced.state})`}
        </div>
      )}
      {runningReleaseHash && runningReleaseHash !== desired?.releaseHash && (
        <div style={{ color: '#ef6c00' }}>
          running release{' '}
          <code title={runningReleaseHash}>
            {shortHash(runningReleaseHash)}
          </code>
        </div>
      )}
    </Typography>
  );
}

/** Release hashes are 16 hex digits; 8 tell releases of one component apart. */
function shortHash(hash: string) {
  return hash.slice(0, 8);
}

function toolName(tool: string) {
  return tool === 'ArgoCD' ? 'Argo CD' : tool;
}

function Commit(props: { commit?: string }) {
  if (!props.commit) return <>—</>;
  return <code title={props.commit}>{shortCommit(props.commit)}</code>;
}

function Rollout(props: { status: ComponentEnvironmentStatus }) {
  const { rollout } = props.status;
  if (!rollout) return <>—</>;
  const percent =
    rollout.desiredReplicas > 0
      ? Math.round((100 * rollout.updatedReplicas) / rollout.desiredReplicas)
      : 100;
  return (
    <div style={{ minWidth: 120 }}>
      <Typography variant="body2">
        {rollout.complete
          ? `complete, ${rollout.readyReplicas}/${rollout.desiredReplicas} ready`
          : `${rollout.updatedReplicas}/${rollout.desiredReplicas} updated, ${rollout.readyReplicas} ready`}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(percent, 100)}
        aria-label={`rollout ${rollout.updatedReplicas} of ${rollout.desiredReplicas} replicas updated`}
      />
      {!rollout.generationObserved && (
        <Typography variant="caption" color="textSecondary">
          waiting for the controller to see the change
        </Typography>
      )}
    </div>
  );
}

function Causes(props: { causes: StatusCause[] }) {
  return (
    <ul aria-label="Causes" style={{ margin: '4px 0 0', paddingLeft: 18 }}>
      {props.causes.map((cause, i) => (
        <li key={i}>
          <Typography variant="body2" component="span">
            <strong>{cause.type}</strong> {causeDetail(cause)}
          </Typography>
          <Typography variant="caption" color="textSecondary" component="div">
            {cause.object.kind}{' '}
            {cause.object.namespace ? `${cause.object.namespace}/` : ''}
            {cause.object.name}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/** The message, and the facts a developer acts on first when the message does not carry them. */
function causeDetail(cause: StatusCause): string {
  const facts: string[] = [];
  if (cause.image && !cause.message.includes(cause.image))
    facts.push(`image ${cause.image}`);
  if (
    cause.exitCode !== undefined &&
    !cause.message.includes(`exit code ${cause.exitCode}`)
  )
    facts.push(`exit code ${cause.exitCode}`);
  if (
    cause.restartCount !== undefined &&
    !cause.message.includes(`${cause.restartCount} restart`)
  ) {
    facts.push(`${cause.restartCount} restarts`);
  }
  return facts.length
    ? `${cause.message} (${facts.join(', ')})`
    : cause.message;
}
