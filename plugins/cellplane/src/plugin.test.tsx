import { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock, createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { cellplaneStatusApiRef } from './api';
import { cellplanePlugin } from './plugin';
import { FakeStatusApi, status } from './testing/fakes';

const entity = (kind: string, name: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme', annotations },
  spec: { type: 'service' },
});

function renderPage(subject: Entity) {
  return renderTestApp({
    features: [cellplanePlugin],
    extensions: [createTestEntityPage({ entity: subject })],
    apis: [
      [cellplaneStatusApiRef, new FakeStatusApi([status({ component: 'web-shop', environment: 'development' })])],
      [catalogApiRef, catalogApiMock({ entities: [subject] })],
    ],
  });
}

describe('cellplanePlugin', () => {
  it('adds the Deployments card to the page of a component Cellplane generated', async () => {
    renderPage(entity('Component', 'web-shop', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/component': 'web-shop' }));
    expect(await screen.findByText('Deployments')).toBeInTheDocument();
    expect(await screen.findByRole('row', { name: 'development: Healthy' })).toBeInTheDocument();
  });

  it('adds the Cell view to the page of a project Cellplane generated', async () => {
    renderPage(entity('System', 'storefront', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/project': 'storefront' }));
    expect(await screen.findByText('Cell: storefront')).toBeInTheDocument();
  });
});
