import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ComponentEnvironmentStatus, cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { DeploymentsTable } from '../DeploymentsCard/DeploymentsCard';
import { HEALTH_COLOURS, HEALTH_WORDS } from '../common/health';
import { LiveIndicator } from '../common/LiveIndicator';
import { SandboxBadge } from '../common/SandboxBadge';
import { StatusError } from '../common/StatusError';
import { useLiveStatus } from '../common/useLiveStatus';
import { CellDiagram } from './CellDiagram';
import { CellModel } from './cellModel';
import { layoutCell } from './layoutCell';
import { useCell } from './useCell';

/**
 * The project as a cell: its components inside, their endpoints on the wall by visibility, the
 * dependencies between them and on other projects' endpoints, and each component's health in
 * the environment picked above the drawing, kept live by the status events stream.
 *
 * @public
 */
export function CellView(props: { system: Entity }) {
  const { system } = props;
  const namespace = cellplaneCoordinatesOf(system)?.namespace ?? system.metadata.namespace ?? 'default';
  const project = cellplaneCoordinatesOf(system)?.project ?? system.metadata.name;
  const cell = useCell(system);
  const live = useLiveStatus({ namespace, project }, api => api.getProjectStatus(namespace, project));

  if (cell.error) {
    return <WarningPanel severity="error" title={`The catalog cannot tell what is in project ${project}`} message={cell.error.message} defaultExpanded />;
  }
  if (!cell.model) return <Progress />;
  return <CellWithStatus model={cell.model} live={live} />;
}

function CellWithStatus(props: { model: CellModel; live: ReturnType<typeof useLiveStatus> }) {
  const { model, live } = props;
  const items = useMemo(() => live.snapshot?.items ?? [], [live.snapshot]);
  // Environments in pipeline order, as the API lists them.
  const environments = useMemo(() => [...new Set(items.map(i => i.environment))], [items]);
  const [picked, setPicked] = useState<string>();
  const environment = picked && environments.includes(picked) ? picked : environments[0];
  const statuses = useMemo(
    () => new Map<string, ComponentEnvironmentStatus>(items.filter(i => i.environment === environment).map(i => [i.component, i])),
    [items, environment],
  );
  const layout = useMemo(() => layoutCell(model), [model]);
  const entityRoute = useEntityRoute();
  const navigate = useNavigate();
  const linkTo = (ref: string) => {
    if (!entityRoute) return undefined;
    try {
      const { kind, namespace, name } = parseEntityRef(ref);
      return entityRoute({ kind: kind.toLocaleLowerCase('en-US'), namespace: namespace.toLocaleLowerCase('en-US'), name });
    } catch {
      return undefined;
    }
  };
  const sandboxPlane = items.find(i => i.environment === environment && i.dataPlane?.sandbox)?.dataPlane?.name;

  return (
    <InfoCard
      title={`Cell: ${model.project}`}
      subheader={`${model.components.length} components, ${model.boundary.length} endpoints on the boundary, ${model.outside.length} endpoints of other projects used, ${model.consumers.length} components of other projects using this one`}
      action={
        <Box component="span" sx={{ display: 'inline-flex', gap: 1, alignItems: 'center', p: 1 }}>
          {sandboxPlane && <SandboxBadge dataPlane={sandboxPlane} />}
          {live.snapshot && <LiveIndicator streamError={live.streamError} />}
        </Box>
      }
    >
      {live.error && <StatusError error={live.error} subject={`project ${model.namespace}/${model.project}`} />}
      {environments.length > 0 && (
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
          <Typography variant="body2" id="cellplane-environment-label">
            Environment
          </Typography>
          <ToggleButtonGroup
            size="small"
            color="primary"
            exclusive
            value={environment}
            // A click on the environment already shown deselects nothing: one is always shown.
            onChange={(_event, env: string | null) => env && setPicked(env)}
            aria-labelledby="cellplane-environment-label"
          >
            {environments.map(env => (
              <ToggleButton key={env} value={env} sx={{ textTransform: 'none', px: 1.5, py: 0.25 }}>
                {env}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          <HealthLegend />
        </Box>
      )}
      {!live.snapshot && !live.error && <Progress />}
      {model.components.length === 0 ? (
        <Typography>Project {model.project} has no components yet.</Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <CellDiagram
            model={model}
            layout={layout}
            statuses={statuses}
            environment={environment}
            linkTo={linkTo}
            onNavigate={url => navigate(url)}
          />
        </Box>
      )}
      {statuses.size > 0 && (
        <Box component="details" sx={{ mt: 1 }}>
          <summary>
            <Typography variant="body2" component="span">
              Every component in {environment}: revisions, rollout, pods and causes
            </Typography>
          </summary>
          <DeploymentsTable items={[...statuses.values()]} rowsBy="component" />
        </Box>
      )}
    </InfoCard>
  );
}

/** The route of entity pages; without it (an app that has no catalog pages) nodes are not links. */
function useEntityRoute() {
  try {
    return useRouteRef(entityRouteRef);
  } catch {
    return undefined;
  }
}

function HealthLegend() {
  return (
    <Box component="span" aria-hidden sx={{ display: 'inline-flex', gap: 1.25, flexWrap: 'wrap', typography: 'caption' }}>
      {Object.entries(HEALTH_COLOURS).map(([health, colour]) => (
        <Box component="span" key={health} sx={{ display: 'inline-flex', gap: 0.5, alignItems: 'center' }}>
          <Box component="span" sx={{ width: 10, height: 10, borderRadius: 0.75, bgcolor: colour, display: 'inline-block' }} />
          {HEALTH_WORDS[health as keyof typeof HEALTH_WORDS]}
        </Box>
      ))}
    </Box>
  );
}
