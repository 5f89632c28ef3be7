import { InfoCard, Progress } from '@backstage/core-components';
import { ComponentEnvironmentStatus, DeliveryPipeline } from '@cellplane/backstage-plugin-common';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { Suspense, lazy, useMemo, useState } from 'react';
import { LiveIndicator } from '../common/LiveIndicator';
import { SandboxBadge } from '../common/SandboxBadge';
import { StatusError } from '../common/StatusError';
import { shortCommit } from '../common/revisions';
import { useLiveStatus } from '../common/useLiveStatus';
import type { DeliveryIntent } from './DeliveryActions';
import { EnvironmentColumn } from './EnvironmentColumn';
import { useDeliveryPipeline } from './useDeliveryPipeline';
import { usePromotePermissions } from './usePromotePermissions';

/** @public */
export interface DeliveryPipelineCardProps {
  /** The OpenChoreo namespace of the component. */
  namespace: string;
  component: string;
}

/**
 * The confirmation dialog, with the diff library and the scaffolder client it uses, is loaded
 * when a Promote or Roll back is chosen: the card draws without them.
 */
const DeliveryDialog = lazy(() => import('./DeliveryDialog').then(module => ({ default: module.DeliveryDialog })));

/** The dialog's place while its code loads: already a dialog with its title, so focus moves into it at once. */
function DeliveryDialogLoading(props: { title: string; onClose(): void }) {
  return (
    <Dialog open onClose={props.onClose} aria-labelledby="delivery-dialog-loading-title">
      <DialogTitle id="delivery-dialog-loading-title">{props.title}</DialogTitle>
      <DialogContent>
        <CircularProgress aria-label="Loading the dry run" />
      </DialogContent>
    </Dialog>
  );
}

/** The pipeline with each environment's status replaced by the live one, where the stream has it. */
function withLiveStatus(pipeline: DeliveryPipeline, live: ComponentEnvironmentStatus[] | undefined): DeliveryPipeline {
  if (!live) return pipeline;
  return {
    ...pipeline,
    environments: pipeline.environments.map(environment => {
      const status = live.find(s => s.environment === environment.name);
      return status ? { ...environment, status } : environment;
    }),
  };
}

/** Environments grouped by column: a branching pipeline stacks its branches in one column. */
function columnsOf(pipeline: DeliveryPipeline) {
  const stages = [...new Set(pipeline.environments.map(e => e.stage))].sort((a, b) => a - b);
  return stages.map(stage => pipeline.environments.filter(e => e.stage === stage));
}

function PipelineColumns(props: { pipeline: DeliveryPipeline; onIntent(intent: DeliveryIntent): void }) {
  const { pipeline } = props;
  const permissions = usePromotePermissions();
  const deployed = pipeline.environments.some(e => e.binding);
  return (
    <Box data-testid="delivery-pipeline">
      {pipeline.pullRequestsUnavailable && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {pipeline.pullRequestsUnavailable}. Environments show what runs; a promotion awaiting approval may not show.
        </Alert>
      )}
      {!deployed && (
        <Alert severity="info" sx={{ mb: 2 }}>
          {pipeline.component} is not deployed to any environment yet. A binding to{' '}
          {pipeline.environments[0]?.name ?? 'the first environment'} (a Component with autoDeploy, or a ReleaseBinding in the
          GitOps repository) puts it there.
        </Alert>
      )}
      <Stack direction="row" spacing={1} alignItems="flex-start" sx={{ overflowX: 'auto', pb: 1 }}>
        {columnsOf(pipeline).map((column, index) => (
          <Stack key={column[0].stage} direction="row" spacing={1} alignItems="flex-start">
            {index > 0 && <ArrowForwardIcon aria-hidden color="action" sx={{ mt: 2 }} />}
            <Stack spacing={1} role="list" aria-label={`Stage ${index + 1}`}>
              {column.map(environment => (
                <Box role="listitem" key={environment.name}>
                  <EnvironmentColumn
                    pipeline={pipeline}
                    environment={environment}
                    permissions={permissions}
                    onIntent={props.onIntent}
                  />
                </Box>
              ))}
            </Stack>
          </Stack>
        ))}
      </Stack>
    </Box>
  );
}

/**
 * The component page's first card: the delivery pipeline. Environments as columns along the
 * project's DeploymentPipeline, each with its health and why, the release it runs and the commit
 * that made it, revisions, rollout and pods, live from the status stream; Promote to each next
 * environment and Roll back to an earlier release, each confirmed on the real dry-run diff.
 *
 * @public
 */
export function DeliveryPipelineCard(props: DeliveryPipelineCardProps) {
  const { namespace, component } = props;
  const live = useLiveStatus({ namespace, component }, api => api.getComponentStatus(namespace, component));
  const seenRevision = live.snapshot?.items.find(item => item.desired?.commit)?.desired?.commit;
  const state = useDeliveryPipeline(namespace, component, seenRevision);
  const [intent, setIntent] = useState<DeliveryIntent | undefined>();
  const pipeline = useMemo(
    () => (state.pipeline ? withLiveStatus(state.pipeline, live.snapshot?.items) : undefined),
    [state.pipeline, live.snapshot],
  );
  const subject = `component ${namespace}/${component}`;

  let body;
  if (state.error && !pipeline) body = <StatusError error={state.error} subject={subject} />;
  else if (!pipeline) {
    body = (
      <Box data-testid="delivery-pipeline-loading">
        <Progress />
      </Box>
    );
  } else if (pipeline.environments.length === 0) {
    body = (
      <Typography data-testid="delivery-pipeline">
        No environments: project {pipeline.project} has no DeploymentPipeline with environments
        {pipeline.pipeline ? ` (${pipeline.pipeline} has no promotion paths)` : ''}, and {component} is bound to none.
      </Typography>
    );
  } else body = <PipelineColumns pipeline={pipeline} onIntent={setIntent} />;

  const sandbox = live.snapshot?.items.find(i => i.dataPlane?.sandbox)?.dataPlane?.name;
  return (
    <InfoCard
      title="Delivery pipeline"
      subheader={
        pipeline
          ? `${pipeline.pipeline ? `DeploymentPipeline ${pipeline.pipeline} · ` : ''}GitOps repository at ${shortCommit(pipeline.revision ?? undefined) ?? 'no commit yet'}`
          : undefined
      }
      action={
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center', padding: 8 }}>
          {sandbox && <SandboxBadge dataPlane={sandbox} />}
          {live.snapshot && <LiveIndicator streamError={live.streamError} />}
        </span>
      }
    >
      {state.error && pipeline && <StatusError error={state.error} subject={subject} />}
      {live.error && pipeline && <StatusError error={live.error} subject={subject} />}
      {body}
      {intent && (
        <Suspense fallback={<DeliveryDialogLoading title={intent.title} onClose={() => setIntent(undefined)} />}>
          <DeliveryDialog
            request={intent.request}
            title={intent.title}
            confirmLabel={intent.confirmLabel}
            onClose={() => setIntent(undefined)}
            onFinished={state.reload}
          />
        </Suspense>
      )}
    </InfoCard>
  );
}
