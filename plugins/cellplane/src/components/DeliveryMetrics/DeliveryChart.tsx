import { EnvironmentDeliveryMetrics } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** Deployments per day, a bar per environment, and failed deployments per day across them. */
export function DeliveryChart(props: { environments: EnvironmentDeliveryMetrics[]; label: string }) {
  const theme = useTheme();
  const colours = [theme.palette.primary.main, theme.palette.info.main, theme.palette.success.main, theme.palette.secondary.main, theme.palette.warning.main];
  const days = props.environments[0]?.daily ?? [];
  const data = days.map((day, index) => {
    const point: Record<string, string | number> = { day: day.day.slice(5), failed: 0 };
    for (const environment of props.environments) {
      const counts = environment.daily[index];
      point[environment.environment] = counts?.deployments ?? 0;
      point.failed = Number(point.failed) + (counts?.failures ?? 0);
    }
    return point;
  });
  return (
    <Box component="figure" aria-label={props.label} sx={{ m: 0, mb: 2 }}>
      <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 720, height: 220 }}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} width={32} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend />
          {props.environments.map((environment, index) => (
            <Bar key={environment.environment} dataKey={environment.environment} name={`Deployments to ${environment.environment}`} fill={colours[index % colours.length]} />
          ))}
          <Bar dataKey="failed" name="Failed deployments" fill={theme.palette.error.main} />
        </BarChart>
      </ResponsiveContainer>
      <Typography component="figcaption" variant="caption" color="text.secondary">
        {props.label}; the table below has every figure.
      </Typography>
    </Box>
  );
}
