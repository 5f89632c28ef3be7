import {
  ApiBlueprint,
  FrontendPlugin,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { cellplaneProblemsOf } from '@cellplane/backstage-plugin-common';
import { CellplaneStatusClient, cellplaneStatusApiRef } from './api';
import { isCellplaneComponent, isCellplaneProject } from './entities';
import { commitRouteRef, platformRouteRef } from './routes';
import { CellplanePlatformClient, cellplanePlatformApiRef } from './components/PlatformPage/platformApi';
import HubOutlinedIcon from '@mui/icons-material/HubOutlined';
import { CellplaneLogsClient, cellplaneLogsApiRef } from './components/Logs/logsApi';
import { CellplaneMetricsClient, cellplaneMetricsApiRef } from './components/Metrics/metricsApi';
import InsightsOutlinedIcon from '@mui/icons-material/InsightsOutlined';
import { deliveryRouteRef } from './components/DeliveryMetrics/routes';

/** The status client: the `cellplane` backend, with the user's token on every request. */
const cellplaneStatusApi = ApiBlueprint.make({
  name: 'status',
  params: defineParams =>
    defineParams({
      api: cellplaneStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CellplaneStatusClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * On a component's page, first: the delivery pipeline (environments along the DeploymentPipeline,
 * what each runs and how healthy, live, with Promote and Roll back confirmed on the dry-run
 * diff). It replaces the Deployments card, whose table it reuses.
 */
const deliveryPipelineEntityCard = EntityCardBlueprint.make({
  name: 'delivery-pipeline',
  params: {
    type: 'content',
    filter: isCellplaneComponent,
    loader: async () => {
      const { EntityDeliveryPipelineCard } = await import('./components/DeliveryPipeline/EntityDeliveryPipelineCard');
      return <EntityDeliveryPipelineCard />;
    },
  },
});

/**
 * On an entity's page: what is wrong in the GitOps repository about it (a dependency on a
 * missing endpoint, a field that breaks its rule), as the Cellplane catalog module reported it.
 * Only on entities that have problems.
 */
const repositoryProblemsEntityCard = EntityCardBlueprint.make({
  name: 'repository-problems',
  params: {
    type: 'content',
    filter: entity => cellplaneProblemsOf(entity).length > 0,
    loader: async () => {
      const { EntityRepositoryProblemsCard } = await import('./components/RepositoryProblemsCard/EntityRepositoryProblemsCard');
      return <EntityRepositoryProblemsCard />;
    },
  },
});

/** On a project's (System's) page: the project drawn as a cell. */
const cellEntityContent = EntityContentBlueprint.make({
  name: 'cell',
  params: {
    path: '/cell',
    title: 'Cell',
    filter: isCellplaneProject,
    loader: async () => {
      const { EntityCellContent } = await import('./components/CellView/EntityCellContent');
      return <EntityCellContent />;
    },
  },
});

/**
 * On a component's page: its releases, where each runs and ran, and a compare of any two (spec
 * and rendered manifests, side by side or unified).
 */
const releasesEntityContent = EntityContentBlueprint.make({
  name: 'releases',
  params: {
    path: '/releases',
    title: 'Releases',
    filter: isCellplaneComponent,
    loader: async () => {
      const { EntityReleasesContent } = await import('./components/Releases/EntityReleasesContent');
      return <EntityReleasesContent />;
    },
  },
});

/** On a component's and a project's page: who changed what and when, from the GitOps history. */
const activityEntityContent = EntityContentBlueprint.make({
  name: 'activity',
  params: {
    path: '/activity',
    title: 'Activity',
    filter: entity => isCellplaneComponent(entity) || isCellplaneProject(entity),
    loader: async () => {
      const { EntityActivityContent } = await import('./components/Activity/EntityActivityContent');
      return <EntityActivityContent />;
    },
  },
});

/**
 * On a component's and a project's page: delivery (DORA) metrics per environment, from the
 * GitOps history and the status history, each figure traceable to its commits.
 */
const deliveryEntityContent = EntityContentBlueprint.make({
  name: 'delivery',
  params: {
    path: '/delivery',
    title: 'Delivery',
    filter: entity => isCellplaneComponent(entity) || isCellplaneProject(entity),
    loader: async () => {
      const { EntityDeliveryContent } = await import('./components/DeliveryMetrics/EntityDeliveryContent');
      return <EntityDeliveryContent />;
    },
  },
});

/** `/cellplane/delivery`, in the sidebar as "Delivery": the organisation's delivery metrics, a namespace at a time. */
const deliveryPage = PageBlueprint.make({
  name: 'delivery',
  params: {
    path: '/cellplane/delivery',
    routeRef: deliveryRouteRef,
    title: 'Delivery',
    icon: <InsightsOutlinedIcon fontSize="inherit" />,
    loader: async () => {
      const { DeliveryPage } = await import('./components/DeliveryMetrics/DeliveryPage');
      return <DeliveryPage />;
    },
  },
});

/** The logs client: pods, events and the log stream of a component, with the user's token. */
const cellplaneLogsApi = ApiBlueprint.make({
  name: 'logs',
  params: defineParams =>
    defineParams({
      api: cellplaneLogsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CellplaneLogsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * On a component's page: its logs in an environment (pods and containers, follow, since/tail,
 * search) through the data plane's Kubernetes API, with the Kubernetes Events beside them, live.
 */
const logsEntityContent = EntityContentBlueprint.make({
  name: 'logs',
  params: {
    path: '/logs',
    title: 'Logs',
    filter: isCellplaneComponent,
    loader: async () => {
      const { EntityLogsContent } = await import('./components/Logs/EntityLogsContent');
      return <EntityLogsContent />;
    },
  },
});

/** The metrics client: a component's metrics (from its data plane's Prometheus) and tracing link, with the user's token. */
const cellplaneMetricsApi = ApiBlueprint.make({
  name: 'metrics',
  params: defineParams =>
    defineParams({
      api: cellplaneMetricsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CellplaneMetricsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * On a component's page: its request rate, error rate, latency percentiles, and CPU and memory
 * per pod in an environment, from the Prometheus its data plane names, each chart with its
 * PromQL; and a link to its traces in the data plane's tracing UI (Jaeger, Tempo, any URL).
 */
const metricsEntityContent = EntityContentBlueprint.make({
  name: 'metrics',
  params: {
    path: '/metrics',
    title: 'Metrics',
    filter: isCellplaneComponent,
    loader: async () => {
      const { EntityMetricsContent } = await import('./components/Metrics/EntityMetricsContent');
      return <EntityMetricsContent />;
    },
  },
});

/** In templates, `ui:field: CellplaneReleasePicker`: a component's releases, where each runs. */
const releasePickerFormField = FormFieldBlueprint.make({
  name: 'release-picker',
  params: {
    field: async () => (await import('./components/ReleasePicker/releasePickerField')).releasePickerField,
  },
});

/**
 * `/cellplane/commits/:sha`: one commit of the GitOps repository, its trace first ("did my commit
 * land?": committed → rendered → synced → rolled out → ready per component and environment, live;
 * `?component=<namespace>/<name>` focuses one, as the write actions' `traceUrl` does), then its
 * message, author, parents and diff; where the write path's "Commit" link points when the
 * repository has no web UI.
 */
const commitPage = PageBlueprint.make({
  name: 'commit',
  params: {
    path: '/cellplane/commits/:sha',
    routeRef: commitRouteRef,
    loader: async () => {
      const { CommitPage } = await import('./components/CommitPage');
      return <CommitPage />;
    },
  },
});

/** The platform overview client: the `cellplane` backend's `/platform`, with the user's token. */
const cellplanePlatformApi = ApiBlueprint.make({
  name: 'platform',
  params: defineParams =>
    defineParams({
      api: cellplanePlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CellplanePlatformClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `/cellplane/platform`, in the sidebar as "Platform": for the platform team, environments and
 * pipelines, data planes, component types and traits with their schemas and users, and health
 * across all projects, live.
 */
const platformPage = PageBlueprint.make({
  name: 'platform',
  params: {
    path: '/cellplane/platform',
    routeRef: platformRouteRef,
    title: 'Platform',
    icon: <HubOutlinedIcon fontSize="inherit" />,
    loader: async () => {
      const { PlatformPage } = await import('./components/PlatformPage');
      return <PlatformPage />;
    },
  },
});

/**
 * Cellplane's views in the portal (new frontend system): the delivery pipeline card on components
 * and the Cell tab on projects, both live from the `cellplane` backend's status API, the
 * repository's problems card on entities the catalog module found problems about, and the
 * scaffolder's release picker (`ui:field: CellplaneReleasePicker`) for the rollback template, and
 * the commit page (`/cellplane/commits/:sha`) for a GitOps repository without a web UI.
 *
 * @public
 */
export const cellplanePlugin: FrontendPlugin = createFrontendPlugin({
  pluginId: 'cellplane',
  title: 'Cellplane',
  routes: { commit: commitRouteRef, platform: platformRouteRef, delivery: deliveryRouteRef },
  extensions: [
    cellplaneStatusApi,
    deliveryPipelineEntityCard,
    repositoryProblemsEntityCard,
    cellEntityContent,
    releasesEntityContent,
    activityEntityContent,
    releasePickerFormField,
    commitPage,
    cellplanePlatformApi,
    platformPage,
    deliveryEntityContent,
    deliveryPage,
    cellplaneLogsApi,
    logsEntityContent,
    cellplaneMetricsApi,
    metricsEntityContent,
  ],
});
