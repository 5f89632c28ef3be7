import { render, screen } from '@testing-library/react';
import { RepositoryProblemsList, repositoryProblemsOf } from './RepositoryProblemsCard';

const entity = (annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-shop', annotations },
});

describe('repository problems', () => {
  it('reads the problems the provider attached, tolerating a malformed annotation', () => {
    expect(repositoryProblemsOf(entity())).toEqual([]);
    expect(repositoryProblemsOf(entity({ 'cellplane.dev/problems': '["a.yaml:3: broken"]' }))).toEqual(['a.yaml:3: broken']);
    expect(repositoryProblemsOf(entity({ 'cellplane.dev/problems': 'not json' }))).toEqual(['not json']);
  });

  it('lists each problem', () => {
    render(
      <RepositoryProblemsList
        problems={['workload.yaml:43: Workload acme/web-shop: spec.dependencies.endpoints[0].name: Component catalog-api has no endpoint "soap"']}
      />,
    );
    expect(screen.getByText('Problems in the GitOps repository')).toBeInTheDocument();
    expect(screen.getByText(/has no endpoint "soap"/)).toBeInTheDocument();
  });
});
