import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { PlatformOverview } from '@cellplane/backstage-plugin-common';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { PlatformPage } from './PlatformPage';
import { CellplanePlatformApi, cellplanePlatformApiRef } from './platformApi';

const connected = { connected: true, sandbox: true, cluster: 'sandbox' };

function overview(overrides: Partial<PlatformOverview> = {}): PlatformOverview {
  return {
    revision: '3f9c2a1d8e7b6c5d4f3a2b1c0d9e8f7a6b5c4d3e',
    sandbox: true,
    environments: [
      { namespace: 'acme', name: 'development', isProduction: false, publish: 'commit', dataPlane: { kind: 'ClusterDataPlane', name: 'default' } },
      { namespace: 'acme', name: 'production', displayName: 'Production', isProduction: true, publish: 'pull-request', dataPlane: { kind: 'ClusterDataPlane', name: 'default' } },
      { namespace: 'acme', name: 'staging', isProduction: false, publish: 'commit', dataPlane: { kind: 'ClusterDataPlane', name: 'default' } },
    ],
    pipelines: [
      {
        namespace: 'acme',
        name: 'standard',
        displayName: 'Standard',
        promotionPaths: [
          { source: 'development', targets: ['staging'] },
          { source: 'staging', targets: ['production'] },
        ],
        order: ['development', 'staging', 'production'],
        projects: ['payments', 'storefront'],
      },
    ],
    dataPlanes: [
      { kind: 'ClusterDataPlane', name: 'default', declared: true, environments: ['acme/development', 'acme/production', 'acme/staging'], connection: connected },
      {
        kind: 'ClusterDataPlane',
        name: 'eu-prod',
        declared: false,
        environments: [],
        connection: { connected: false, sandbox: false, reason: 'no cluster named "eu-prod" under cellplane.dataPlanes: its status cannot be read' },
      },
    ],
    otherClusters: [],
    componentTypes: [
      {
        kind: 'ClusterComponentType',
        name: 'service',
        displayName: 'Service',
        workloadType: 'deployment',
        allowedTraits: ['ClusterTrait service-account'],
        parameters: [{ path: 'terminationGracePeriodSeconds', type: 'integer', required: false, default: '30', description: 'Time to drain requests' }],
        environmentConfigs: [{ path: 'replicas', type: 'integer', required: true, default: '1' }],
        components: [{ namespace: 'acme', project: 'storefront', name: 'cart-api' }],
      },
    ],
    traits: [
      { kind: 'ClusterTrait', name: 'service-account', parameters: [], environmentConfigs: [], components: [] },
    ],
    statuses: [
      status({ component: 'cart-api', environment: 'development' }),
      status({ component: 'cart-api', environment: 'staging', health: 'Degraded', reason: 'container main keeps crashing' }),
      status({ component: 'web-shop', environment: 'development' }),
      status({ component: 'web-shop', environment: 'staging' }),
    ],
    ...overrides,
  };
}

