import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { StatusError } from '../common/StatusError';
import { MetricsChart } from './MetricsChart';
import { MetricsNotConfigured, MetricsRange, TracingAnswer } from '@cellplane/backstage-plugin-common';
import { METRICS_RANGE_NAMES, MetricsTarget } from './metricsApi';
import { useComponentEnvironments } from '../common/useComponentEnvironments';
import { MetricsState, useMetrics, useTracingLink } from './useMetrics';

/** Where the README says how to point a data plane at its Prometheus and tracing UI. */
export const METRICS_DOCS_URL = 'https://github.com/cellplane/cellplane#metrics-and-traces';

const TRACING_UI_NAMES = { jaeger: 'Jaeger', tempo: 'Tempo', custom: '' } as const;

/** The traces of the component in the environment, in the data plane's tracing UI. */
function TracingButton(props: { link?: TracingAnswer }) {
  const { link } = props;
  if (!link) return null;
  if (!link.configured) {
    return (
      <Typography variant="caption" color="text.secondary" title={link.configure}>
        No tracing UI for data plane {link.dataPlane}
      </Typography>
    );
  }
  const ui = TRACING_UI_NAMES[link.ui];
  return (
    <Button variant="outlined" size="small" href={link.url} target="_blank" rel="noopener noreferrer" endIcon={<OpenInNewIcon fontSize="small" />}>
      {ui ? `Open traces in ${ui}` : 'Open traces'}
    </Button>
  );
}

/** No Prometheus for the data plane: what to configure, and where it is explained. */
function NotConfiguredPanel(props: { answer: MetricsNotConfigured }) {
  return (
    <Alert severity="info" role="status">
      <AlertTitle>No Prometheus for data plane {props.answer.dataPlane}</AlertTitle>
      <Typography variant="body2">{props.answer.reason}.</Typography>
      <Typography variant="body2">To see metrics here, {props.answer.configure}.</Typography>
      <Link href={METRICS_DOCS_URL} target="_blank" rel="noopener noreferrer">
        How to configure metrics and traces
      </Link>
    </Alert>
  );
}

/** Why the metrics could not be read, in the user's terms, with a way to ask again. */
function MetricsError(props: { error: Error; subject: string; onRetry(): void }) {
  const { error, subject } = props;
  const status = (error as { statusCode?: number }).statusCode;
  const detail = error instanceof ResponseError ? (error.body?.error?.message ?? error.message) : error.message;
  const titles: Record<number, string> = {
    502: 'Prometheus could not answer',
    401: `You may not read the metrics of ${subject}`,
    403: `You may not read the metrics of ${subject}`,
    404: `Cellplane finds no ${subject}`,
  };
  const title = titles[status ?? 0] ?? `The metrics of ${subject} could not be read`;
  const hint = status === 403 || status === 401 ? ' Reading metrics requires the cellplane.status.read permission.' : '';
  return (
    <WarningPanel severity="error" title={title} message={`${detail}.${hint}`} defaultExpanded>
      <Button variant="outlined" size="small" onClick={props.onRetry}>
        Try again
      </Button>
    </WarningPanel>
  );
}

/** The charts, or the state that stands for them. */
function MetricsBody(props: { state: MetricsState; subject: string; range: MetricsRange }) {
  const { state, subject, range } = props;
  if (state.loading && !state.metrics) return <Progress aria-label="Loading metrics" />;
  if (state.error && !state.metrics) return <MetricsError error={state.error} subject={subject} onRetry={state.reload} />;
  const metrics = state.metrics!;
  if (!metrics.configured) return <NotConfiguredPanel answer={metrics} />;
  const empty = metrics.charts.every(chart => chart.series.every(series => series.points.length === 0));
  return (
    <>
      {state.error && (
        <Alert severity="warning" sx={{ mb: 2 }} action={<Button size="small" onClick={state.reload}>Try again</Button>}>
          Showing the metrics read {state.readAt?.toLocaleTimeString()}; reading them again failed:{' '}
          {state.error instanceof ResponseError ? (state.error.body?.error?.message ?? state.error.message) : state.error.message}
        </Alert>
      )}
      {empty && (
        <Alert severity="info" role="status" sx={{ mb: 2 }}>
          Prometheus has no metrics of {subject} in the last {range}. The pods in namespace {metrics.scope.kubernetesNamespace} whose names
          match {metrics.scope.pods} are asked for; each chart below says what it looks for.
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>
        {metrics.charts.map(chart => (
          <MetricsChart key={chart.id} chart={chart} withDay={range === '24h' || range === '7d'} />
        ))}
      </Box>
    </>
  );
}

/**
 * A component's metrics in one environment at a time, from the Prometheus of the environment's
 * data plane: request rate, error rate, latency percentiles, CPU and memory per pod over a chosen
 * range, each chart with its PromQL; and a link to the component's traces.
 */
export function MetricsView(props: { namespace: string; component: string }) {
  const { namespace, component } = props;
  const environments = useComponentEnvironments(namespace, component);
  const [chosen, setChosen] = useState<string>();
  const [range, setRange] = useState<MetricsRange>('1h');
  const environment = chosen ?? environments.environments[0];
  const target: MetricsTarget | undefined = useMemo(
    () => (environment ? { namespace, component, environment } : undefined),
    [namespace, component, environment],
  );
  const state = useMetrics(target, range);
  const tracing = useTracingLink(target);

  if (environments.loading) return <Progress aria-label="Loading environments" />;
  if (environments.error) return <StatusError error={environments.error} subject={component} />;
  if (!environment) {
    return <InfoCard title="Metrics">{component} is in no environment yet: its project's pipeline names none.</InfoCard>;
  }
  const subject = `${component} in ${environment}`;
  return (
    <InfoCard title={`Metrics of ${component}`}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 2, mb: 2 }}>
        <TextField select size="small" label="Environment" value={environment} onChange={event => setChosen(event.target.value)} sx={{ minWidth: 180 }}>
          {environments.environments.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
        <ToggleButtonGroup size="small" exclusive value={range} aria-label="Time range" onChange={(_, value: MetricsRange | null) => value && setRange(value)}>
          {METRICS_RANGE_NAMES.map(value => (
            <ToggleButton key={value} value={value} aria-label={`Last ${value}`}>
              {value}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <Button size="small" onClick={state.reload} disabled={state.loading}>
          {state.loading && state.metrics ? 'Refreshing…' : 'Refresh'}
        </Button>
        <Box sx={{ flexGrow: 1 }} />
        <TracingButton link={tracing} />
      </Box>
      <MetricsBody state={state} subject={subject} range={range} />
    </InfoCard>
  );
}
