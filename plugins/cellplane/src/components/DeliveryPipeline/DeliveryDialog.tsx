import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { DeliveryRequest, DryRunResult, TaskResult, dryRunDelivery, runDelivery } from './deliveryRequests';
import { DiffView } from './DiffView';

type Phase =
  | { phase: 'previewing' }
  | { phase: 'preview-failed'; error: Error }
  | { phase: 'preview'; dryRun: DryRunResult }
  | { phase: 'running'; log: string[] }
  | { phase: 'finished'; result: TaskResult; log: string[] }
  | { phase: 'run-failed'; error: Error; log: string[] };

/** What the backend said, not the HTTP wrapper around it. */
export function errorMessage(error: Error): string {
  return error instanceof ResponseError ? (error.body?.error?.message ?? error.message) : error.message;
}

export interface DeliveryDialogProps {
  request: DeliveryRequest;
  /** E.g. "Promote web-shop from development to staging". */
  title: string;
  /** The confirm button's words, e.g. "Promote" or "Open promotion PR". */
  confirmLabel: string;
  onClose(): void;
  /** The task ended (whatever its result): the pipeline reads itself again. */
  onFinished(): void;
}

/**
 * The confirmation of a promotion or rollback: the real change as the write action computes it
 * in a dry run (spec and rendered manifests), nothing written until the user confirms; then the
 * task's progress and its result with its links (commit, trace, pull request).
 */
export function DeliveryDialog(props: DeliveryDialogProps) {
  const { request, onFinished } = props;
  const catalogApi = useApi(catalogApiRef);
  const scaffolderApi = useApi(scaffolderApiRef);
  const [phase, setPhase] = useState<Phase>({ phase: 'previewing' });

  useEffect(() => {
    let active = true;
    setPhase({ phase: 'previewing' });
    dryRunDelivery({ catalogApi, scaffolderApi }, request).then(
      dryRun => active && setPhase({ phase: 'preview', dryRun }),
      error => active && setPhase({ phase: 'preview-failed', error }),
    );
    return () => {
      active = false;
    };
  }, [catalogApi, scaffolderApi, request]);

  const confirm = (dryRun: DryRunResult) => {
    const log: string[] = [];
    setPhase({ phase: 'running', log });
    runDelivery(scaffolderApi, request, dryRun.values, message => {
      log.push(message);
      setPhase({ phase: 'running', log: [...log] });
    }).then(
      result => {
        setPhase({ phase: 'finished', result, log: [...log] });
        onFinished();
      },
      error => setPhase({ phase: 'run-failed', error, log: [...log] }),
    );
  };

  const running = phase.phase === 'running';
  return (
    <Dialog open onClose={props.onClose} maxWidth="md" fullWidth aria-labelledby="delivery-dialog-title">
      <DialogTitle id="delivery-dialog-title">{props.title}</DialogTitle>
      <DialogContent dividers>
        <PhaseContent phase={phase} />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{phase.phase === 'finished' || running ? 'Close' : 'Cancel'}</Button>
        {phase.phase === 'preview' && (
          // Nothing to write makes no commit: confirming would only run a task that says so.
          <Button variant="contained" disabled={!phase.dryRun.diff.trim()} onClick={() => confirm(phase.dryRun)}>
            {props.confirmLabel}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

function PhaseContent(props: { phase: Phase }) {
  const { phase } = props;
  switch (phase.phase) {
    case 'previewing':
      return (
        <Box role="status" sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
          <CircularProgress size={20} aria-hidden />
          <Typography>Computing the change (dry run: nothing is written)…</Typography>
        </Box>
      );
    case 'preview-failed':
      return (
        <Alert severity="error">
          The change cannot be made: {errorMessage(phase.error)}
        </Alert>
      );
    case 'preview':
      return (
        <>
          <Alert severity="info" sx={{ mb: 2 }}>
            Dry run: this is what would be written to the GitOps repository. Nothing is written until you confirm.
            {phase.dryRun.productionEnvironments.length > 0 && ` It changes production: ${phase.dryRun.productionEnvironments.join(', ')}.`}
          </Alert>
          <DiffView patch={phase.dryRun.diff} />
        </>
      );
    case 'running':
      return (
        <Box role="status">
          <Typography gutterBottom>Running…</Typography>
          <LinearProgress aria-label="Task progress" />
          <TaskLog log={phase.log} />
        </Box>
      );
    case 'run-failed':
      return (
        <>
          <Alert severity="error">The task could not run: {errorMessage(phase.error)}</Alert>
          <TaskLog log={phase.log} />
        </>
      );
    default:
      return <TaskOutcome result={phase.result} log={phase.log} />;
  }
}

function TaskOutcome(props: { result: TaskResult; log: string[] }) {
  const { result } = props;
  const links = result.links.filter(link => link.url);
  return (
    <>
      {result.status === 'completed' ? (
        <Alert severity="success">Done.</Alert>
      ) : (
        <Alert severity="error">
          The task {result.status === 'cancelled' ? 'was cancelled' : 'failed'}
          {result.error ? `: ${result.error}` : '.'}
        </Alert>
      )}
      {links.length > 0 && (
        <ul aria-label="Results">
          {links.map(link => (
            <li key={`${link.title}:${link.url}`}>
              <Link to={link.url!}>{link.title ?? link.url}</Link>
            </li>
          ))}
        </ul>
      )}
      {result.text
        .filter(text => text.content)
        .map(text => (
          <Typography key={text.title} variant="body2">
            {text.title}: <code>{text.content}</code>
          </Typography>
        ))}
      <TaskLog log={props.log} />
    </>
  );
}

function TaskLog(props: { log: string[] }) {
  if (props.log.length === 0) return null;
  return (
    <Box
      component="pre"
      tabIndex={0}
      aria-label="Task log"
      sx={{ mt: 2, maxHeight: 200, overflow: 'auto', fontSize: 12, bgcolor: 'action.hover', p: 1, borderRadius: 1 }}
    >
      {props.log.slice(-200).join('\n')}
    </Box>
  );
}
