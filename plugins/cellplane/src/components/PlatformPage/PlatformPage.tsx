import { Content, Progress, WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { PlatformOverview } from '@cellplane/backstage-plugin-common';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { DataPlanesSection } from './DataPlanesSection';
import { HealthSection } from './HealthSection';
import { PipelinesSection } from './PipelinesSection';
import { TypesSection } from './TypesSection';
import { usePlatform } from './usePlatform';

/** The sentence a platform engineer needs for each way reading the overview fails. */
export function platformErrorMessage(error: Error): { title: string; detail: string } {
  const status = error instanceof ResponseError ? error.statusCode : (error as { statusCode?: number }).statusCode;
  const detail = error instanceof ResponseError ? (error.body?.error?.message ?? error.message) : error.message;
  if (status === 401 || status === 403) {
    return {
      title: 'You may not read the platform overview',
      detail: `It shows the status of every component, which requires the cellplane.status.read permission; ask your Backstage admin. ${detail}`,
    };
  }
  return {
    title: 'The Cellplane backend cannot be reached',
    detail: `${detail}. Reload the page to try again; if it persists, check that the cellplane backend plugin is installed and running.`,
  };
}

function PlatformView(props: { overview: PlatformOverview; streamError?: Error }) {
  const { overview, streamError } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="body2" color="text.secondary">
          The GitOps repository at {overview.revision ? overview.revision.slice(0, 12) : 'no commit yet'}
          {overview.sandbox ? ' · status from the sandbox data plane (no real cluster)' : ''}
        </Typography>
        {streamError && (
          <WarningPanel
            severity="warning"
            title="Live updates paused"
            message={`The status stream broke (${streamError.message}); health shows the last known state and updates again once it reconnects.`}
          />
        )}
      </Grid>
      <Grid item xs={12} lg={6}>
        <PipelinesSection environments={overview.environments} pipelines={overview.pipelines} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <DataPlanesSection dataPlanes={overview.dataPlanes} otherClusters={overview.otherClusters} />
      </Grid>
      <Grid item xs={12}>
        <HealthSection statuses={overview.statuses} environments={overview.environments} pipelines={overview.pipelines} />
      </Grid>
      <Grid item xs={12}>
        <TypesSection componentTypes={overview.componentTypes} traits={overview.traits} />
      </Grid>
    </Grid>
  );
}

/**
 * The platform page (`/cellplane/platform`), for the platform team: environments and
 * pipelines, data planes and whether each is read, health across all projects (live), and the
 * component types and traits with their schemas and the components using them.
 */
export function PlatformPage() {
  const { loading, error, overview, streamError } = usePlatform();
  if (loading) {
    return (
      <Content>
        <Progress aria-label="Loading the platform overview" />
      </Content>
    );
  }
  if (!overview) {
    const { title, detail } = platformErrorMessage(error ?? new Error('no answer'));
    return (
      <Content>
        <WarningPanel severity="error" title={title} message={detail} defaultExpanded />
      </Content>
    );
  }
  return (
    <Content>
      <PlatformView overview={overview} streamError={streamError} />
    </Content>
  );
}
