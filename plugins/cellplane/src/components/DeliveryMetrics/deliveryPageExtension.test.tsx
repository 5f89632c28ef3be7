import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import { cellplaneStatusApiRef } from '../../api';
import { cellplanePlugin } from '../../plugin';
import { FakeStatusApi } from '../../testing/fakes';

(globalThis as any).ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

const domain = (name: string, namespace?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name, annotations: namespace ? { 'cellplane.dev/namespace': namespace } : {} },
  spec: { owner: 'platform' },
});

function renderPage(entities: any[]) {
  const requests: URL[] = [];
  renderTestApp({
    features: [cellplanePlugin],
    initialRouteEntries: ['/cellplane/delivery'],
    apis: [
      [cellplaneStatusApiRef, new FakeStatusApi([])],
      [catalogApiRef, catalogApiMock({ entities })],
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [
        fetchApiRef,
        mockApis.fetch({
          baseImplementation: async (input: any) => {
            const url = new URL(String(input instanceof Request ? input.url : input));
            requests.push(url);
            const body = {
              scope: { kind: 'namespace', namespace: 'acme', name: 'acme' },
              from: '2026-03-01T00:00:00Z',
              to: '2026-03-31T00:00:00Z',
              revision: null,
              failureWindowSeconds: 86400,
              evidenceLimit: 200,
              environments: [],
            };
            return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
          },
        }),
      ],
    ],
  });
  return { requests };
}

describe('the delivery page extension', () => {
  it("serves /cellplane/delivery under the title Delivery, with a nav item, showing the organisation's namespace", async () => {
    const { requests } = renderPage([domain('acme', 'acme'), domain('elsewhere')]);
    expect(await screen.findByText('Namespace acme has no environment yet: there is nothing to deploy to.')).toBeInTheDocument();
    expect(requests[0].searchParams.get('namespace')).toBe('acme');
    expect(screen.getByRole('heading', { name: 'Delivery', level: 1 })).toBeInTheDocument();
    const sidebar = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(within(sidebar).getByRole('link', { name: 'Delivery' })).toHaveAttribute('href', '/cellplane/delivery');
  });

  it('says so when the catalog has no Cellplane namespace yet', async () => {
    renderPage([domain('other')]);
    expect(await screen.findByText(/The catalog has no Cellplane namespace yet/)).toBeInTheDocument();
  });
});
