import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi } from '../../testing/fakes';
import { EntityDeliveryContent } from './EntityDeliveryContent';

const entity = (kind: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
  spec: {},
});

function renderTab(kind: string, annotations: Record<string, string>) {
  const requests: URL[] = [];
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      requests.push(new URL(String(input instanceof Request ? input.url : input)));
      return new Response(JSON.stringify({ error: { name: 'NotFoundError', message: 'nothing here' }, response: { statusCode: 404 } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  renderInTestApp(
    <EntityProvider entity={entity(kind, annotations)}>
      <EntityDeliveryContent />
    </EntityProvider>,
    {
      apis: [
        [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
        [fetchApiRef, fetchApi],
        [cellplaneStatusApiRef, new FakeStatusApi([])],
      ],
    },
  );
  return requests;
}

describe('the Delivery tab', () => {
  it("asks for a component's figures by its Cellplane coordinates", async () => {
    const requests = renderTab('Component', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/project': 'payments', 'cellplane.dev/component': 'payments-api' });
    expect(await screen.findByText('Error: The delivery metrics of payments-api cannot be found')).toBeInTheDocument();
    expect(requests[0].searchParams.get('entity')).toBe('component:acme/payments-api');
  });

  it("asks for a project's (a System's) figures", async () => {
    const requests = renderTab('System', { 'cellplane.dev/namespace': 'acme', 'cellplane.dev/project': 'payments' });
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].searchParams.get('entity')).toBe('project:acme/payments');
  });
});
