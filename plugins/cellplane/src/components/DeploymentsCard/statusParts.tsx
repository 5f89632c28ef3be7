import { ComponentEnvironmentStatus, StatusCause } from '@cellplane/backstage-plugin-common';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { SandboxBadge } from '../common/SandboxBadge';
import { shortCommit } from '../common/revisions';

/**
 * The parts of a component's status in one environment that the Deployments table and the
 * delivery pipeline both show: revisions, rollout, pods, causes and the data plane.
 */

/** Release hashes are 16 hex digits; 8 tell releases of one component apart. */
export function shortHash(hash: string) {
  return hash.slice(0, 8);
}

function toolName(tool: string) {
  return tool === 'ArgoCD' ? 'Argo CD' : tool;
}

function Commit(props: { commit?: string }) {
  if (!props.commit) return <>—</>;
  return <code title={props.commit}>{shortCommit(props.commit)}</code>;
}

/** Desired and synced revision, and the release running when it is not the desired one. */
export function Revisions(props: { status: ComponentEnvironmentStatus }) {
  const { desired, synced, runningReleaseHash } = props.status;
  if (!desired && !synced && !runningReleaseHash) return <>—</>;
  const behind = desired?.commit && synced?.commit && desired.commit !== synced.commit;
  return (
    <Typography variant="body2" component="div">
      {desired && (
        <>
          <div>
            desired <Commit commit={desired.commit} />
          </div>
          {desired.releaseHash && (
            <div>
              release <code title={desired.releaseHash}>{shortHash(desired.releaseHash)}</code>
            </div>
          )}
        </>
      )}
      {synced && (
        <Typography variant="body2" component="div" sx={behind ? { color: 'warning.dark' } : undefined}>
          synced <Commit commit={synced.commit} /> by {toolName(synced.tool)}
          {synced.state && ` (${synced.state})`}
        </Typography>
      )}
      {runningReleaseHash && runningReleaseHash !== desired?.releaseHash && (
        <Typography variant="body2" component="div" sx={{ color: 'warning.dark' }}>
          running release <code title={runningReleaseHash}>{shortHash(runningReleaseHash)}</code>
        </Typography>
      )}
    </Typography>
  );
}

export function Rollout(props: { status: ComponentEnvironmentStatus }) {
  const { rollout } = props.status;
  if (!rollout) return <>—</>;
  const percent = rollout.desiredReplicas > 0 ? Math.round((100 * rollout.updatedReplicas) / rollout.desiredReplicas) : 100;
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
        <Typography variant="caption" color="text.secondary">
          waiting for the controller to see the change
        </Typography>
      )}
    </div>
  );
}

export function Pods(props: { status: ComponentEnvironmentStatus }) {
  const { pods } = props.status;
  return (
    <>
      <Typography variant="body2">
        {pods.ready}/{pods.total} ready
      </Typography>
      {pods.restarts > 0 && (
        <Typography variant="body2" sx={{ color: 'error.main' }}>
          {pods.restarts} {pods.restarts === 1 ? 'restart' : 'restarts'}
        </Typography>
      )}
    </>
  );
}

export function DataPlane(props: { status: ComponentEnvironmentStatus }) {
  const { dataPlane } = props.status;
  if (!dataPlane) return <>—</>;
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }}>
      <span>{dataPlane.name}</span>
      {dataPlane.sandbox && <SandboxBadge dataPlane={dataPlane.name} />}
    </span>
  );
}

/** The reason, unless a cause already says it, and the causes. */
export function HealthDetail(props: { status: ComponentEnvironmentStatus }) {
  const { status } = props;
  return (
    <>
      {status.reason && !status.causes.some(c => c.message === status.reason) && (
        <Typography variant="body2" color="text.secondary">
          {status.reason}
        </Typography>
      )}
      {status.causes.length > 0 && <Causes causes={status.causes} />}
    </>
  );
}

export function Causes(props: { causes: StatusCause[] }) {
  return (
    <ul aria-label="Causes" style={{ margin: '4px 0 0', paddingLeft: 18 }}>
      {props.causes.map((cause, i) => (
        <li key={i}>
          <Typography variant="body2" component="span">
            <strong>{cause.type}</strong> {causeDetail(cause)}
          </Typography>
          <Typography variant="caption" color="text.secondary" component="div">
            {cause.object.kind} {cause.object.namespace ? `${cause.object.namespace}/` : ''}
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
  if (cause.image && !cause.message.includes(cause.image)) facts.push(`image ${cause.image}`);
  if (cause.exitCode !== undefined && !cause.message.includes(`exit code ${cause.exitCode}`)) facts.push(`exit code ${cause.exitCode}`);
  if (cause.restartCount !== undefined && !cause.message.includes(`${cause.restartCount} restart`)) {
    facts.push(`${cause.restartCount} restarts`);
  }
  return facts.length ? `${cause.message} (${facts.join(', ')})` : cause.message;
}
