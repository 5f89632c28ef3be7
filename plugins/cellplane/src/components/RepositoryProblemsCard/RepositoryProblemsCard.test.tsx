import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { render, screen } from '@testing-library/react';
import { EntityRepositoryProblemsCard } from './EntityRepositoryProblemsCard';
import { RepositoryProblemsCard } from './RepositoryProblemsCard';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-shop', annotations },
});

const renderForEntity = (annotations?: Record<string, string>) =>
  render(
    <EntityProvider entity={entity(annotations)}>
      <EntityRepositoryProblemsCard />
    </EntityProvider>,
  );

describe('repository problems', () => {
  it('lists each problem', () => {
    render(
      <RepositoryProblemsCard
        problems={['workload.yaml:43: Workload acme/web-shop: spec.dependencies.endpoints[0].name: Component catalog-api has no endpoint "soap"']}
      />,
    );
    expect(screen.getByText('Problems in the GitOps repository')).toBeInTheDocument();
    expect(screen.getByText(/has no endpoint "soap"/)).toBeInTheDocument();
  });

  it('reads the problems the provider attached to the entity of the page', () => {
    renderForEntity({ 'cellplane.dev/problems': '["a.yaml:3: broken","b.yaml:7: also broken"]' });
    expect(screen.getAllByRole('listitem').map(item => item.textContent)).toEqual(['a.yaml:3: broken', 'b.yaml:7: also broken']);
  });

  it('shows a malformed annotation as it is rather than failing', () => {
    renderForEntity({ 'cellplane.dev/problems': 'not json' });
    expect(screen.getByText('Problems in the GitOps repository')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem').map(item => item.textContent)).toEqual(['not json']);
  });
});
