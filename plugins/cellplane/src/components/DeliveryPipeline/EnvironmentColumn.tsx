import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { DeliveryPipeline, PipelineEnvironment } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { commitRouteRef } from '../../routes';
import { HealthIndicator } from '../common/health';
import { shortCommit } from '../common/revisions';
import { OpenChoreoConditions } from '../DeploymentsCard/OpenChoreoConditions';
import { DataPlane, HealthDetail, Pods, Revisions, Rollout } from '../DeploymentsCard/statusParts';
import { DeliveryActions, DeliveryIntent } from './DeliveryActions';
import { PromotePermissions } from './usePromotePermissions';

/** "3 hours ago": when a release was made, as a developer scanning the pipeline wants it. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const units: Array<[number, string]> = [
    [86400 * 365, 'year'],
    [86400 * 30, 'month'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** The commit page's route; without it (an app that does not mount the commit page) commits are not links. */
function useCommitLink() {
  try {
    return useRouteRef(commitRouteRef);
  } catch {
    return undefined;
  }
}

function Field(props: { label: string; children: React.ReactNode }) {
  return (
    <Box sx={{ mt: 1 }}>
      <Typography variant="overline" color="text.secondary" component="div" sx={{ lineHeight: 1.6 }}>
        {props.label}
      </Typography>
      <Box sx={{ typography: 'body2' }}>{props.children}</Box>
    </Box>
  );
}

function Release(props: { pipeline: DeliveryPipeline; environment: PipelineEnvironment }) {
  const { pipeline, environment } = props;
  const commitLink = useCommitLink();
  const { binding, release } = environment;
  if (!binding) return <Typography variant="body2">Not deployed to {environment.name}</Typography>;
  if (binding.state === 'Undeploy') return <Typography variant="body2">Undeployed (the binding's state is Undeploy)</Typography>;
  if (!release) return <Typography variant="body2">Release {binding.releaseName ?? 'unknown'}: not found in the repository</Typography>;
  const trace = release.commit && commitLink ? `${commitLink({ sha: release.commit })}?component=${pipeline.namespace}/${pipeline.component}` : undefined;
  return (
    <>
      <code title={release.name}>{release.name}</code>
      <Typography variant="body2" color="text.secondary">
        {binding.followsComponent ? 'follows the component (no release pinned)' : 'pinned'}
      </Typography>
      {release.images.map(image => (
        <Typography key={image} variant="body2" sx={{ wordBreak: 'break-all' }}>
          {image}
        </Typography>
      ))}
      {release.commit && (
        <Typography variant="body2">
          made{' '}
          {release.createdAt && (
            <time dateTime={release.createdAt} title={new Date(release.createdAt).toLocaleString()}>
              {timeAgo(release.createdAt)}{' '}
            </time>
          )}
          by commit{' '}
          {trace ? (
            <Link to={trace} aria-label={`commit ${shortCommit(release.commit)}: its trace`}>
              <code>{shortCommit(release.commit)}</code>
            </Link>
          ) : (
            <code>{shortCommit(release.commit)}</code>
          )}
        </Typography>
      )}
    </>
  );
}

function AwaitingApproval(props: { environment: PipelineEnvironment }) {
  const { pullRequests } = props.environment;
  if (pullRequests.length === 0) return null;
  return (
    <Box role="status" sx={{ mt: 1, p: 1, borderRadius: 1, bgcolor: 'action.hover' }}>
      <Typography variant="subtitle2">Awaiting approval</Typography>
      {pullRequests.map(pr => (
        <Box key={pr.url}>
          <Link to={pr.url}>
            #{pr.number} {pr.title}
          </Link>
          {pr.action === 'rollback' && ' (rollback)'}
          <Typography variant="caption" color="text.secondary" component="div">
            {pr.author ? `by ${pr.author}; ` : ''}
            {pr.reviewers.length ? `reviewers: ${pr.reviewers.join(', ')}` : 'no reviewer asked yet'}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/**
 * One environment of the pipeline: its health and why, the release Git says runs there (and
 * the commit that made it, linking to its trace), revisions, rollout, pods, an open promotion
 * pull request, and the Promote and Roll back actions.
 */
export function EnvironmentColumn(props: {
  pipeline: DeliveryPipeline;
  environment: PipelineEnvironment;
  permissions: PromotePermissions;
  onIntent(intent: DeliveryIntent): void;
}) {
  const { environment } = props;
  const { status } = environment;
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={`Environment ${environment.name}`}
      data-testid={`pipeline-env-${environment.name}`}
      sx={{ p: 1.5, minWidth: 240, maxWidth: 320 }}
    >
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
        <Typography variant="h6" component="h3">
          {environment.displayName ?? environment.name}
        </Typography>
        {environment.isProduction && <Chip size="small" color="warning" label="Production" />}
        {environment.publish === 'pull-request' && <Chip size="small" label="By pull request" />}
        {environment.requiresApproval && <Chip size="small" label="Approval required" />}
      </Stack>
      <Field label="Health">
        {status ? (
          <>
            <HealthIndicator health={status.health} />
            <HealthDetail status={status} />
          </>
        ) : (
          'Status not available yet'
        )}
      </Field>
      <Field label="Release">
        <Release pipeline={props.pipeline} environment={environment} />
      </Field>
      <AwaitingApproval environment={environment} />
      {status && (status.desired || status.synced) && (
        <Field label="Revision">
          <Revisions status={status} />
        </Field>
      )}
      {status?.rollout && (
        <Field label="Rollout">
          <Rollout status={status} />
        </Field>
      )}
      {status && status.pods.total > 0 && (
        <Field label="Pods">
          <Pods status={status} />
        </Field>
      )}
      {status?.dataPlane && (
        <Field label="Data plane">
          <DataPlane status={status} />
        </Field>
      )}
      {status?.openChoreo && (
        <Field label="OpenChoreo">
          <OpenChoreoConditions status={status.openChoreo} />
        </Field>
      )}
      <DeliveryActions {...props} />
    </Paper>
  );
}
