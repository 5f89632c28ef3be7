import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { CellView } from './CellView';
import { buildCell, outsideRefsOf } from './cellModel';
import { layoutCell } from './layoutCell';

const annotations = (extra: Record<string, string>) => ({ 'cellplane.dev/namespace': 'acme', ...extra });
const rel = (type: string, targetRef: string) => ({ type, targetRef });

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'storefront', namespace: 'acme', annotations: annotations({ 'cellplane.dev/project': 'storefront' }) },
  relations: [
    rel('hasPart', 'component:acme/web-shop'),
    rel('hasPart', 'component:acme/catalog-api'),
    rel('hasPart', 'component:acme/cart-api'),
    rel('hasPart', 'api:acme/web-shop-web'),
    rel('hasPart', 'api:acme/catalog-api-rest'),
    rel('hasPart', 'api:acme/cart-api-grpc'),
  ],
};

const component = (name: string, title: string, relations: Array<{ type: string; targetRef: string }>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'acme', title, annotations: annotations({ 'cellplane.dev/project': 'storefront', 'cellplane.dev/component': name }) },
  spec: { type: 'service', lifecycle: 'production', owner: 'team', system: 'storefront' },
  relations,
});

const api = (project: string, componentName: string, endpoint: string, visibility: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: `${componentName}-${endpoint}`,
    namespace: 'acme',
    annotations: annotations({
      'cellplane.dev/project': project,
      'cellplane.dev/component': componentName,
      'cellplane.dev/endpoint': endpoint,
      'cellplane.dev/endpoint-visibility': visibility,
    }),
  },
  spec: { type: 'openapi', lifecycle: 'production', owner: 'team', system: project, definition: '' },
});

const entities: Entity[] = [
  system,
  component('web-shop', 'Web Shop', [
    rel('providesApi', 'api:acme/web-shop-web'),
    rel('consumesApi', 'api:acme/catalog-api-rest'),
    rel('consumesApi', 'api:acme/cart-api-grpc'),
    rel('consumesApi', 'api:acme/payments-api-rest'),
  ]),
  component('catalog-api', 'Catalog API', [rel('providesApi', 'api:acme/catalog-api-rest')]),
  component('cart-api', 'Cart API', [rel('providesApi', 'api:acme/cart-api-grpc')]),
  api('storefront', 'web-shop', 'web', 'project,external'),
  { ...api('storefront', 'catalog-api', 'rest', 'project,namespace,internal'), relations: [rel('apiConsumedBy', 'component:acme/payments-api')] },
  api('storefront', 'cart-api', 'grpc', 'project'),
  api('payments', 'payments-api', 'rest', 'project,namespace'),
  {
    ...component('payments-api', 'Payments API', [rel('consumesApi', 'api:acme/catalog-api-rest')]),
    metadata: {
      name: 'payments-api',
      namespace: 'acme',
      annotations: annotations({ 'cellplane.dev/project': 'payments', 'cellplane.dev/component': 'payments-api' }),
    },
  },
];

const statuses = ['development', 'staging'].flatMap(environment =>
  ['web-shop', 'catalog-api', 'cart-api'].map(c => status({ component: c, environment })),
);

