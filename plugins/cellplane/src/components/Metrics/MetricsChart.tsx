import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useId, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMetric, formatTime } from './formatMetric';
import { MetricsChart as MetricsChartData } from '@cellplane/backstage-plugin-common';

/** Why a chart can be empty while Prometheus answers: which series it did not find, and who makes them. */
const HTTP_EMPTY =
  'Prometheus has no http_server_request_duration_seconds series for these pods: the component records none (an OpenTelemetry SDK or the operator’s auto-instrumentation records it), Prometheus does not scrape its metrics endpoint, or it served no request in this range.';
const EMPTY_BECAUSE: Record<MetricsChartData['id'], string> = {
  requestRate: HTTP_EMPTY,
  errorRate: HTTP_EMPTY,
  latency: HTTP_EMPTY,
  cpu: 'Prometheus has no container_cpu_usage_seconds_total series for these pods: it does not scrape the kubelet’s cAdvisor metrics, or the pods did not run in this range.',
  memory:
    'Prometheus has no container_memory_working_set_bytes series for these pods: it does not scrape the kubelet’s cAdvisor metrics, or the pods did not run in this range.',
};

/** The series as recharts' rows: one per time, a column per series. */
function rowsOf(chart: MetricsChartData) {
  const rows = new Map<number, Record<string, number | null>>();
  for (const series of chart.series) {
    for (const [time, value] of series.points) {
      const row = rows.get(time) ?? { time };
      row[series.name] = value;
      rows.set(time, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.time! - b.time!);
}

/** The last value of a series that has one. */
const latest = (points: Array<[number, number | null]>) => [...points].reverse().find(([, value]) => value !== null)?.[1];

/** One chart of the Metrics tab: the lines, their latest values in words, and its PromQL on demand. */
export function MetricsChart(props: { chart: MetricsChartData; withDay: boolean }) {
  const { chart, withDay } = props;
  const theme = useTheme();
  const [showQuery, setShowQuery] = useState(false);
  const queryId = useId();
  const colours = [theme.palette.primary.main, theme.palette.warning.main, theme.palette.error.main, theme.palette.success.main, theme.palette.info.main, theme.palette.secondary.main];
  const empty = chart.series.every(series => series.points.length === 0);
  return (
    <Paper component="section" variant="outlined" aria-label={chart.title} sx={{ p: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
        <Typography variant="h6" component="h3">
          {chart.title}
        </Typography>
        <Button size="small" aria-expanded={showQuery} aria-controls={queryId} onClick={() => setShowQuery(shown => !shown)}>
          {showQuery ? 'Hide PromQL' : 'Show PromQL'}
        </Button>
      </Box>
      {showQuery && (
        <Box id={queryId} component="pre" aria-label={`PromQL of ${chart.title}`} sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, bgcolor: 'action.hover', p: 1, borderRadius: 1 }}>
          {chart.queries.map(query => `${query.legend}: ${query.promql}`).join('\n')}
        </Box>
      )}
      {empty ? (
        <Typography variant="body2" color="text.secondary" role="status" sx={{ mt: 1 }}>
          No data in this range. {EMPTY_BECAUSE[chart.id]}
        </Typography>
      ) : (
        <>
          <Box component="figure" aria-label={`${chart.title} over time`} sx={{ m: 0 }}>
            <ResponsiveContainer width="100%" height={200} initialDimension={{ width: 480, height: 200 }}>
              <LineChart data={rowsOf(chart)} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="time" type="number" domain={['dataMin', 'dataMax']} tickFormatter={time => formatTime(time, withDay)} tick={{ fontSize: 11 }} />
                <YAxis width={80} tickFormatter={value => formatMetric(value, chart.unit)} tick={{ fontSize: 11 }} />
                <Tooltip labelFormatter={time => formatTime(Number(time), true)} formatter={value => formatMetric(Number(value), chart.unit)} />
                <Legend />
                {chart.series.map((series, index) => (
                  <Line key={series.name} dataKey={series.name} name={series.name} stroke={colours[index % colours.length]} dot={false} isAnimationActive={false} connectNulls={false} />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </Box>
          <Typography variant="caption" color="text.secondary" component="p" data-testid={`latest-${chart.id}`}>
            Latest: {chart.series.map(series => `${series.name} ${formatMetric(latest(series.points), chart.unit)}`).join(', ')}
          </Typography>
        </>
      )}
    </Paper>
  );
}
