import { Entity } from '@backstage/catalog-model';
import { FrontendFeature, PageBlueprint, discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock, createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { formFieldsApiRef } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, within } from '@testing-library/react';
import { useEffect, useState } from 'react';
import { cellplaneStatusApiRef } from './api';
import { cellplanePlugin } from './plugin';
import { FakeStatusApi, status } from './testing/fakes';

const entity = (kind: string, name: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme', annotations },
  spec: { type: 'service' },
});

/** The pipeline route of web-shop: development alone, where it runs. */
const pipelineRoute = mockApis.fetch({
  baseImplementation: async () =>
    new Response(
      JSON.stringify({
        namespace: 'acme',
        component: 'web-shop',
        project: 'storefront',
        pipeline: 'standard',
        revision: 'a'.repeat(40),
        environments: [
          {
            name: 'development',
            stage: 0,
            next: [],
            previous: [],
            isProduction: false,
            requiresApproval: false,
            publish: 'commit',
            binding: { followsComponent: true, state: 'Active' },
            release: { name: 'web-shop-1a2b3c4d5e', images: ['ghcr.io/acme/web-shop:1.0'] },
            pullRequests: [],
          },
        ],
        releases: [],
      }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    ),
});

function renderPage(subject: Entity) {
  return renderTestApp({
    features: [cellplanePlugin],
    extensions: [createTestEntityPage({ entity: subject })],
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, pipelineRoute],
      [cellplaneStatusApiRef, new FakeStatusApi([status({ component: 'web-shop', environment: 'development' })])],
      [catalogApiRef, catalogApiMock({ entities: [subject] })],
    ],
  });
}

/** Lists the form fields the scaffolder's form-fields API loads, as its template form does. */
function LoadedFormFields() {
  const formFieldsApi = useApi(formFieldsApiRef);
  const [names, setNames] = useState<string[]>();
  useEffect(() => {
    formFieldsApi.loadFormFields().then(fields => setNames(fields.map(field => (field as unknown as { name: string }).name)));
  }, [formFieldsApi]);
  return names ? <ul aria-label="form fields">{names.map(name => <li key={name}>{name}</li>)}</ul> : null;
}

describe('cellplanePlugin', () => {
  it('adds the delivery pipeline card to the page of a component Cellplane generated', async () => {
    renderPage(entity('Component', 'web-shop', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/component': 'web-shop' }));
    expect(await screen.findByText('Delivery pipeline')).toBeInTheDocument();
    expect(await within(await screen.findByTestId('pipeline-env-development')).findByText('Healthy')).toBeInTheDocument();
  });

  it('adds the repository problems card, after the delivery pipeline card, to the page of an entity with problems', async () => {
    renderPage(
      entity('Component', 'web-shop', {
        'cellplane.dev/namespace': 'acme',
        'cellplane.dev/component': 'web-shop',
        'cellplane.dev/problems': JSON.stringify(['workload.yaml:43: Workload acme/web-shop: Component catalog-api has no endpoint "soap"']),
      }),
    );
    const problems = await screen.findByText('Problems in the GitOps repository');
    expect(await screen.findByText(/has no endpoint "soap"/)).toBeInTheDocument();
    const pipeline = await screen.findByText('Delivery pipeline');
    expect(pipeline.compareDocumentPosition(problems) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("adds the repository problems card to any entity with problems, such as the repository's Location", async () => {
    renderPage(entity('Location', 'cellplane-provider-default-repository', { 'cellplane.dev/problems': '["notes.yaml:3: invalid YAML"]' }));
    expect(await screen.findByText('notes.yaml:3: invalid YAML')).toBeInTheDocument();
  });

  it('leaves the repository problems card off the page of an entity without problems', async () => {
    renderPage(entity('Component', 'web-shop', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/component': 'web-shop', 'cellplane.dev/problems': '[]' }));
    expect(await screen.findByTestId('delivery-pipeline')).toBeInTheDocument();
    expect(screen.queryByText('Problems in the GitOps repository')).not.toBeInTheDocument();
  });

  it('adds nothing to the page of an entity that is not Cellplane\'s and has no problems', async () => {
    renderPage(entity('Component', 'elsewhere'));
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });

  it('adds the Cell view to the page of a project Cellplane generated', async () => {
    renderPage(entity('System', 'storefront', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/project': 'storefront' }));
    expect(await screen.findByText('Cell: storefront')).toBeInTheDocument();
  });

  it('gives the scaffolder of an app the CellplaneReleasePicker field', async () => {
    renderTestApp({
      // The scaffolder is built on frontend-plugin-api 1.x, this repository on 0.18; the app loads
      // it by feature discovery, where the types never meet.
      features: [cellplanePlugin, scaffolderPlugin as unknown as FrontendFeature],
      extensions: [PageBlueprint.make({ name: 'probe', params: { path: '/', loader: async () => <LoadedFormFields /> } })],
    });
    const list = await screen.findByRole('list', { name: 'form fields' });
    expect(list).toHaveTextContent('CellplaneReleasePicker');
  });
});
