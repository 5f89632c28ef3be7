import { InfoCard, Link, Progress, WarningPanel } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CommitTraceItem, TraceStep, TraceStepName, TraceStepState } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { commitRouteRef } from '../../routes';
import { LiveIndicator } from '../common/LiveIndicator';
import { shortCommit } from '../common/revisions';
import { CommitTraceState } from './useCommitTrace';

const STEP_LABELS: Record<TraceStepName, string> = {
  committed: 'Committed',
  rendered: 'Rendered',
  synced: 'Synced',
  'rolled-out': 'Rolled out',
  ready: 'Ready',
};

const STATE_LABELS: Record<TraceStepState, string> = {
  done: 'done',
  'in-progress': 'in progress',
  waiting: 'waiting',
  failed: 'failed',
  'not-applicable': 'not applicable',
};

/** The sentence a developer needs for each way reading a trace fails. */
export function traceErrorMessage(error: Error): { title: string; detail: string } {
  const status = error instanceof ResponseError ? error.statusCode : (error as { statusCode?: number }).statusCode;
  const detail = error instanceof ResponseError ? (error.body?.error?.message ?? error.message) : error.message;
  switch (status) {
    case 401:
    case 403:
      return { title: 'You may not see where this commit runs', detail: `${detail}. Ask your platform team for cellplane.status.read.` };
    case 400:
    case 404:
      return { title: 'This commit cannot be traced', detail };
    default:
      return { title: 'The trace cannot be read', detail: `${detail}. Reload the page to try again.` };
  }
}

/**
 * "Did my commit land?": a stepper per component × environment the commit changed, committed →
 * rendered → synced → rolled out → ready, each step with its state, its time and why it is stuck.
 */
export function CommitTraceView(props: { sha: string; component?: string; state: CommitTraceState }) {
  const { sha, component, state } = props;
  const commitLink = useRouteRef(commitRouteRef);
  if (state.loading && !state.trace) return <Progress aria-label={`Loading the trace of ${sha}`} />;
  if (state.error && !state.trace) {
    const { title: errorTitle, detail } = traceErrorMessage(state.error);
    return <WarningPanel severity="error" title={errorTitle} message={detail} defaultExpanded />;
  }
  const trace = state.trace!;
  return (
    <InfoCard
      title="Did it land?"
      subheader={`${component ? `${component}: ` : ''}from the commit to running pods`}
      action={<LiveIndicator streamError={state.streamError} />}
    >
      {trace.items.length === 0 ? (
        <Typography variant="body1">
          {component ? `This commit did not change ${component}. ` : 'This commit changed no component: there is nothing to deliver.'}
          {component && commitLink && <Link to={commitLink({ sha })}>See everything this commit changed</Link>}
        </Typography>
      ) : (
        trace.items.map(item => <TraceItemView key={`${item.namespace}/${item.component}/${item.environment}`} item={item} />)
      )}
    </InfoCard>
  );
}

function TraceItemView({ item }: { item: CommitTraceItem }) {
  const commitLink = useRouteRef(commitRouteRef);
  const name = `${item.component} in ${item.environment}`;
  const active = item.steps.findIndex(step => step.state !== 'done');
  return (
    <Box component="section" aria-label={name} sx={{ mt: 2, '&:first-of-type': { mt: 0 } }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 'bold' }}>
          {name}
        </Typography>
        {item.namespace !== 'default' && <Chip size="small" variant="outlined" label={`namespace ${item.namespace}`} />}
        {item.releaseHash && <Chip size="small" label={`release ${item.releaseHash}`} />}
        {item.supersededBy && (
          <Typography variant="body2" color="text.secondary">
            Superseded by{' '}
            {commitLink ? (
              <Link to={`${commitLink({ sha: item.supersededBy })}?component=${item.namespace}/${item.component}`}>
                {shortCommit(item.supersededBy)}
              </Link>
            ) : (
              shortCommit(item.supersededBy)
            )}
          </Typography>
        )}
      </Box>
      <Stepper component="ol" aria-label={`Steps of ${name}`} alternativeLabel activeStep={active < 0 ? item.steps.length : active} sx={{ p: 0, mt: 1, listStyle: 'none' }}>
        {item.steps.map(step => (
          <Step
            key={step.name}
            component="li"
            completed={step.state === 'done'}
            disabled={step.state === 'waiting' || step.state === 'not-applicable'}
            aria-label={`${STEP_LABELS[step.name]}: ${STATE_LABELS[step.state]}`}
          >
            <StepLabel error={step.state === 'failed'} optional={<StepDetails step={step} />}>
              {STEP_LABELS[step.name]}
            </StepLabel>
          </Step>
        ))}
      </Stepper>
    </Box>
  );
}

function StepDetails({ step }: { step: TraceStep }) {
  return (
    <Box component="span" sx={{ display: 'block', typography: 'caption', color: step.state === 'failed' ? 'error.main' : 'text.secondary' }}>
      <Box component="span" sx={{ display: 'block' }}>
        {STATE_LABELS[step.state]}
        {step.at && (
          <>
            {' · '}
            <time dateTime={step.at}>{new Date(step.at).toLocaleString()}</time>
          </>
        )}
      </Box>
      {step.detail && <Box component="span" sx={{ display: 'block' }}>{step.detail}</Box>}
      {step.reason && <Box component="span" sx={{ display: 'block' }}>{step.reason}</Box>}
    </Box>
  );
}