function renderCell(statusApi: FakeStatusApi) {
  return renderInTestApp(<CellView system={system} />, {
    apis: [
      [catalogApiRef, catalogApiMock({ entities })],
      [cellplaneStatusApiRef, statusApi],
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('buildCell', () => {
  it('puts components inside, their endpoints on the boundary by widest visibility, and other projects outside', () => {
    const model = buildCell(system, entities.slice(1, 7), entities.slice(7));
    expect(outsideRefsOf(entities.slice(1, 7))).toEqual(['api:acme/payments-api-rest', 'component:acme/payments-api']);
    expect(model.components.map(c => c.name)).toEqual(['cart-api', 'catalog-api', 'web-shop']);
    expect(model.boundary.map(e => [e.label, e.visibility, e.providerRef])).toEqual([
      ['cart-api/grpc', 'project', 'component:acme/cart-api'],
      ['catalog-api/rest', 'internal', 'component:acme/catalog-api'],
      ['web-shop/web', 'external', 'component:acme/web-shop'],
    ]);
    expect(model.outside.map(e => [e.label, e.project, e.visibility])).toEqual([['payments-api/rest', 'payments', 'namespace']]);
    expect(model.dependencies).toEqual([
      { from: 'component:acme/web-shop', endpoint: 'api:acme/cart-api-grpc', to: 'component:acme/cart-api' },
      { from: 'component:acme/web-shop', endpoint: 'api:acme/catalog-api-rest', to: 'component:acme/catalog-api' },
      { from: 'component:acme/web-shop', endpoint: 'api:acme/payments-api-rest' },
    ]);
    expect(model.consumers.map(c => [c.name, c.project])).toEqual([['payments-api', 'payments']]);
    expect(model.incoming).toEqual([{ from: 'component:acme/payments-api', endpoint: 'api:acme/catalog-api-rest' }]);
  });

  it('lays every component inside the wall, every port on it and every outside endpoint beyond it', () => {
    const model = buildCell(system, entities.slice(1, 7), entities.slice(7));
    const layout = layoutCell(model);
    const { cell } = layout;
    for (const c of model.components) {
      const box = layout.nodes.get(c.ref)!;
      expect(box.x).toBeGreaterThan(cell.x);
      expect(box.x + box.width).toBeLessThan(cell.x + cell.width);
      expect(box.y).toBeGreaterThan(cell.y);
      expect(box.y + box.height).toBeLessThan(cell.y + cell.height);
    }
    expect(layout.ports.get('api:acme/web-shop-web')).toMatchObject({ side: 'top', y: cell.y });
    expect(layout.ports.get('api:acme/catalog-api-rest')).toMatchObject({ side: 'left', x: cell.x });
    expect(layout.ports.get('api:acme/cart-api-grpc')).toMatchObject({ side: 'right', x: cell.x + cell.width });
    expect(layout.nodes.get('api:acme/payments-api-rest')!.x).toBeGreaterThan(cell.x + cell.width);
    const consumer = layout.nodes.get('component:acme/payments-api')!;
    expect(consumer.x + consumer.width).toBeLessThan(cell.x);
    // dagre ranks the consumer before what it consumes.
    expect(layout.nodes.get('component:acme/web-shop')!.x).toBeLessThan(layout.nodes.get('component:acme/cart-api')!.x);
    expect(layout.width).toBeGreaterThan(layout.nodes.get('api:acme/payments-api-rest')!.x);
  });
});

describe('CellView', () => {
  it('draws the components with their health, the boundary endpoints by visibility, and the dependencies', async () => {
    const statusApi = new FakeStatusApi([
      ...statuses.filter(s => !(s.component === 'cart-api' && s.environment === 'development')),
      status({ component: 'cart-api', environment: 'development', health: 'Degraded', reason: 'container main keeps crashing' }),
    ]);
    renderCell(statusApi);

    const cell = await screen.findByRole('group', { name: 'Cell storefront' });
    expect(await within(cell).findByRole('link', { name: 'Component cart-api: Degraded in development' })).toBeInTheDocument();
    expect(within(cell).getByRole('link', { name: 'Component web-shop: Healthy in development' })).toHaveAttribute(
      'href',
      '/catalog/acme/component/web-shop',
    );
    expect(within(cell).getByRole('link', { name: 'Component catalog-api: Healthy in development' })).toBeInTheDocument();

    const external = within(cell).getByRole('group', { name: 'External endpoints' });
    expect(within(external).getByRole('link', { name: 'Endpoint web-shop/web, visible to project, external' })).toHaveAttribute(
      'href',
      '/catalog/acme/api/web-shop-web',
    );
    const internal = within(cell).getByRole('group', { name: 'Internal endpoints' });
    expect(within(internal).getByRole('link', { name: /^Endpoint catalog-api\/rest/ })).toBeInTheDocument();
    const projectOnly = within(cell).getByRole('group', { name: 'Project endpoints' });
    expect(within(projectOnly).getByRole('link', { name: /^Endpoint cart-api\/grpc/ })).toBeInTheDocument();
    expect(within(cell).queryByRole('group', { name: 'Namespace endpoints' })).not.toBeInTheDocument();

    expect(within(cell).getByRole('link', { name: 'Endpoint payments-api/rest of project payments, outside the cell' })).toBeInTheDocument();
    expect(within(cell).getByRole('img', { name: 'web-shop depends on catalog-api/rest' })).toBeInTheDocument();
    expect(within(cell).getByRole('img', { name: 'web-shop depends on cart-api/grpc' })).toBeInTheDocument();
    expect(within(cell).getByRole('img', { name: 'web-shop depends on payments-api/rest of project payments' })).toBeInTheDocument();
    // Other projects' components that use the cell's endpoints come in from outside.
    expect(within(cell).getByRole('link', { name: 'Component payments-api of project payments, outside the cell' })).toBeInTheDocument();
    expect(within(cell).getByRole('img', { name: 'payments-api of project payments depends on catalog-api/rest' })).toBeInTheDocument();
    expect(within(cell).getAllByRole('img')).toHaveLength(4);

    expect(screen.getAllByText('Sandbox').length).toBeGreaterThan(0);
  });

  it('shows the health of the environment picked, and follows streamed changes', async () => {
    const statusApi = new FakeStatusApi([
      ...statuses.filter(s => !(s.component === 'web-shop' && s.environment === 'staging')),
      status({ component: 'web-shop', environment: 'staging', health: 'OutOfSync' }),
    ]);
    renderCell(statusApi);
    await screen.findByRole('link', { name: 'Component web-shop: Healthy in development' });
    expect(screen.getByRole('button', { name: 'development' })).toHaveAttribute('aria-pressed', 'true');

    await userEvent.click(screen.getByRole('button', { name: 'staging' }));
    expect(await screen.findByRole('link', { name: 'Component web-shop: Out of sync in staging' })).toBeInTheDocument();
    expect(statusApi.watches[0].filter).toEqual({ namespace: 'acme', project: 'storefront' });

    act(() => statusApi.emit(status({ component: 'web-shop', environment: 'staging', health: 'Progressing' })));
    expect(await screen.findByRole('link', { name: 'Component web-shop: Progressing in staging' })).toBeInTheDocument();
    // A change in another environment leaves the one shown alone.
    act(() => statusApi.emit(status({ component: 'catalog-api', environment: 'development', health: 'Degraded' })));
    expect(screen.getByRole('link', { name: 'Component catalog-api: Healthy in staging' })).toBeInTheDocument();
    // The table under the drawing lists the same environment, component by component.
    const table = screen.getByRole('table', { name: 'Deployments by component' });
    expect(within(table).getByRole('row', { name: 'web-shop: Progressing' })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: 'catalog-api: Healthy' })).toBeInTheDocument();
  });

  it('still draws the cell when status cannot be read, and says why', async () => {
    renderCell(new FakeStatusApi([], Object.assign(new Error('connect ECONNREFUSED'), { statusCode: 503 })));
    expect(await screen.findByText('Error: The Cellplane status service cannot be reached')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Component web-shop: no status' })).toBeInTheDocument();
    expect(screen.queryByText('Sandbox')).not.toBeInTheDocument();
  });
});
