import { screen, waitFor, within } from '@testing-library/react';
import { column, linearPipeline, ok, pipelineBackend, renderCard } from './__testUtils__/renderPipelineCard';

// Its own file: permission-react caches each decision for the module, so scenarios do not mix.
describe('DeliveryPipelineCard without cellplane.component.promote.production', () => {
  it('lets the user promote to staging but not into production, saying why', async () => {
    renderCard({ backend: pipelineBackend(ok(linearPipeline())), allowed: name => name !== 'cellplane.component.promote.production' });
    await screen.findByTestId('delivery-pipeline');
    await waitFor(() => expect(within(column('development')).getByRole('button', { name: 'Promote to staging' })).toBeEnabled());
    const toProduction = within(column('staging')).getByRole('button', { name: 'Promote to production' });
    expect(toProduction).toBeDisabled();
    expect(toProduction).toHaveAccessibleDescription(
      'production is a production environment: changing it needs the cellplane.component.promote.production permission',
    );
  });
});
