import { screen, within } from '@testing-library/react';
import { column, linearPipeline, ok, pipelineBackend, renderCard } from './__testUtils__/renderPipelineCard';

// Its own file: permission-react caches each decision for the module, so scenarios do not mix.
describe('DeliveryPipelineCard while the permission backend has not answered', () => {
  it('draws what runs at once, its buttons disabled until the answer comes, saying so', async () => {
    renderCard({ backend: pipelineBackend(ok(linearPipeline())), permissionsPending: true });
    await screen.findByTestId('delivery-pipeline');
    expect(within(column('staging')).getByText('web-shop-1a2b3c4d5e')).toBeInTheDocument();
    const toStaging = within(column('development')).getByRole('button', { name: 'Promote to staging' });
    expect(toStaging).toBeDisabled();
    expect(toStaging).toHaveAccessibleDescription('Checking your permissions…');
    expect(within(column('staging')).getByRole('button', { name: 'Roll back staging…' })).toBeDisabled();
  });
});
