import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { StatusError } from '../common/StatusError';
import { EventsPanel } from './EventsPanel';
import { LogLines } from './LogLines';
import { LogSelection, LogsToolbar, RANGES, rangeQuery } from './LogsToolbar';
import { LogQuery, LogsTarget } from './logsApi';
import { logsErrorMessage } from './logsErrors';
import { useComponentEnvironments } from '../common/useComponentEnvironments';
import { useComponentPods } from './useComponentPods';
import { LogStreamState, useLogStream } from './useLogStream';

function ErrorPanel(props: { error: Error; subject: string; onRetry(): void }) {
  const { title, detail } = logsErrorMessage(props.error, props.subject);
  return (
    <WarningPanel severity="error" title={title} message={detail} defaultExpanded>
      <Button variant="outlined" size="small" onClick={props.onRetry}>
        Try again
      </Button>
    </WarningPanel>
  );
}

/** Where the stream is: connecting, live, or over and why, with a way to open it again. */
function StreamState(props: { stream: LogStreamState & { reopen(): void }; follow: boolean }) {
  const { stream, follow } = props;
  if (stream.phase === 'connecting') return <Progress aria-label="Connecting to the log stream" />;
  const reopen = (
    <Button size="small" onClick={stream.reopen}>
      Open again
    </Button>
  );
  return (
    <Box sx={{ display: 'grid', gap: 1, mb: 1 }}>
      {stream.problems.map((problem, i) => (
        <Alert key={i} severity="error" action={reopen}>
          {problem}
        </Alert>
      ))}
      {stream.phase === 'open' && follow && (
        <Typography variant="caption" role="status" sx={{ color: 'success.main' }}>
          ● Following: new lines show as they are written
        </Typography>
      )}
      {stream.phase === 'closed' && follow && stream.problems.length === 0 && (
        <Alert severity="info" action={reopen}>
          The stream ended: {stream.ended.map(e => `${e.pod}/${e.container}: ${e.reason}`).join('; ') || 'the connection closed'}.
        </Alert>
      )}
    </Box>
  );
}

/** The log lines (with the stream's state) of the chosen pods, or why there are none. */
function LogsPanel(props: { stream: LogStreamState & { reopen(): void }; selection: LogSelection; subject: string }) {
  const { stream, selection, subject } = props;
  if (stream.failure) return <ErrorPanel error={stream.failure} subject={subject} onRetry={stream.reopen} />;
  const range = RANGES.find(r => r.value === selection.range)!.label.toLowerCase();
  return (
    <>
      <StreamState stream={stream} follow={selection.follow && !selection.previous} />
      {stream.phase !== 'connecting' && stream.lines.length === 0 && stream.problems.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No log lines ({range}){selection.follow && stream.phase === 'open' ? '; new lines show here as they are written' : ''}.
        </Typography>
      ) : (
        <LogLines lines={stream.lines} dropped={stream.dropped} search={selection.search} showPod={stream.sources.length > 1} />
      )}
    </>
  );
}

/**
 * A component's logs and events in one environment at a time: pickers for environment, pod and
 * container, follow, range and search over the lines, and the Kubernetes Events beside them, live.
 */
export function LogsView(props: { namespace: string; component: string }) {
  const { namespace, component } = props;
  const environments = useComponentEnvironments(namespace, component);
  const [selection, setSelection] = useState<LogSelection>({ pod: '', container: '', follow: true, previous: false, range: 'tail:500', search: '' });
  const environment = selection.environment ?? environments.environments[0];
  const target: LogsTarget | undefined = useMemo(
    () => (environment ? { namespace, component, environment } : undefined),
    [namespace, component, environment],
  );
  const pods = useComponentPods(target);
  const query: LogQuery = {
    ...(selection.pod ? { pod: selection.pod } : {}),
    ...(selection.pod && selection.container ? { container: selection.container } : {}),
    follow: selection.follow && !selection.previous,
    previous: selection.previous,
    ...rangeQuery(selection.range),
  };
  const podCount = pods.pods?.pods.length ?? 0;
  // Following every pod: when a rollout replaces them, the stream follows the new ones.
  const podSet = !selection.pod && query.follow ? (pods.pods?.pods ?? []).map(p => p.name).sort().join(',') : '';
  const stream = useLogStream(podCount > 0 ? target : undefined, query, podSet);
  const subject = `${component} in ${environment ?? 'its environments'}`;

  if (environments.loading) return <Progress aria-label="Loading environments" />;
  if (environments.error) return <StatusError error={environments.error} subject={component} />;
  if (!environment) {
    return <InfoCard title="Logs">{component} is in no environment yet: its project's pipeline names none.</InfoCard>;
  }
  let body;
  if (pods.loading && !pods.pods) body = <Progress aria-label="Loading pods" />;
  else if (pods.error && !pods.pods) body = <ErrorPanel error={pods.error} subject={subject} onRetry={pods.reload} />;
  else if (podCount === 0) {
    body = (
      <Typography variant="body1" role="status">
        No pods of {component} in {environment}: it is not deployed there, or its pods have not started yet. The events beside may say why.
      </Typography>
    );
  } else body = <LogsPanel stream={stream} selection={selection} subject={subject} />;
  return (
    <InfoCard title={`Logs of ${component}`} subheader={pods.pods?.dataPlane.sandbox ? 'Sandbox data plane: the lines stand in for a real process' : undefined}>
      <LogsToolbar
        environments={environments.environments}
        pods={pods.pods?.pods ?? []}
        selection={{ ...selection, environment }}
        onChange={setSelection}
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 3fr) minmax(240px, 1fr)' }, gap: 3 }}>
        <Box>{body}</Box>
        <EventsPanel events={podCount > 0 && stream.phase !== 'connecting' ? stream.events : pods.events} component={component} environment={environment} />
      </Box>
    </InfoCard>
  );
}
