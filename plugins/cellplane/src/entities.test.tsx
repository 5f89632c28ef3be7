import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { cellplaneStatusApiRef } from './api';
import { EntityDeploymentsCard } from './components/DeploymentsCard/EntityDeploymentsCard';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { isCellplaneComponent, isCellplaneProject } from './entities';
import { FakeStatusApi, status } from './testing/fakes';

const entity = (kind: string, annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'web-shop', namespace: 'acme', annotations },
});

describe('Cellplane entities', () => {
  it('reads the coordinates the catalog module stamped', () => {
    const api = entity('API', {
      'cellplane.dev/namespace': 'acme',
      'cellplane.dev/project': 'storefront',
      'cellplane.dev/component': 'catalog-api',
      'cellplane.dev/endpoint': 'rest',
      'cellplane.dev/endpoint-visibility': 'project,namespace, internal',
    });
    expect(cellplaneCoordinatesOf(api)).toEqual({
      namespace: 'acme',
      project: 'storefront',
      component: 'catalog-api',
      endpoint: 'rest',
      endpointVisibility: ['project', 'namespace', 'internal'],
    });
    expect(cellplaneCoordinatesOf(entity('Component'))).toBeUndefined();
  });

  it('shows the Deployments card only on Cellplane components and the Cell tab only on Cellplane projects', () => {
    const component = entity('Component', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/component': 'web-shop' });
    const project = entity('System', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/project': 'storefront' });
    expect(isCellplaneComponent(component)).toBe(true);
    expect(isCellplaneComponent(entity('Component'))).toBe(false);
    expect(isCellplaneComponent(project)).toBe(false);
    expect(isCellplaneProject(project)).toBe(true);
    expect(isCellplaneProject(entity('System'))).toBe(false);
    expect(isCellplaneProject(component)).toBe(false);
  });

  it('asks for the status of the OpenChoreo component the entity was generated from', async () => {
    const api = new FakeStatusApi([status({ component: 'shop', environment: 'development' })]);
    renderInTestApp(
      <EntityProvider entity={entity('Component', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/component': 'shop' })}>
        <EntityDeploymentsCard />
      </EntityProvider>,
      { apis: [[cellplaneStatusApiRef, api]] },
    );
    expect(await screen.findByRole('row', { name: 'development: Healthy' })).toBeInTheDocument();
    expect(api.watches[0].filter).toEqual({ namespace: 'acme', component: 'shop' });
  });
});
