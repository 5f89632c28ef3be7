import { screen } from '@testing-library/react';
import { column, linearPipeline, ok, pipelineBackend, renderCard } from './__testUtils__/renderPipelineCard';

const componentEntity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-shop', namespace: 'acme', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

describe('EntityDeliveryPipelineCard (the card on a component page)', () => {
  it("draws the pipeline of the page's component, read once", async () => {
    const backend = pipelineBackend(ok(linearPipeline()));
    renderCard({ backend, entity: componentEntity({ 'cellplane.dev/namespace': 'acme', 'cellplane.dev/component': 'web-shop' }) });
    expect(await screen.findByTestId('delivery-pipeline')).toBeInTheDocument();
    expect(column('staging')).toHaveTextContent('web-shop-1a2b3c4d5e');
    expect(backend.requests).toEqual(['http://backend.test/api/cellplane/pipeline/acme/web-shop']);
  });

  it('shows nothing, and reads nothing, for an entity Cellplane does not manage', async () => {
    const backend = pipelineBackend(ok(linearPipeline()));
    renderCard({ backend, entity: componentEntity({}) });
    expect(await screen.findByText('page drawn')).toBeInTheDocument();
    expect(screen.queryByText('Delivery pipeline')).not.toBeInTheDocument();
    expect(backend.requests).toEqual([]);
  });
});
