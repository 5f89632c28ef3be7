import { LogPod } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';

/** How much of the log to read: the last lines, or the lines since a time. */
export const RANGES = [
  { value: 'tail:100', label: 'Last 100 lines' },
  { value: 'tail:500', label: 'Last 500 lines' },
  { value: 'tail:2000', label: 'Last 2,000 lines' },
  { value: 'since:300', label: 'Last 5 minutes' },
  { value: 'since:3600', label: 'Last hour' },
  { value: 'since:86400', label: 'Last 24 hours' },
] as const;

export type RangeValue = (typeof RANGES)[number]['value'];

/** What the developer chose in the toolbar. */
export interface LogSelection {
  environment?: string;
  /** Empty: every pod of the component. */
  pod: string;
  /** Empty: each pod's default container. */
  container: string;
  follow: boolean;
  previous: boolean;
  range: RangeValue;
  search: string;
}

/** The backend's query for a range. */
export function rangeQuery(range: RangeValue): { sinceSeconds?: number; tailLines?: number } {
  const [kind, amount] = range.split(':');
  return kind === 'since' ? { sinceSeconds: Number(amount) } : { tailLines: Number(amount) };
}

/** Environment, pod, container, follow, range and search: every control labelled, all reachable by keyboard. */
export function LogsToolbar(props: {
  environments: string[];
  pods: LogPod[];
  selection: LogSelection;
  onChange(selection: LogSelection): void;
}) {
  const { environments, pods, selection, onChange } = props;
  const set = (change: Partial<LogSelection>) => onChange({ ...selection, ...change });
  const pod = pods.find(p => p.name === selection.pod);
  const container = pod?.containers.find(c => c.name === selection.container) ?? pod?.containers[0];
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center', mb: 2 }}>
      <ToggleButtonGroup
        exclusive
        size="small"
        aria-label="Environment"
        value={selection.environment ?? null}
        onChange={(_, environment) => environment && set({ environment, pod: '', container: '', previous: false })}
      >
        {environments.map(environment => (
          <ToggleButton key={environment} value={environment}>
            {environment}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <FormControl size="small" sx={{ minWidth: 220 }}>
        {/* shrink and notched: the empty value shows a text ("All pods"), which a label inside would cover. */}
        <InputLabel id="cellplane-logs-pod" shrink>
          Pod
        </InputLabel>
        <Select
          labelId="cellplane-logs-pod"
          label="Pod"
          notched
          value={selection.pod}
          displayEmpty
          onChange={e => set({ pod: String(e.target.value), container: '', previous: false })}
        >
          <MenuItem value="">All pods ({pods.length})</MenuItem>
          {pods.map(p => (
            <MenuItem key={p.name} value={p.name}>
              {p.name} · {p.phase}
              {p.containers.some(c => c.restartCount > 0) ? ` · ${p.containers.reduce((n, c) => n + c.restartCount, 0)} restarts` : ''}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl size="small" sx={{ minWidth: 160 }} disabled={!pod}>
        <InputLabel id="cellplane-logs-container" shrink>
          Container
        </InputLabel>
        <Select
          labelId="cellplane-logs-container"
          label="Container"
          notched
          value={pod ? container?.name ?? '' : ''}
          displayEmpty
          onChange={e => set({ container: String(e.target.value), previous: false })}
        >
          {!pod && <MenuItem value="">Default of each pod</MenuItem>}
          {pod?.containers.map(c => (
            <MenuItem key={c.name} value={c.name}>
              {c.name} · {c.state}
              {c.reason ? ` (${c.reason})` : ''}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl size="small" sx={{ minWidth: 170 }}>
        <InputLabel id="cellplane-logs-range">Show</InputLabel>
        <Select labelId="cellplane-logs-range" label="Show" value={selection.range} onChange={e => set({ range: e.target.value as RangeValue })}>
          {RANGES.map(r => (
            <MenuItem key={r.value} value={r.value}>
              {r.label}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControlLabel
        control={<Switch checked={selection.follow && !selection.previous} disabled={selection.previous} onChange={e => set({ follow: e.target.checked })} />}
        label="Follow"
      />
      {container?.hasPrevious && (
        <FormControlLabel
          control={<Switch checked={selection.previous} onChange={e => set({ previous: e.target.checked })} />}
          label={`Before the last restart (${container.restartCount} restarts)`}
        />
      )}
      <TextField
        size="small"
        label="Search"
        type="search"
        value={selection.search}
        onChange={e => set({ search: e.target.value })}
        inputProps={{ 'aria-describedby': 'cellplane-logs-search-help' }}
      />
      <Typography id="cellplane-logs-search-help" variant="caption" color="text.secondary">
        Filters the lines shown (not case-sensitive)
      </Typography>
    </Box>
  );
}
