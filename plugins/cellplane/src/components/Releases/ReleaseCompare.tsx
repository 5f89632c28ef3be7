import { Progress, WarningPanel } from '@backstage/core-components';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { DiffMode, DiffView } from './DiffView';
import { explainError } from '../common/explainError';
import { useReleaseComparison } from './useReleases';

export interface ReleaseCompareProps {
  namespace: string;
  component: string;
  from: string;
  to: string;
  /** Environments to render the manifests for; the first choice is the backend's. */
  environments: string[];
}

/** Two releases compared: their snapshots, then the manifests each renders to in an environment. */
export function ReleaseCompare(props: ReleaseCompareProps) {
  const { namespace, component, from, to, environments } = props;
  const [mode, setMode] = useState<DiffMode>('split');
  const [environment, setEnvironment] = useState<string>('');
  const result = useReleaseComparison(namespace, component, { from, to, ...(environment ? { environment } : {}) });
  const shown = result?.state === 'loaded' ? result.value : undefined;

  return (
    <Box component="section" aria-label={`Compare ${from} with ${to}`} mt={3}>
      <Typography variant="h6" component="h3">
        {from} → {to}
      </Typography>
      <Box display="flex" gap={2} alignItems="center" flexWrap="wrap" my={1}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={mode}
          onChange={(_, next: DiffMode | null) => next && setMode(next)}
          aria-label="Diff layout"
        >
          <ToggleButton value="split">Side by side</ToggleButton>
          <ToggleButton value="unified">Unified</ToggleButton>
        </ToggleButtonGroup>
        <FormControl size="small" sx={{ minWidth: 200 }}>
          <InputLabel id="compare-environment-label">Manifests for</InputLabel>
          <Select
            labelId="compare-environment-label"
            label="Manifests for"
            value={environment || shown?.environment || ''}
            onChange={event => setEnvironment(String(event.target.value))}
          >
            {[...new Set([...(shown?.environment ? [shown.environment] : []), ...environments])].map(name => (
              <MenuItem key={name} value={name}>
                {name}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Box>
      {result?.state === 'loading' && <Progress aria-label={`Comparing ${from} with ${to}`} />}
      {result?.state === 'error' && (
        <WarningPanel severity="error" {...explainTitle(result.error)} defaultExpanded />
      )}
      {shown && (
        <>
          <Typography variant="subtitle1" component="h4" mt={2}>
            Spec
          </Typography>
          <DiffView path={shown.spec.path} from={shown.spec.from} to={shown.spec.to} fromLabel={from} toLabel={to} mode={mode} />
          <Typography variant="subtitle1" component="h4" mt={3}>
            Rendered manifests{shown.environment ? ` in ${shown.environment}` : ''}
          </Typography>
          {shown.renderProblems.map(problem => (
            <WarningPanel key={problem} severity="warning" title="Rendering said" message={problem} />
          ))}
          {!shown.environment && (
            <Typography variant="body2" color="text.secondary">
              {component} is bound to no environment, so neither release renders anywhere.
            </Typography>
          )}
          {shown.environment && shown.rendered.length === 0 && shown.renderProblems.length === 0 && (
            <Typography variant="body2" color="text.secondary">
              Both releases render the same manifests in {shown.environment}.
            </Typography>
          )}
          {shown.rendered.map(file => (
            <DiffView key={file.path} path={file.path} from={file.from} to={file.to} fromLabel={from} toLabel={to} mode={mode} />
          ))}
        </>
      )}
    </Box>
  );
}

function explainTitle(error: Error) {
  const { title, detail } = explainError(error, 'the comparison of these releases');
  return { title, message: detail };
}
