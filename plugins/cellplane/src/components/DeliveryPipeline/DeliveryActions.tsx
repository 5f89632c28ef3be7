import { ComponentReleaseSummary, DeliveryPipeline, PipelineEnvironment, PipelineTarget } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';
import type { DeliveryRequest } from './deliveryRequests';
import { PromotePermissions, deniedReason } from './usePromotePermissions';

/** What an action button asks the card to open: the dialog's request and words. */
export interface DeliveryIntent {
  request: DeliveryRequest;
  title: string;
  confirmLabel: string;
}

/** A button that, when disabled, says why beside it (a tooltip would not reach keyboard or screen-reader users). */
function ActionButton(props: { label: string; reason?: string; onClick(event: React.MouseEvent<HTMLElement>): void; popup?: boolean }) {
  const reasonId = useId();
  return (
    <Box sx={{ mt: 1 }}>
      <Button
        variant="outlined"
        size="small"
        disabled={Boolean(props.reason)}
        aria-describedby={props.reason ? reasonId : undefined}
        aria-haspopup={props.popup ? 'menu' : undefined}
        onClick={props.onClick}
      >
        {props.label}
      </Button>
      {props.reason && (
        <Typography id={reasonId} variant="caption" color="text.secondary" component="div">
          {props.reason}
        </Typography>
      )}
    </Box>
  );
}

/**
 * Whether a promotion goes by pull request, as the write path decides: the target environment
 * says `cellplane.dev/publish: pull-request`, or the promotion path asks for an approval (a
 * pull request's review is the approval).
 */
export function promotesByPullRequest(target: PipelineEnvironment, path: PipelineTarget): boolean {
  return target.publish === 'pull-request' || path.requiresApproval;
}

/** Promote to each next environment, and roll back to an earlier release, for one column. */
export function DeliveryActions(props: {
  pipeline: DeliveryPipeline;
  environment: PipelineEnvironment;
  permissions: PromotePermissions;
  onIntent(intent: DeliveryIntent): void;
}) {
  const { pipeline, environment, permissions, onIntent } = props;
  const { namespace, component } = pipeline;
  return (
    <Box>
      {environment.next.map(path => {
        const name = path.environment;
        const target = pipeline.environments.find(e => e.name === name);
        if (!target) return null;
        const reason = !environment.release
          ? `Nothing runs in ${environment.name} to promote`
          : deniedReason(permissions, target);
        const byPullRequest = promotesByPullRequest(target, path);
        return (
          <ActionButton
            key={name}
            label={byPullRequest ? `Open promotion PR to ${name}` : `Promote to ${name}`}
            reason={reason}
            onClick={() =>
              onIntent({
                request: {
                  kind: 'promote',
                  namespace,
                  component,
                  from: environment.name,
                  to: name,
                  publish: byPullRequest ? 'pull-request' : 'commit',
                },
                title: `${byPullRequest ? 'Open a promotion pull request for' : 'Promote'} ${component} from ${environment.name} to ${name}`,
                confirmLabel: byPullRequest ? 'Open promotion PR' : 'Promote',
              })
            }
          />
        );
      })}
      <RollbackMenu {...props} />
    </Box>
  );
}

/** The component's releases older than what the environment runs, newest first (all of them when it runs none that has a file). */
export function earlierReleases(pipeline: DeliveryPipeline, environment: PipelineEnvironment): ComponentReleaseSummary[] {
  const running = environment.release?.name;
  const index = pipeline.releases.findIndex(release => release.name === running);
  return index < 0 ? pipeline.releases.filter(release => release.name !== running) : pipeline.releases.slice(index + 1);
}

function RollbackMenu(props: {
  pipeline: DeliveryPipeline;
  environment: PipelineEnvironment;
  permissions: PromotePermissions;
  onIntent(intent: DeliveryIntent): void;
}) {
  const { pipeline, environment, permissions, onIntent } = props;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const menuId = useId();
  if (!environment.binding) return null;
  const releases = earlierReleases(pipeline, environment);
  const reason =
    releases.length === 0 ? `No earlier release of ${pipeline.component} to roll back to` : deniedReason(permissions, environment);
  const choose = (release: ComponentReleaseSummary) => {
    setAnchor(null);
    const byPullRequest = environment.publish === 'pull-request';
    onIntent({
      request: {
        kind: 'rollback',
        namespace: pipeline.namespace,
        component: pipeline.component,
        environment: environment.name,
        release: release.name,
        publish: environment.publish,
      },
      title: `Roll back ${pipeline.component} in ${environment.name} to ${release.name}`,
      confirmLabel: byPullRequest ? 'Open rollback PR' : 'Roll back',
    });
  };
  return (
    <>
      <ActionButton label={`Roll back ${environment.name}…`} reason={reason} popup onClick={event => setAnchor(event.currentTarget)} />
      <Menu id={menuId} anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        {releases.map(release => (
          <MenuItem key={release.name} onClick={() => choose(release)}>
            <Box>
              <Typography variant="body2">{release.name}</Typography>
              <Typography variant="caption" color="text.secondary">
                {release.images.join(', ')}
                {release.createdAt ? ` · ${new Date(release.createdAt).toLocaleString()}` : ''}
                {release.environments.length ? ` · runs in ${release.environments.join(', ')}` : ''}
              </Typography>
            </Box>
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
