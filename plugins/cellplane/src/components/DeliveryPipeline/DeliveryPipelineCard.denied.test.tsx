import { screen, waitFor, within } from '@testing-library/react';
import { column, linearPipeline, ok, pipelineBackend, renderCard } from './__testUtils__/renderPipelineCard';

// Its own file: permission-react caches each decision for the module, so scenarios do not mix.
describe('DeliveryPipelineCard without cellplane.component.promote', () => {
  it('disables Promote and Roll back, saying why, and still shows what runs', async () => {
    renderCard({ backend: pipelineBackend(ok(linearPipeline())), allowed: () => false });
    await screen.findByTestId('delivery-pipeline');
    const toStaging = within(column('development')).getByRole('button', { name: 'Promote to staging' });
    await waitFor(() => expect(toStaging).toBeDisabled());
    expect(toStaging).toHaveAccessibleDescription('You lack the cellplane.component.promote permission');
    expect(within(column('staging')).getByRole('button', { name: 'Roll back staging…' })).toBeDisabled();
    expect(within(column('staging')).getByText('web-shop-1a2b3c4d5e')).toBeInTheDocument();
  });
});