function renderPage(platform: Partial<CellplanePlatformApi> & { getPlatform: CellplanePlatformApi['getPlatform'] }, statusApi = new FakeStatusApi([])) {
  return renderInTestApp(<PlatformPage />, {
    apis: [
      [cellplanePlatformApiRef, platform],
      [cellplaneStatusApiRef, statusApi],
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('PlatformPage', () => {
  it('shows progress while the overview loads', async () => {
    await renderPage({ getPlatform: () => new Promise(() => {}) });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the pipeline as a promotion graph, which environments are production or publish by pull request, and the projects following it', async () => {
    await renderPage({ getPlatform: async () => overview() });
    const pipeline = await screen.findByRole('region', { name: 'Pipeline acme/standard' });
    const paths = within(pipeline).getAllByRole('listitem').map(item => item.textContent);
    expect(paths).toEqual(['development→staging', 'staging→production (production, by pull request)']);
    expect(within(pipeline).getByText('Projects: payments, storefront')).toBeInTheDocument();
    const production = screen.getByRole('row', { name: 'Environment acme/production' });
    expect(within(production).getAllByRole('cell').map(c => c.textContent)).toEqual([
      'Production acme/production',
      'Yes',
      'Pull request',
      'ClusterDataPlane default',
      '',
    ]);
  });

  it('says which data planes are read, the sandbox standing in, and why one is not', async () => {
    await renderPage({ getPlatform: async () => overview() });
    const sandbox = await screen.findByRole('row', { name: 'ClusterDataPlane default' });
    expect(within(sandbox).getByText('Sandbox')).toBeInTheDocument();
    expect(within(sandbox).getByText('acme/development, acme/production, acme/staging')).toBeInTheDocument();
    const missing = screen.getByRole('row', { name: 'ClusterDataPlane eu-prod' });
    expect(within(missing).getByText('Not connected')).toBeInTheDocument();
    expect(within(missing).getByText(/no cluster named "eu-prod" under cellplane.dataPlanes/)).toBeInTheDocument();
  });

  it('counts health per environment in pipeline order and links each component that needs attention, live', async () => {
    const statusApi = new FakeStatusApi([]);
    await renderPage({ getPlatform: async () => overview() }, statusApi);
    const table = await screen.findByRole('table', { name: 'Health per environment' });
    expect(within(table).getAllByRole('row').slice(1).map(r => r.getAttribute('aria-label'))).toEqual([
      'acme/development: 2 Healthy',
      'acme/staging: 1 Healthy, 1 Degraded',
      'acme/production: no components',
    ]);
    const attention = screen.getByRole('region', { name: 'Components that need attention' });
    expect(within(attention).getByRole('link', { name: 'acme/cart-api' })).toHaveAttribute('href', '/catalog/acme/component/cart-api');
    expect(within(attention).getByText(/container main keeps crashing/)).toBeInTheDocument();
    expect(statusApi.watches.map(w => w.filter)).toEqual([{}]);

    act(() => statusApi.emit(status({ component: 'cart-api', environment: 'staging', health: 'Healthy' })));
    expect(await screen.findByRole('row', { name: 'acme/staging: 2 Healthy' })).toBeInTheDocument();
    expect(within(attention).getByText('None: every deployed component is healthy.')).toBeInTheDocument();
  });

  it('opens a component type with the keyboard to its readable schemas and the components using it', async () => {
    await renderPage({ getPlatform: async () => overview() });
    const summary = await screen.findByRole('button', { name: /Service ClusterComponentType service · deployment used by 1 component/ });
    summary.focus();
    await userEvent.keyboard('{Enter}');
    const parameters = await screen.findByRole('table', { name: 'Parameters (the same in every environment)' });
    expect(within(parameters).getAllByRole('row')[1].textContent).toBe('terminationGracePeriodSecondsinteger30Time to drain requests');
    const environmentConfigs = screen.getByRole('table', { name: 'Environment configs (per environment)' });
    expect(within(environmentConfigs).getByText('required')).toBeInTheDocument();
    expect(screen.getByText('Allowed traits: ClusterTrait service-account')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Used by' })).getByRole('link', { name: 'acme/cart-api' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /service-account ClusterTrait service-account used by 0 components/ })).toBeInTheDocument();
  });

  it('says what to add when the repository has no environments, data planes, types, traits or components', async () => {
    await renderPage({
      getPlatform: async () =>
        overview({ environments: [], pipelines: [], dataPlanes: [], componentTypes: [], traits: [], statuses: [], revision: null, sandbox: false }),
    });
    expect(await screen.findByText(/has no environments or pipelines yet/)).toBeInTheDocument();
    expect(screen.getByText(/No data plane is declared/)).toBeInTheDocument();
    expect(screen.getByText(/No ComponentType or ClusterComponentType yet/)).toBeInTheDocument();
    expect(screen.getByText(/No Trait or ClusterTrait yet/)).toBeInTheDocument();
    expect(screen.getByText(/No component has a status yet/)).toBeInTheDocument();
    expect(screen.getByText(/no commit yet/)).toBeInTheDocument();
  });

  it.each([
    [403, 'You may not read the platform overview', /requires the cellplane.status.read permission/],
    [500, 'The Cellplane backend cannot be reached', /Reload the page to try again/],
  ])('explains a %d answer and what to do', async (statusCode, title, detail) => {
    const response = new Response(JSON.stringify({ error: { name: 'Error', message: 'nope' } }), {
      status: statusCode,
      headers: { 'content-type': 'application/json' },
    });
    const error = await ResponseError.fromResponse(response as any);
    await renderPage({ getPlatform: () => Promise.reject(error) });
    // WarningPanel says the severity before the title.
    expect(await screen.findByText(`Error: ${title}`)).toBeInTheDocument();
    expect(screen.getByText(detail)).toBeInTheDocument();
  });

  it('keeps showing the last health and says so while the status stream is down', async () => {
    const statusApi = new FakeStatusApi([]);
    await renderPage({ getPlatform: async () => overview() }, statusApi);
    await screen.findByRole('table', { name: 'Health per environment' });
    act(() => statusApi.breakStream(new Error('connection reset')));
    expect(await screen.findByText('Warning: Live updates paused')).toBeInTheDocument();
    expect(screen.getByRole('row', { name: 'acme/staging: 1 Healthy, 1 Degraded' })).toBeInTheDocument();
  });
});
